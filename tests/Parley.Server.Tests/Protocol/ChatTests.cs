using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>People talking: rooms, direct messages, acks, presence. Run over both transports.</summary>
public abstract class ChatTests(Transport transport, ServerFactory? servers = null)
{
    /// <summary>Starts the server under test: one in-process server unless a subclass gives another factory.</summary>
    protected Task<IServerUnderTest> StartServerAsync(IDictionary<string, string>? settings = null) =>
        (servers ?? ServerFactories.InProcess)(settings);

    [Fact]
    public async Task TwoClientsChatInTheLobby()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.HelloAsync(transport, "alice");
        await using var bob = await server.HelloAsync(transport, "bob");
        var joined = await alice.NextAsync();
        Assert.Equal("presence", joined.Type());
        Assert.Equal("bob", joined.Str("user"));
        Assert.Equal("join", joined.Str("event"));

        await alice.SendAsync(new SendFrame { Id = "a1", To = "#lobby", Text = "hi all" });
        var ack = await alice.NextAsync();
        Assert.Equal("ack", ack.Type());
        Assert.Equal("a1", ack.Id());
        Assert.Equal(1, ack.Num("seq"));

        var message = await bob.NextAsync();
        Assert.Equal("message", message.Type());
        Assert.Equal("alice", message.Str("from"));
        Assert.Equal("#lobby", message.Str("to"));
        Assert.Equal("hi all", message.Str("text"));
        Assert.Equal(1, message.Num("seq"));
        Assert.Equal(ack.Str("ts"), message.Str("ts"));

        await bob.SendAsync(new SendFrame { Id = "b1", To = "#lobby", Text = "hello alice" });
        Assert.Equal(2, (await bob.NextAsync()).Num("seq"));
        var reply = await alice.NextAsync();
        Assert.Equal("hello alice", reply.Str("text"));
        Assert.Equal(2, reply.Num("seq"));
    }

    [Fact]
    public async Task TwentyClientsEachSeeEveryOtherMessageInSeqOrder()
    {
        await using var server = await StartServerAsync();
        var clients = new List<RawClient>();
        for (var i = 0; i < 20; i++)
        {
            clients.Add(await server.HelloAsync(transport, $"user{i}"));
        }
        for (var i = 0; i < 20; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                await clients[i].SendAsync(new SendFrame { Id = $"m{j}", To = "#lobby", Text = $"{i}:{j}" });
            }
        }
        for (var i = 0; i < 20; i++)
        {
            var seqs = new List<long>();
            var acks = 0;
            while (seqs.Count < 57 || acks < 3)
            {
                var frame = await clients[i].NextAsync();
                if (frame.Is("message"))
                {
                    Assert.NotEqual($"user{i}", frame.Str("from"));
                    seqs.Add(frame.Num("seq"));
                }
                else if (frame.Is("ack"))
                {
                    acks++;
                }
            }
            Assert.Equal(seqs.Order(), seqs);
            Assert.Equal(57, seqs.Distinct().Count());
        }
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}

public sealed class TcpChatTests() : ChatTests(Transport.Tcp);

public sealed class WebSocketChatTests() : ChatTests(Transport.WebSocket);
