namespace Parley.Server.Core;

/// <summary>
/// Who is in which room across the whole deployment, as <c>who</c> and <c>rooms</c> report it: this server's own
/// rooms, or every node's through the cluster's backplane. The core asks it without knowing which it has.
/// </summary>
public interface IRoomDirectory
{
    /// <summary>True while every member can be reached and counted (always, on one server).</summary>
    bool IsReachable { get; }

    /// <summary>The names of <paramref name="room"/>'s members, in no order.</summary>
    Task<IReadOnlyList<string>> MembersAsync(string room);

    /// <summary>Rooms with members, and how many each has.</summary>
    Task<IReadOnlyDictionary<string, int>> CountsAsync();

    /// <summary>
    /// Completes once the joins and leaves published so far show in every server's <c>who</c> and <c>rooms</c>:
    /// the reply that tells a client it is in (or out of) a room waits for it. Never throws.
    /// </summary>
    Task RecordedAsync();
}
