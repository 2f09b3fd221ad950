using System.Net.Sockets;
using Parley.Server.Transports;

namespace Parley.Server.Tests.Transports;

/// <summary>The accept loop neither spins nor floods the log when accepting fails, and stops on a dead listener.</summary>
public sealed class AcceptFailuresTests
{
    [Fact]
    public void RunningOutOfDescriptorsIsToldOnceAndWaitedOutWithAGrowingPause()
    {
        var failures = new AcceptFailures();

        var decisions = Enumerable.Range(0, 8).Select(_ => failures.OnFailure(SocketError.TooManyOpenSockets)).ToList();

        Assert.All(decisions, d => Assert.Equal(AcceptAction.Pause, d.Action));
        Assert.Equal([true, false, false, false, false, false, false, false], decisions.Select(d => d.Tell));
        Assert.Equal(AcceptFailures.FirstPause, decisions[0].Pause);
        Assert.True(decisions.Zip(decisions.Skip(1)).All(p => p.Second.Pause >= p.First.Pause));
        Assert.Equal(AcceptFailures.LongestPause, decisions[^1].Pause);
    }

    [Fact]
    public void AStreakEndsWithTheNextAcceptAndTheNextStreakIsToldAgain()
    {
        var failures = new AcceptFailures();
        failures.OnFailure(SocketError.NoBufferSpaceAvailable);
        failures.OnFailure(SocketError.NoBufferSpaceAvailable);

        Assert.True(failures.OnSuccess());
        Assert.False(failures.OnSuccess());
        var next = failures.OnFailure(SocketError.TooManyOpenSockets);
        Assert.Equal((true, AcceptFailures.FirstPause), (next.Tell, next.Pause));
    }

    [Theory]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.ConnectionAborted)]
    public void AClientThatResetBeforeItWasAcceptedIsNothing(SocketError error)
    {
        Assert.Equal(new AcceptDecision(AcceptAction.Retry, TimeSpan.Zero, false), new AcceptFailures().OnFailure(error));
    }

    [Theory]
    [InlineData(SocketError.NotSocket)]
    [InlineData(SocketError.InvalidArgument)]
    [InlineData(SocketError.OperationAborted)]
    public void AnyOtherFailureIsADeadListenerThatStopsTheLoop(SocketError error)
    {
        var decision = new AcceptFailures().OnFailure(error);

        Assert.Equal((AcceptAction.Stop, true), (decision.Action, decision.Tell));
    }
}
