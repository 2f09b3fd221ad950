using System.Text.Json;
using Parley.Protocol.Frames;

namespace Parley.Testing;

/// <summary>
/// Replies to requests, as the wire shows them: presence and messages (frames without an id) that arrive in
/// between are passed over; any other reply is not, so a frame that got two replies fails the test.
/// </summary>
public static class ReplyAssertions
{
    /// <summary>The next reply: the next frame with an id, or the next error (an error may have no id).</summary>
    public static async Task<JsonElement> NextReplyAsync(this RawClient client)
    {
        var (reply, _) = await client.WaitForAsync(f => f.Id() is not null || f.Is("error"));
        return reply;
    }

    /// <summary>Says hello on an open connection; the next reply must be its welcome.</summary>
    public static async Task AssertWelcomedAsync(this RawClient client, string user, string? password = null)
    {
        await client.SendAsync(new HelloFrame { Id = "hello", User = user, Password = password });
        var welcome = await client.NextReplyAsync();
        Assert.True(welcome.Is("welcome"), $"expected welcome, got {welcome.GetRawText()}");
        Assert.Equal("hello", welcome.Id());
    }

    /// <summary>Sends a request; the next reply must be of <paramref name="replyType"/> and carry the request's id. Returns it.</summary>
    public static async Task<JsonElement> AssertAnsweredAsync(this RawClient client, ClientFrame request, string replyType)
    {
        await client.SendAsync(request);
        var reply = await client.NextReplyAsync();
        Assert.True(reply.Is(replyType), $"expected {replyType}, got {reply.GetRawText()}");
        Assert.Equal(request.Id, reply.Id());
        return reply;
    }

    /// <summary>Sends a message and asserts its ack; returns the seq.</summary>
    public static async Task<long> AssertAckedAsync(this RawClient client, string id, string to, string text)
    {
        var ack = await client.AssertAnsweredAsync(new SendFrame { Id = id, To = to, Text = text }, "ack");
        return ack.Num("seq");
    }
}
