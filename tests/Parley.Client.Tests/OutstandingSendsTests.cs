using Parley.Client.Internal;

namespace Parley.Client.Tests;

public class OutstandingSendsTests
{
    private static PendingSend Send(string id) => new(id, "#lobby", "text " + id);

    [Fact]
    public void SendsAreResentInTheOrderTheyWereFirstSent()
    {
        var sends = new OutstandingSends();
        sends.Add(Send("c"));
        sends.Add(Send("a"));
        sends.Add(Send("b"));

        Assert.Equal(["c", "a", "b"], sends.InOrder().Select(s => s.Id));
    }

    [Fact]
    public void AnAcknowledgedSendLeavesTheLedgerAndTheRestKeepTheirOrder()
    {
        var sends = new OutstandingSends();
        sends.Add(Send("1"));
        sends.Add(Send("2"));
        sends.Add(Send("3"));

        Assert.True(sends.TryTake("2", out var taken));

        Assert.Equal("2", taken.Id);
        Assert.Equal(["1", "3"], sends.InOrder().Select(s => s.Id));
        Assert.False(sends.TryTake("2", out _));
    }

    [Fact]
    public void ASendAddedAfterATakeGoesLast()
    {
        var sends = new OutstandingSends();
        sends.Add(Send("1"));
        sends.Add(Send("2"));
        sends.TryTake("1", out _);

        sends.Add(Send("3"));

        Assert.Equal(["2", "3"], sends.InOrder().Select(s => s.Id));
    }

    [Fact]
    public void AResentFrameKeepsItsOriginalId()
    {
        var sends = new OutstandingSends();
        var send = Send("x1");
        sends.Add(send);

        var frame = Assert.Single(sends.InOrder()).Frame;

        Assert.Same(send.Frame, frame);
        Assert.Equal("x1", frame.Id);
    }

    [Fact]
    public void RemovingAWithdrawnSendLeavesOnlyThatSend()
    {
        var sends = new OutstandingSends();
        var first = Send("1");
        sends.Add(first);
        sends.Add(Send("2"));

        Assert.True(sends.Remove(first));
        Assert.False(sends.Remove(first));
        Assert.Equal(["2"], sends.InOrder().Select(s => s.Id));
    }

    [Fact]
    public void ADuplicateIdIsRefused()
    {
        var sends = new OutstandingSends();
        sends.Add(Send("1"));

        Assert.Throws<ArgumentException>(() => sends.Add(Send("1")));
    }

    [Fact]
    public void TakeAllEmptiesTheLedgerInOrder()
    {
        var sends = new OutstandingSends();
        sends.Add(Send("1"));
        sends.Add(Send("2"));

        Assert.Equal(["1", "2"], sends.TakeAll().Select(s => s.Id));
        Assert.Equal(0, sends.Count);
        Assert.Empty(sends.InOrder());
    }
}
