using Microsoft.Extensions.Logging;
using Parley.Server.Diagnostics;

namespace Parley.Server.Core;

public sealed partial class ClientSession
{
    [LoggerMessage(EventId = ParleyEventIds.SessionStarted, Level = LogLevel.Information, Message = "{User} said hello on {ConnectionId} over {Transport} (client {Client})")]
    private partial void LogSessionStarted(string user, string connectionId, string transport, string? client);

    [LoggerMessage(EventId = ParleyEventIds.SessionEnded, Level = LogLevel.Information, Message = "{User} left ({ConnectionId})")]
    private partial void LogSessionEnded(string user, string connectionId);

    [LoggerMessage(EventId = ParleyEventIds.AccountRegistered, Level = LogLevel.Information, Message = "{User} registered an account ({ConnectionId})")]
    private partial void LogAccountRegistered(string user, string connectionId);

    [LoggerMessage(EventId = ParleyEventIds.HandlerFailed, Level = LogLevel.Error, Message = "Handling a {FrameType} frame failed; the client was told {Correlation}")]
    private partial void LogHandlerFailed(string correlation, string frameType, Exception exception);

    [LoggerMessage(EventId = ParleyEventIds.StoreFailed, Level = LogLevel.Error, Message = "A message could not be stored; the client was told {Correlation}")]
    internal partial void LogStoreFailed(string correlation, Exception exception);

    [LoggerMessage(EventId = ParleyEventIds.LoggedOut, Level = LogLevel.Information, Message = "{User} logged out: the token of {ConnectionId} is revoked")]
    private partial void LogLoggedOut(string user, string connectionId);

    [LoggerMessage(EventId = ParleyEventIds.AuthFailed, Level = LogLevel.Warning, Message = "Wrong or missing password or token for {User} on {ConnectionId} from {Remote}")]
    private partial void LogAuthFailed(string user, string connectionId, string remote);

    [LoggerMessage(EventId = ParleyEventIds.FrameTooLarge, Level = LogLevel.Information, Message = "Connection {ConnectionId} ({User}) sent a frame over {Limit} bytes and is closed")]
    private partial void LogFrameTooLarge(string connectionId, string? user, int limit);
}
