using System.Diagnostics;
using CsCheck;
using Parley.Protocol;
using Parley.Testing;
using Parley.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of the server's read loops (TCP lines, WebSocket messages) over real loopback
/// connections: each case is a connection that sends generated frames and garbage, before and after
/// hello, split into pieces, while a steady pair chats beside it. The cases share one server, as clients
/// do; a failure names the seed that replays it alone on a fresh server (CsCheck_Seed).
/// </summary>
public class WireFuzzTests(ITestOutputHelper output)
{
    // each case is a real connection: enough of them to reach every kind of item, few enough for CI
    private const int Cases = 200;

    private static readonly TimeSpan ShrinkingTime = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(Transport.Tcp)]
    [InlineData(Transport.WebSocket)]
    public async Task NoInputThrowsOutOfTheReadLoopGoesUnansweredOrDisturbsAnotherClient(Transport transport)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            // the steady pair sends twice a case, hundreds in a few seconds: more than the default flow control allows
            ["Parley:SendsPerSecond"] = "1000",
            ["Parley:SendBurst"] = "1000",
        });
        await using var steady = await SteadyPair.StartAsync(server, transport);

        var clock = Stopwatch.StartNew();
        TimeSpan? firstFailure = null;
        // each case from an address of its own (Linux routes all of 127.0.0.0/8 to loopback): hundreds of
        // connections a second from one address are what the server's limits refuse
        var cases = 0;
        await WireGen.Case(transport, ProtocolLimits.DefaultMaxFrameBytes).SampleAsync(async play =>
        {
            // after a failure CsCheck plays on to find a smaller case; a hang, though, costs a timeout a case
            if (clock.Elapsed - firstFailure > ShrinkingTime)
            {
                return;
            }
            try
            {
                var errorsBefore = server.Logs.Errors.Count;
                var from = new System.Net.IPAddress([127, 1, (byte)(cases / 250 % 250), (byte)(1 + cases % 250)]);
                Interlocked.Increment(ref cases);
                await using var client = transport == Transport.Tcp
                    ? await RawClient.ConnectTcpFromAsync(server.Tcp, from)
                    : await RawClient.ConnectWebSocketFromAsync(server.WebSocketUri, from);
                var before = await steady.SendAsync();

                var (frames, closed) = await WireExchange.PlayAsync(client, play);
                var after = await steady.SendAsync();

                WireAnswers.Assert(play, frames, closed);
                await before();
                await after();
                Assert.True(server.Logs.Errors.Count == errorsBefore, "the server logged errors:\n" + string.Join("\n", server.Logs.Errors.Skip(errorsBefore)));
            }
            catch
            {
                firstFailure ??= clock.Elapsed;
                throw;
            }
        }, iter: FuzzRuns.Cases(Cases), threads: 1, print: play => play.ToString(), writeLine: output.WriteLine);
    }
}
