using Parley.Testing.Fuzzing;

namespace Parley.Server.Tests.Fuzzing;

/// <summary>How a fuzzing client puts an item on the wire.</summary>
internal enum WireItemKind
{
    /// <summary>A line over TCP, a text message over WebSocket.</summary>
    Text,
    /// <summary>A binary WebSocket message (over TCP, a line like any other).</summary>
    Binary,
    /// <summary>More bytes than a frame may have: the server answers <c>frame_too_large</c> and closes.</summary>
    Oversize,
}

/// <summary>One thing a fuzzing client sends, and the reply it is owed.</summary>
/// <param name="Kind">How it is sent.</param>
/// <param name="Bytes">What is sent, without a TCP line ending.</param>
/// <param name="Id">
/// The id the one reply it is owed carries (a valid id the protocol says is echoed), or null when no
/// reply with an id is owed (no id, an invalid one, or not a frame at all).
/// </param>
/// <param name="ReplyOptional">True for a <c>quit</c>: after <c>hello</c>, closing the connection is its answer.</param>
/// <param name="Cuts">Where the bytes are cut: the fragments of a WebSocket message, offsets in order.</param>
/// <param name="CarriageReturn">Over TCP, whether the line ends in <c>\r\n</c> rather than <c>\n</c>.</param>
internal sealed record WireItem(WireItemKind Kind, byte[] Bytes, string? Id, bool ReplyOptional, int[] Cuts, bool CarriageReturn)
{
    /// <summary>True for what may close the connection: an oversize frame, or a <c>quit</c> after <c>hello</c>.</summary>
    public bool MayClose => Kind == WireItemKind.Oversize || ReplyOptional;

    /// <summary>The item in one line of a failing case.</summary>
    public override string ToString() =>
        $"{Kind}{(Id is null ? "" : $" owed {Show.Text(Id)}")}{(ReplyOptional ? " (quit)" : "")} "
        + (Kind == WireItemKind.Oversize ? $"{Bytes.Length} bytes" : Show.Bytes(Bytes))
        + (Cuts.Length > 0 ? $" cut at {string.Join(",", Cuts)}" : "");
}
