using System.Net;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Limits;

/// <summary>
/// An attacker guessing one account's password: connections from a few addresses, over both transports, each
/// sending <c>hello</c> with a wrong password again and again, as soon as the last one is answered (a guesser
/// does not honour <c>retryAfterMs</c>).
/// </summary>
internal sealed class PasswordGuessingLoop
{
    private long _failed;
    private long _rateLimited;

    /// <summary>Guesses the server checked and found wrong.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Guesses refused without a check.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Guesses <paramref name="account"/>'s password until <paramref name="stop"/>, from each address over <paramref name="connectionsPerAddress"/> connections.</summary>
    public async Task RunAsync(TestServer server, IReadOnlyList<IPAddress> addresses, int connectionsPerAddress, string account, CancellationToken stop)
    {
        var guessers = new List<RawClient>();
        try
        {
            foreach (var address in addresses)
            {
                for (var i = 0; i < connectionsPerAddress; i++)
                {
                    guessers.Add(i % 2 == 0
                        ? await RawClient.ConnectTcpFromAsync(server.Tcp, address)
                        : await RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, address));
                }
            }
            await Task.WhenAll(guessers.Select((guesser, i) => GuessAsync(guesser, $"{account}-{i}", account, stop)));
        }
        finally
        {
            foreach (var guesser in guessers)
            {
                await guesser.DisposeAsync();
            }
        }
    }

    private async Task GuessAsync(RawClient guesser, string prefix, string account, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = $"g{n}";
            await guesser.SendAsync(new HelloFrame { Id = id, User = account, Password = $"{prefix} guess {n}" });
            var reply = await guesser.ReplyAsync(id, Waits.Long);
            var code = reply.Is("error") ? reply.Str("code") : reply.Type();
            _ = code switch
            {
                "auth_failed" => Interlocked.Increment(ref _failed),
                "rate_limited" => Interlocked.Increment(ref _rateLimited),
                _ => throw new Xunit.Sdk.XunitException($"A guess was answered {reply.GetRawText()}"),
            };
        }
    }
}
