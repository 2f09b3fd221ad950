using Parley.Server.Cluster;

namespace Parley.Server.Core;

/// <summary>One server: its <see cref="SessionRegistry"/> is the only place names are held.</summary>
public sealed class LocalNameDirectory : INameDirectory
{
    private static readonly Task<NameClaim> Claimed = Task.FromResult(new NameClaim(true, null));

    /// <inheritdoc />
    public bool IsShared => false;

    /// <inheritdoc />
    public Task<NameClaim> TryClaimAsync(string skeleton, ClientSession session, string identity, string details, bool takeOver) => Claimed;

    /// <inheritdoc />
    public void Release(string skeleton, ClientSession session, TimeSpan keep)
    {
    }

    /// <inheritdoc />
    public Task<HeldName?> FindAsync(string skeleton) => Task.FromResult<HeldName?>(null);

    /// <inheritdoc />
    public bool IsHolder(string holder, ClientSession session) => false;

    /// <inheritdoc />
    public void WatchLost(Action<string, string> onLost)
    {
    }
}
