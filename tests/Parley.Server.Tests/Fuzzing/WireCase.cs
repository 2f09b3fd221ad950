namespace Parley.Server.Tests.Fuzzing;

/// <summary>What one fuzzing connection sends, and where its TCP byte stream is cut into writes.</summary>
/// <param name="Items">The items, in order; none follows one that may close the connection.</param>
/// <param name="WriteCuts">Offsets into the TCP byte stream at which a write ends (over WebSocket, unused).</param>
internal sealed record WireCase(IReadOnlyList<WireItem> Items, int[] WriteCuts)
{
    /// <summary>The case as a failing run shows it: an item per line.</summary>
    public override string ToString() =>
        string.Join("\n", Items.Select((item, i) => $"  {i}: {item}")) + $"\n  TCP writes cut at {string.Join(",", WriteCuts)}";
}
