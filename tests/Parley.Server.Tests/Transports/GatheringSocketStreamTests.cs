using System.Net;
using System.Net.Sockets;
using Parley.Server.Transports;
using Parley.Testing;

namespace Parley.Server.Tests.Transports;

public sealed class GatheringSocketStreamTests
{
    [Fact]
    public async Task WhatIsGatheredLeavesWithTheNextWriteInOrder()
    {
        var (server, client) = await ConnectedPairAsync();
        using var peer = client;
        await using var stream = new GatheringSocketStream(server);

        stream.Gathering = true;
        await stream.WriteAsync("one "u8.ToArray());
        await stream.WriteAsync("two "u8.ToArray());
        // on loopback a send is in the peer's buffer when it returns: nothing was sent yet
        Assert.Equal(0, peer.Available);

        stream.Gathering = false;
        await stream.WriteAsync("three"u8.ToArray());
        Assert.Equal("one two three", await ReadAsync(peer, "one two three".Length));

        // not gathering: a write goes out at once
        await stream.WriteAsync(" four"u8.ToArray());
        Assert.Equal(" four", await ReadAsync(peer, " four".Length));
    }

    private static async Task<(Socket Server, Socket Client)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(Waits.Frame);
        var server = await listener.AcceptAsync().WaitAsync(Waits.Frame);
        return (server, client);
    }

    private static async Task<string> ReadAsync(Socket socket, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var count = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(Waits.Frame);
            Assert.NotEqual(0, count);
            read += count;
        }
        return System.Text.Encoding.ASCII.GetString(buffer);
    }
}
