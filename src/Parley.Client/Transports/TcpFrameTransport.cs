using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Client.Transports;

/// <summary>
/// Frames over TCP: one JSON object per line (<see cref="LineFramer"/>), read through a <see cref="PipeReader"/>;
/// for <c>tls://</c>, the same lines inside TLS.
/// </summary>
internal sealed class TcpFrameTransport : IFrameTransport
{
    private static ReadOnlySpan<byte> NewLine => "\n"u8;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly int _maxFrameBytes;

    private TcpFrameTransport(Socket socket, Stream stream, int maxFrameBytes)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _maxFrameBytes = maxFrameBytes;
    }

    public static async Task<TcpFrameTransport> ConnectAsync(Uri server, int maxFrameBytes, X509Certificate2? trusted, CancellationToken cancellationToken)
    {
        // a dual-mode socket reaches both IPv4 and IPv6 addresses of the host
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var port = server.Port > 0 ? server.Port : ParleyClientOptions.DefaultTcpPort;
            await socket.ConnectAsync(server.IdnHost, port, cancellationToken).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            if (server.Scheme != "tls")
            {
                return new TcpFrameTransport(socket, stream, maxFrameBytes);
            }
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    // the name the certificate must carry (an IP address is checked against its IP entries)
                    TargetHost = server.IdnHost,
                    RemoteCertificateValidationCallback = ServerCertificateTrust.For(trusted),
                }, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await tls.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return new TcpFrameTransport(socket, tls, maxFrameBytes);
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
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = LineFramer.TryReadFrame(ref buffer, _maxFrameBytes, out var line);
            if (status == LineFrameStatus.TooLarge)
            {
                _reader.AdvanceTo(buffer.Start);
                throw new InvalidDataException($"The server sent a frame over {_maxFrameBytes} bytes.");
            }
            if (status == LineFrameStatus.Frame)
            {
                // decoded before AdvanceTo: the line's bytes belong to the pipe until then
                var frame = Decode(line);
                _reader.AdvanceTo(buffer.Start);
                if (frame is not null)
                {
                    return frame;
                }
                continue;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return null;
            }
        }
    }

    public void Write(ClientFrame frame)
    {
        FrameCodec.Write(_writer, frame);
        _writer.Write(NewLine);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken) =>
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);

    public void Abort() => _socket.Dispose();

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            // completing writes out what is still buffered, to a peer that may be gone
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private static ServerFrame? Decode(in ReadOnlySequence<byte> line) =>
        ServerFrameDecoder.Decode(line.IsSingleSegment ? line.FirstSpan : line.ToArray());
}
