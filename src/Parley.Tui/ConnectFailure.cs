using System.Security.Authentication;
using Parley.Client;
using Parley.Protocol;

namespace Parley.Tui;

/// <summary>Why the first connection failed, said plainly, with the address tried.</summary>
internal static class ConnectFailure
{
    /// <summary>A sentence for the login dialog or standard error.</summary>
    public static string Describe(ParleyException error, string server)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code switch
        {
            // the library's sentence says it was the handshake and why; how to trust a self-signed server is ours to say
            ClientErrorCodes.Unreachable when error.InnerException is AuthenticationException =>
                $"{error.Message}. A server with a self-signed certificate is trusted with --trust-cert FILE.",
            ClientErrorCodes.Unreachable or ClientErrorCodes.ConnectionLost or ClientErrorCodes.Timeout =>
                $"Cannot reach the Parley server at {server}: {error.InnerException?.Message ?? error.Message}",
            ErrorCodes.UsernameTaken => $"That name is taken ({error.Code}): {error.Message}",
            ErrorCodes.InvalidUsername => $"That name cannot be used ({error.Code}): {error.Message}",
            ErrorCodes.AuthFailed => $"Wrong or missing password ({error.Code}): {error.Message}",
            _ => $"The server refused: {error.Code}: {error.Message}",
        };
    }
}
