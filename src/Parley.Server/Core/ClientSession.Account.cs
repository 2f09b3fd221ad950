using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Server.Limits;
using Parley.Server.Storage;

namespace Parley.Server.Core;

public sealed partial class ClientSession
{
    private async Task RegisterAsync(RegisterFrame register)
    {
        if (IsAccount)
        {
            Fail(register.Id, ErrorCodes.AlreadyRegistered, $"{User} is already registered.");
            return;
        }
        var guest = Holder!;
        var password = register.Password!;
        if (password.EnumerateRunes().Count() < 8 || string.Equals(password, User, StringComparison.OrdinalIgnoreCase)
            || (Names.TryNormalizeUser(password, out _, out var asName) && string.Equals(asName, guest.NameKey, StringComparison.Ordinal)))
        {
            Fail(register.Id, ErrorCodes.WeakPassword, "A password needs at least 8 characters and must not be the name itself.");
            return;
        }
        if (CommonPasswords.Contains(password))
        {
            Fail(register.Id, ErrorCodes.WeakPassword, "That password is one of the most common ones, the first a guesser tries. Pick another.");
            return;
        }
        if (_server.Registrations.MustWait(AddressKey) is { } wait)
        {
            _server.Refusals.Refused(AddressKey, RefusalReasons.Registrations);
            Fail(register.Id, ErrorCodes.RateLimited, "Too many accounts were registered from here lately. Wait, then try again.", RetryAfterMs(wait));
            return;
        }
        if (_server.PasswordWork.TryRunAsync(() => PasswordHasher.Hash(password)) is not { } hashing)
        {
            _server.Refusals.Refused(AddressKey, RefusalReasons.PasswordQueueFull);
            Fail(register.Id, ErrorCodes.RateLimited, "The server is busy with passwords. Try again in a moment.", PasswordBusyRetryMs);
            return;
        }
        var hash = await hashing.ConfigureAwait(false);
        // the guest's identity becomes the account's: its direct conversations stay its own
        var created = await _server.Store.TryCreateAccountAsync(
            new Account(guest.Identity, guest.NameKey, guest.Skeleton, guest.Name, hash, [.. _rooms])).ConfigureAwait(false);
        if (!created)
        {
            Fail(register.Id, ErrorCodes.AlreadyRegistered, $"{User} is already registered.");
            return;
        }
        var token = IdentityTokens.NewToken();
        var tokenHash = IdentityTokens.HashOf(token);
        await _server.Store.SaveTokenAsync(tokenHash, guest.Identity, _server.Time.GetUtcNow()).ConfigureAwait(false);
        // the name is now held for the account: the guest's token signs in no more
        var account = guest with { GuestTokenHash = null, IsGuest = false };
        await _server.Users.TryClaimAsync(account, this, takeOver: true).ConfigureAwait(false);
        Holder = account;
        _tokenHash = tokenHash;
        _server.Registrations.Registered(AddressKey);
        LogAccountRegistered(User!, Connection.Id);
        Reply(new RegisteredFrame { Id = register.Id, User = User!, Token = token });
    }

    /// <summary>
    /// Revokes this session's token. A guest's identity then has no way back: it ends with this connection,
    /// without a grace period.
    /// </summary>
    private async Task LogoutAsync(LogoutFrame logout)
    {
        if (IsAccount)
        {
            await _server.Store.RevokeTokenAsync(_tokenHash!).ConfigureAwait(false);
        }
        else if (Holder is { GuestTokenHash: not null } guest)
        {
            var tokenless = guest with { GuestTokenHash = null };
            await _server.Users.TryClaimAsync(tokenless, this, takeOver: true).ConfigureAwait(false);
            Holder = tokenless;
        }
        LogLoggedOut(User!, Connection.Id);
        Reply(new OkFrame { Id = logout.Id });
    }
}
