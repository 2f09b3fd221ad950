using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Server.Diagnostics;
using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>
/// Brings every account's stored name key and skeleton, and every room's skeleton, up to the current name
/// rules at start, before the first hello. A name the rules now refuse keeps its old key (it keeps signing
/// in); two accounts or rooms whose names now look alike both keep working and are reported, for the
/// operator to settle.
/// </summary>
internal static partial class NameRulesUpgrade
{
    public static async Task RunAsync(IChatStore store, ILogger logger, CancellationToken cancellationToken)
    {
        await UpgradeAccountsAsync(store, logger, cancellationToken).ConfigureAwait(false);
        await UpgradeRoomsAsync(store, logger, cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpgradeRoomsAsync(IChatStore store, ILogger logger, CancellationToken cancellationToken)
    {
        var bySkeleton = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var room in await store.ListRoomsWithoutSkeletonAsync(cancellationToken).ConfigureAwait(false))
        {
            var skeleton = Names.SkeletonOf(room);
            if (bySkeleton.TryGetValue(skeleton, out var lookalike))
            {
                LogRoomsCollide(logger, room, lookalike);
            }
            bySkeleton.TryAdd(skeleton, room);
            await store.SetRoomSkeletonAsync(room, skeleton, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task UpgradeAccountsAsync(IChatStore store, ILogger logger, CancellationToken cancellationToken)
    {
        var accounts = await store.ListAccountNamesAsync(cancellationToken).ConfigureAwait(false);
        var keys = accounts.Select(a => a.UserKey).ToHashSet(StringComparer.Ordinal);
        var bySkeleton = new Dictionary<string, AccountName>(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            var key = Names.TryNormalizeUser(account.Name, out _, out var current) ? current : account.UserKey;
            if (key != account.UserKey && !keys.Add(key))
            {
                // an older account has the key under the current rules: this one keeps its own
                LogCollide(logger, account.Name, accounts.First(a => a.UserKey == key).Name);
                key = account.UserKey;
            }
            var skeleton = Names.SkeletonOf(key);
            if (bySkeleton.TryGetValue(skeleton, out var lookalike))
            {
                LogCollide(logger, account.Name, lookalike.Name);
            }
            else
            {
                bySkeleton[skeleton] = account;
            }
            if (key != account.UserKey || skeleton != account.Skeleton || account.NameRules != NameRules.Current)
            {
                await store.UpdateAccountNameAsync(account.Identity, key, skeleton, NameRules.Current, cancellationToken).ConfigureAwait(false);
                if (key != account.UserKey)
                {
                    keys.Remove(account.UserKey);
                }
                LogUpdated(logger, account.Name);
            }
        }
    }

    [LoggerMessage(EventId = ParleyEventIds.RoomsCollide, Level = LogLevel.Warning,
        Message = "The rooms {Room} and {Other} look alike under the name rules of protocol 1.1; both stay, but no new room may look like either")]
    private static partial void LogRoomsCollide(ILogger logger, string room, string other);

    [LoggerMessage(EventId = ParleyEventIds.AccountNameUpdated, Level = LogLevel.Debug, Message = "The account {Name} now follows the current name rules")]
    private static partial void LogUpdated(ILogger logger, string name);

    [LoggerMessage(EventId = ParleyEventIds.AccountNamesCollide, Level = LogLevel.Warning,
        Message = "The accounts {Name} and {Other} look alike under the name rules of protocol 1.1; both keep signing in, but consider renaming one (delete it and register anew)")]
    private static partial void LogCollide(ILogger logger, string name, string other);
}
