using Parley.Client;

namespace Parley.Tui.State;

/// <summary>The connection as the status line tells it.</summary>
/// <param name="State">Connected, reconnecting, offline.</param>
/// <param name="Server">The address tried.</param>
/// <param name="Attempt">While reconnecting: the attempt that comes next, from 1.</param>
/// <param name="Error">Why the connection was lost or given up, if known.</param>
internal sealed record ConnectionStatus(ParleyClientState State, string Server, int Attempt = 0, string? Error = null)
{
    /// <summary>The status line's text.</summary>
    public string Describe(string user) => State switch
    {
        ParleyClientState.Connected => $"connected to {Server} as {user}",
        ParleyClientState.Connecting => $"connecting to {Server} …",
        ParleyClientState.Reconnecting => $"reconnecting to {Server} (attempt {Attempt}){(Error is null ? "" : ": " + Error)}",
        _ => $"offline{(Error is null ? "" : ": " + Error)}",
    };
}
