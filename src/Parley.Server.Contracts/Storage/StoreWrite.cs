namespace Parley.Server.Storage;

/// <summary>
/// A write other than a message (an account, a token, a room), committed in the same transaction as
/// the messages of its batch. Each kind is a record of its own (<c>StoreWrites.cs</c>); the engine
/// applies it and sets its result.
/// </summary>
public abstract record StoreWrite
{
    /// <summary>Set by the engine when the database refused this write alone (its savepoint was rolled back); the batch went on.</summary>
    public Exception? Refusal { get; set; }
}
