using System.Net.Sockets;

namespace Parley.Server.Transports;

/// <summary>
/// What the accept loop does about a failed accept: a client that reset before it was accepted is
/// nothing; running out of descriptors or memory is waited out with a growing pause and told once per
/// streak, not every time; anything else means the listener is dead, and the loop stops.
/// </summary>
/// <remarks>Used by one accept loop at a time: not thread-safe.</remarks>
internal sealed class AcceptFailures
{
    /// <summary>The first pause after a resource error.</summary>
    public static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest pause: a full process still notices a freed descriptor within it.</summary>
    public static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    private TimeSpan _pause = TimeSpan.Zero;

    /// <summary>What to do after an accept failed with <paramref name="error"/>.</summary>
    public AcceptDecision OnFailure(SocketError error)
    {
        if (error is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Interrupted)
        {
            return new AcceptDecision(AcceptAction.Retry, TimeSpan.Zero, Tell: false);
        }
        if (error is not (SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable))
        {
            return new AcceptDecision(AcceptAction.Stop, TimeSpan.Zero, Tell: true);
        }
        var first = _pause == TimeSpan.Zero;
        _pause = first ? FirstPause : TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, LongestPause.Ticks));
        return new AcceptDecision(AcceptAction.Pause, _pause, Tell: first);
    }

    /// <summary>An accept succeeded: a streak of failures, if any, is over. True when one was.</summary>
    public bool OnSuccess()
    {
        var hadStreak = _pause != TimeSpan.Zero;
        _pause = TimeSpan.Zero;
        return hadStreak;
    }
}

/// <summary>What the accept loop does next.</summary>
internal enum AcceptAction
{
    /// <summary>Accept again at once.</summary>
    Retry,
    /// <summary>Wait, then accept again.</summary>
    Pause,
    /// <summary>The listener is dead: stop accepting.</summary>
    Stop,
}

/// <summary>A decision of <see cref="AcceptFailures"/>.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Pause">How long to wait first, for <see cref="AcceptAction.Pause"/>.</param>
/// <param name="Tell">Whether to log it: once per streak, not per attempt.</param>
internal readonly record struct AcceptDecision(AcceptAction Action, TimeSpan Pause, bool Tell);
