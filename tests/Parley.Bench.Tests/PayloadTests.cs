using System.Text;
using Parley.Bench.Load;
using Parley.Bench.Net;

namespace Parley.Bench.Tests;

/// <summary>The message payload and the WebSocket framing of the generator.</summary>
public sealed class PayloadTests
{
    [Fact]
    public void APayloadIsPaddedToTheSizeAndReadBackFromAnyRecordAroundIt()
    {
        var buffer = new byte[200];
        var length = Payload.Write(buffer, 100, slot: 7, seq: 123_456, sentAt: 987_654_321_000);
        var record = Encoding.ASCII.GetBytes(":u1!u1@127.0.0.1 PRIVMSG #bench0 :" + Encoding.ASCII.GetString(buffer, 0, length));

        Assert.Equal(100, length);
        Assert.True(Payload.TryRead(record, out var slot, out var seq, out var sentAt));
        Assert.Equal((7, 123_456L, 987_654_321_000L), (slot, seq, sentAt));
    }

    [Fact]
    public void ARecordWithoutAPayloadIsNotAMessage()
    {
        Assert.False(Payload.TryRead("{\"type\":\"ack\",\"id\":\"1\"}"u8, out _, out _, out _));
        Assert.False(Payload.TryRead("~m12"u8, out _, out _, out _));
    }

    [Fact]
    public void AServerFrameIsReadOnlyOnceAllOfItHasArrived()
    {
        byte[] frame = [0x81, 126, 0x01, 0x00, .. new byte[256]];

        Assert.False(WebSocketFrames.TryRead(frame.AsSpan(0, 100), out _, out _, out _));
        Assert.True(WebSocketFrames.TryRead(frame, out var opcode, out var start, out var length));
        Assert.Equal((1, 4, 256), (opcode, start, length));
    }
}
