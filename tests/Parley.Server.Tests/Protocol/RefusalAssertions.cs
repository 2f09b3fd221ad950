using System.Text.Json;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>
/// The two connection behaviours of the protocol's error table, proven on the wire: a connection
/// that stays open answers a following ping; a closed one ends right after its error frame.
/// </summary>
/// <remarks>
/// Presence and messages (frames without an id) may arrive in between and are passed over; any
/// other reply is not, so a frame that got two replies fails the test.
/// </remarks>
internal static class RefusalAssertions
{
    private static int s_pings;

    /// <summary>Asserts an error with this code, a sentence, and exactly this id (no id when null).</summary>
    public static JsonElement AssertErrorFor(this JsonElement frame, string code, string? id)
    {
        frame.AssertError(code);
        Assert.Equal(id, frame.Id());
        return frame;
    }

    /// <summary>Sends <paramref name="json"/> as one frame; the next reply must be this error.</summary>
    public static async Task<JsonElement> AssertAnsweredWithErrorAsync(this RawClient client, string json, string code, string? id)
    {
        await client.SendRawAsync(json);
        return (await client.NextReplyAsync()).AssertErrorFor(code, id);
    }

    /// <summary>Sends a frame object; the next reply must be this error carrying the frame's id.</summary>
    public static Task<JsonElement> AssertAnsweredWithErrorAsync(this RawClient client, ClientFrame frame, string code) =>
        client.AssertAnsweredWithErrorAsync(FrameCodec.ToJson(frame), code, frame.Id);

    /// <summary>Sends <paramref name="json"/> as one frame; the next reply must be this error, then the connection must still answer.</summary>
    public static async Task<JsonElement> AssertRefusedAsync(this RawClient client, string json, string code, string? id)
    {
        var error = await client.AssertAnsweredWithErrorAsync(json, code, id);
        await client.AssertStaysOpenAsync();
        return error;
    }

    /// <summary>Sends a frame object; the next reply must be this error carrying the frame's id, then the connection must still answer.</summary>
    public static Task<JsonElement> AssertRefusedAsync(this RawClient client, ClientFrame frame, string code) =>
        client.AssertRefusedAsync(FrameCodec.ToJson(frame), code, frame.Id);

    /// <summary>
    /// On a fresh server from <paramref name="servers"/> (one in-process server when null), <paramref name="user"/>
    /// says hello and sends <paramref name="json"/>: the next reply must be this error, then the connection must still answer.
    /// </summary>
    public static async Task AssertRefusedAfterHelloAsync(ServerFactory? servers, Transport transport, string json, string code, string? id, string user = "alice")
    {
        await using var server = await (servers ?? ServerFactories.InProcess)();
        await using var client = await server.HelloAsync(transport, user);
        await client.AssertRefusedAsync(json, code, id);
    }

    /// <summary>As <see cref="AssertRefusedAfterHelloAsync(ServerFactory?, Transport, string, string, string?, string)"/>, with a frame object whose id the error must carry.</summary>
    public static Task AssertRefusedAfterHelloAsync(ServerFactory? servers, Transport transport, ClientFrame frame, string code, string user = "alice") =>
        AssertRefusedAfterHelloAsync(servers, transport, FrameCodec.ToJson(frame), code, frame.Id, user);

    /// <summary>Proves the connection is open and in step: a ping with an id gets its pong as the next reply.</summary>
    public static async Task AssertStaysOpenAsync(this RawClient client)
    {
        var id = $"alive-{Interlocked.Increment(ref s_pings)}";
        await client.SendAsync(new PingFrame { Id = id });
        await client.AssertPongAsync(id);
    }

    /// <summary>The next reply must be the pong of the ping <paramref name="id"/>.</summary>
    public static async Task AssertPongAsync(this RawClient client, string id)
    {
        var pong = await client.NextReplyAsync();
        Assert.True(pong.Is("pong"), $"expected the pong of {id}, got {pong.GetRawText()}");
        Assert.Equal(id, pong.Id());
    }

    /// <summary>Proves the server's last frame was this error (with no id) and that it then closed the connection.</summary>
    public static async Task AssertClosedAfterErrorAsync(this RawClient client, string code)
    {
        var frames = await client.ClosedAsync();
        Assert.True(frames.Count > 0, $"the connection closed without the {code} error");
        frames[^1].AssertErrorFor(code, null);
    }
}
