using Microsoft.Extensions.Logging;
using Parley.Protocol;
using Parley.Server.Diagnostics;
using Parley.Server.Storage;

namespace Parley.Server.Core;

/// <summary>
/// Brings every account's stored name key and skeleton up to the current name rules at start, before
/// the first hello. A name the rules now refuse keeps its old key (it keeps signing in); two accounts
/// whose names now look alike both keep working and are reported, for the operator to settle.
/// </summary>
internal static partial class AccountNameUpgrade
{
    public static async Task RunAsync(IChatStore store, ILogger logger, CancellationToken cancellationToken)
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

    [LoggerMessage(EventId = ParleyEventIds.AccountNameUpdated, Level = LogLevel.Debug, Message = "The account {Name} now follows the current name rules")]
    private static partial void LogUpdated(ILogger logger, string name);

    [LoggerMessage(EventId = ParleyEventIds.AccountNamesCollide, Level = LogLevel.Warning,
        Message = "The accounts {Name} and {Other} look alike under the name rules of protocol 1.1; both keep signing in, but consider renaming one (delete it and register anew)")]
    private static partial void LogCollide(ILogger logger, string name, string other);
}
