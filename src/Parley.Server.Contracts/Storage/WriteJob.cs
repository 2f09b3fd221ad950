namespace Parley.Server.Storage;

/// <summary>
/// A write other than a message (an account, its rooms) or a flush marker, queued with the
/// messages so that a store's one writer does every write. It completes after its batch commits.
/// </summary>
/// <typeparam name="TWork">The store's delegate for the work, run by its writer inside the batch's transaction.</typeparam>
/// <param name="work">The work, or null for a flush marker.</param>
public sealed class WriteJob<TWork>(TWork? work)
    where TWork : Delegate
{
    private readonly TaskCompletionSource<bool> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool result;
    private Exception? refusal;

    /// <summary>Completes with the work's result once the batch committed, or fails.</summary>
    public Task<bool> Completion => completion.Task;

    /// <summary>The work; null for a flush marker.</summary>
    public TWork? Work => work;

    /// <summary>What the work returned, given once its batch commits.</summary>
    public void Ran(bool value) => result = value;

    /// <summary>The database refused the work alone (its savepoint was rolled back); the batch goes on.</summary>
    public void Refused(Exception error) => refusal = error;

    /// <summary>The batch committed.</summary>
    public void Complete()
    {
        if (refusal is null)
        {
            completion.TrySetResult(result);
        }
        else
        {
            completion.TrySetException(refusal);
        }
    }

    /// <summary>The batch was not committed; a flush marker still completes, since its messages had their callbacks.</summary>
    public void Abandon(Exception error)
    {
        if (work is null)
        {
            completion.TrySetResult(false);
        }
        else
        {
            completion.TrySetException(error);
        }
    }
}
