using System.Text.RegularExpressions;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>
/// <c>internal_error</c>: a failure inside the server answers the frame it failed on, names a correlation
/// that is in the server's log, loses nothing and leaves the connection open. The failures are injected
/// into the real store (<see cref="FaultyStore"/>).
/// </summary>
public sealed partial class InternalErrorTests
{
    [Theory]
    [InlineData(Transport.Tcp)]
    [InlineData(Transport.WebSocket)]
    public async Task AHandlerThatFailsAnswersInternalErrorWithACorrelationInTheLogAndTheConnectionStaysOpen(Transport transport)
    {
        var (server, store) = await StartAsync();
        await using var _ = server;
        await using var alice = await server.HelloAsync(transport, "alice");
        store.HistoryFails = true;

        var error = await alice.AssertAnsweredWithErrorAsync(new HistoryRequestFrame { Id = "h1", To = "#lobby" }, ErrorCodes.InternalError);

        AssertLoggedWithItsCorrelation(server, error.Str("message")!);
        await alice.AssertStaysOpenAsync();
        store.HistoryFails = false;
        await alice.AssertAckedAsync("s1", "#lobby", "still here");
        var history = await alice.AssertAnsweredAsync(new HistoryRequestFrame { Id = "h2", To = "#lobby" }, "history");
        Assert.Single(history.GetProperty("messages").EnumerateArray());
    }

    [Theory]
    [InlineData(Transport.Tcp)]
    [InlineData(Transport.WebSocket)]
    public async Task ASendTheStoreCannotCommitIsInternalErrorUndeliveredAndItsResendIsStoredOnce(Transport transport)
    {
        var (server, store) = await StartAsync();
        await using var _ = server;
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        store.CommitFailsFor = "doomed";

        var error = await alice.AssertAnsweredWithErrorAsync(new SendFrame { Id = "s1", To = "#lobby", Text = "doomed" }, ErrorCodes.InternalError);

        AssertLoggedWithItsCorrelation(server, error.Str("message")!);
        store.CommitFailsFor = null;
        // the same id again: the failed send was not kept as acknowledged, so this one is stored
        var seq = await alice.AssertAckedAsync("s1", "#lobby", "doomed");
        Assert.Equal(1, seq);
        var (message, skipped) = await bob.WaitForAsync(f => f.Is("message"));
        Assert.Equal("doomed", message.Str("text"));
        Assert.Equal(1, message.Num("seq"));
        Assert.DoesNotContain(skipped, f => f.Is("message"));
        var history = await bob.AssertAnsweredAsync(new HistoryRequestFrame { Id = "h1", To = "#lobby" }, "history");
        Assert.Equal(["doomed"], history.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
    }

    private static async Task<(TestServer Server, FaultyStore Store)> StartAsync()
    {
        var faults = new TaskCompletionSource<FaultyStore>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await TestServer.StartAsync(configure: builder => FaultyStore.Wrap(builder, faults));
        // the injected failures are logged as errors, which is what the tests check
        server.ErrorsExpected = true;
        return (server, await faults.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static void AssertLoggedWithItsCorrelation(TestServer server, string message)
    {
        var correlation = Correlation().Match(message);
        Assert.True(correlation.Success, $"no correlation in \"{message}\"");
        Assert.Contains(server.Logs.Errors, line => line.Contains(correlation.Value, StringComparison.Ordinal) && line.Contains("Injected by the test", StringComparison.Ordinal));
    }

    // a correlation is the connection's id and a counter: c12-1
    [GeneratedRegex(@"c\d+-\d+")]
    private static partial Regex Correlation();
}
