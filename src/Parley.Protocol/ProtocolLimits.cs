namespace Parley.Protocol;

/// <summary>The fixed limits of protocol v1.</summary>
public static class ProtocolLimits
{
    /// <summary>The default maximum frame size in bytes (the server may be configured otherwise).</summary>
    public const int DefaultMaxFrameBytes = 65_536;
    /// <summary>Longest name or room name (without <c>#</c>), in Unicode code points after NFC.</summary>
    public const int MaxNameLength = 32;
    /// <summary>Longest message text, in Unicode code points after NFC.</summary>
    public const int MaxTextLength = 4_000;
    /// <summary>Longest client-chosen frame <c>id</c>, in Unicode code points.</summary>
    public const int MaxIdLength = 64;
    /// <summary>The history page size when <c>limit</c> is absent.</summary>
    public const int DefaultHistoryLimit = 50;
    /// <summary>The largest history page; a larger <c>limit</c> is taken as this.</summary>
    public const int MaxHistoryLimit = 500;
    /// <summary>The most messages a <c>resume</c> replays per conversation.</summary>
    public const int MaxResumePerConversation = 1_000;
    /// <summary>The room every user shares.</summary>
    public const string Lobby = "#lobby";
    /// <summary>The protocol version this library speaks.</summary>
    public const int Version = 1;
}
