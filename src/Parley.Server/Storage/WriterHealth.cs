namespace Parley.Server.Storage;

/// <summary>
/// Whether a store's writer is failing its commits, for <c>/healthz</c>, and the bookkeeping that
/// logs a run of failures once when it starts and once when it ends. Used by the writer alone;
/// <see cref="IsFailing"/> may be read from any thread.
/// </summary>
public sealed class WriterHealth
{
    private int _consecutiveFailures;
    private volatile bool _failing;

    /// <summary>True from a failed commit until the next commit succeeds.</summary>
    public bool IsFailing => _failing;

    /// <summary>Notes a failed commit; true when it starts a run of failures (the one to log).</summary>
    public bool CommitFailed()
    {
        _failing = true;
        return _consecutiveFailures++ == 0;
    }

    /// <summary>Notes a commit that succeeded; returns how many failed before it (a recovery to log when above zero).</summary>
    public int CommitSucceeded()
    {
        var failed = _consecutiveFailures;
        if (failed > 0)
        {
            _consecutiveFailures = 0;
            _failing = false;
        }
        return failed;
    }
}
