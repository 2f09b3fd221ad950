namespace Parley.Protocol;

/// <summary>The <c>type</c> values of protocol v1 frames.</summary>
public static class FrameTypes
{
    /// <summary>Client: claim a name and start a session.</summary>
    public const string Hello = "hello";
    /// <summary>Client: turn the current name into an account.</summary>
    public const string Register = "register";
    /// <summary>Client: send a message.</summary>
    public const string Send = "send";
    /// <summary>Client: join a room.</summary>
    public const string Join = "join";
    /// <summary>Client: leave a room.</summary>
    public const string Leave = "leave";
    /// <summary>Client request and server reply: a page of a conversation's messages.</summary>
    public const string History = "history";
    /// <summary>Client request and server reply: the members of a room online.</summary>
    public const string Who = "who";
    /// <summary>Client request and server reply: the rooms with members online.</summary>
    public const string Rooms = "rooms";
    /// <summary>Client: are you there.</summary>
    public const string Ping = "ping";
    /// <summary>Client: close the session.</summary>
    public const string Quit = "quit";
    /// <summary>Client (1.1): revoke this session's identity token.</summary>
    public const string Logout = "logout";

    /// <summary>Server: the reply to a successful <c>hello</c>.</summary>
    public const string Welcome = "welcome";
    /// <summary>Server: a <c>send</c> is sequenced and stored.</summary>
    public const string Ack = "ack";
    /// <summary>Server: a message of a conversation.</summary>
    public const string Message = "message";
    /// <summary>Server: someone joined, left or quit a room.</summary>
    public const string Presence = "presence";
    /// <summary>Server: the reply to <c>join</c>.</summary>
    public const string Joined = "joined";
    /// <summary>Server: the reply to <c>leave</c>.</summary>
    public const string Left = "left";
    /// <summary>Server: the reply to <c>register</c>.</summary>
    public const string Registered = "registered";
    /// <summary>Server: the reply to <c>ping</c>.</summary>
    public const string Pong = "pong";
    /// <summary>Server (1.1): a request without a reply of its own succeeded.</summary>
    public const string Ok = "ok";
    /// <summary>Server: a refusal, with a code.</summary>
    public const string Error = "error";
}
