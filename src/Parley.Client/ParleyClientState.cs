using Parley.Protocol.Frames;

namespace Parley.Client;

/// <summary>Where a <see cref="ParleyClient"/> is in its life.</summary>
public enum ParleyClientState
{
    /// <summary>No connection and none being made: not connected yet, gave up, quit or disposed.</summary>
    Offline,
    /// <summary>The first connection is being made (<see cref="ParleyClient.ConnectAsync"/>).</summary>
    Connecting,
    /// <summary>Welcomed by the server: frames flow.</summary>
    Connected,
    /// <summary>The connection was lost; the client waits, then tries again and resumes.</summary>
    Reconnecting,
}

/// <summary>Tells that <see cref="ParleyClient.State"/> changed.</summary>
public sealed class ParleyStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event's arguments.</summary>
    public ParleyStateChangedEventArgs(
        ParleyClientState previous, ParleyClientState state, int attempt = 0, TimeSpan? nextDelay = null, ParleyException? error = null)
    {
        Previous = previous;
        State = state;
        Attempt = attempt;
        NextDelay = nextDelay;
        Error = error;
    }

    /// <summary>The state before.</summary>
    public ParleyClientState Previous { get; }

    /// <summary>The state now.</summary>
    public ParleyClientState State { get; }

    /// <summary>With <see cref="ParleyClientState.Reconnecting"/>: which attempt comes next, from 1.</summary>
    public int Attempt { get; }

    /// <summary>With <see cref="ParleyClientState.Reconnecting"/>: how long the client waits before that attempt.</summary>
    public TimeSpan? NextDelay { get; }

    /// <summary>Why the connection ended or the client gave up, when that is why the state changed.</summary>
    public ParleyException? Error { get; }
}

/// <summary>Carries a frame that is not a reply to a request: a message, a presence, an error without id.</summary>
public sealed class ParleyFrameEventArgs : EventArgs
{
    /// <summary>Creates the event's arguments.</summary>
    public ParleyFrameEventArgs(ServerFrame frame) => Frame = frame;

    /// <summary>The frame.</summary>
    public ServerFrame Frame { get; }
}

/// <summary>Tells that the server welcomed the client: on the first connection and on every reconnect.</summary>
public sealed class ParleyWelcomeEventArgs : EventArgs
{
    /// <summary>Creates the event's arguments.</summary>
    public ParleyWelcomeEventArgs(WelcomeFrame welcome, bool isNewIdentity)
    {
        Welcome = welcome;
        IsNewIdentity = isNewIdentity;
    }

    /// <summary>The <c>welcome</c>: the rooms, the newest seq of each conversation (rooms and direct ones), the token.</summary>
    public WelcomeFrame Welcome { get; }

    /// <summary>
    /// True when the server no longer knew the client's guest identity (it restarted, or the client was away
    /// longer than the guest's grace period) and the client signed in as a new guest under its name: the direct
    /// conversations of before are not this identity's. Tell the user; registering keeps an identity for good.
    /// </summary>
    public bool IsNewIdentity { get; }
}
