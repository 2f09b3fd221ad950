using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Client.Transports;

/// <summary>Frames over a WebSocket: one JSON object per text message. Binary messages are passed over.</summary>
internal sealed class WebSocketFrameTransport : IFrameTransport
{
    private readonly ClientWebSocket _socket;
    private readonly int _maxFrameBytes;
    private readonly List<byte[]> _unsent = [];
    private byte[] _buffer = new byte[4096];

    private WebSocketFrameTransport(ClientWebSocket socket, int maxFrameBytes)
    {
        _socket = socket;
        _maxFrameBytes = maxFrameBytes;
    }

    public static async Task<WebSocketFrameTransport> ConnectAsync(Uri server, int maxFrameBytes, X509Certificate2? trusted, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        if (ServerCertificateTrust.For(trusted) is { } trust)
        {
            socket.Options.RemoteCertificateValidationCallback = trust;
        }
        try
        {
            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            return new WebSocketFrameTransport(socket, maxFrameBytes);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<ServerFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count == _buffer.Length)
                {
                    if (count > _maxFrameBytes)
                    {
                        throw new InvalidDataException($"The server sent a frame over {_maxFrameBytes} bytes.");
                    }
                    Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxFrameBytes + 1));
                }
                result = await _socket.ReceiveAsync(_buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                count += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            if (count > _maxFrameBytes)
            {
                throw new InvalidDataException($"The server sent a frame over {_maxFrameBytes} bytes.");
            }
            if (result.MessageType == WebSocketMessageType.Text && ServerFrameDecoder.Decode(_buffer.AsSpan(0, count)) is { } frame)
            {
                return frame;
            }
        }
    }

    public void Write(ClientFrame frame) => _unsent.Add(FrameCodec.ToBytes(frame));

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var message in _unsent)
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        _unsent.Clear();
    }

    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
