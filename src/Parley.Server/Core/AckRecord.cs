namespace Parley.Server.Core;

/// <summary>
/// What a repeated send's ack needs of its original: its place and its time. The ledger keeps this
/// much for each recent ack, not the message: a hundred thousand texts kept for seconds would pass
/// through every generation of the garbage collector.
/// </summary>
/// <param name="Seq">The original's <c>seq</c>.</param>
/// <param name="Ts">The original's timestamp.</param>
public readonly record struct AckRecord(long Seq, DateTimeOffset Ts);
