using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using Parley.Bench.Load;
using Parley.Bench.Protocols;

namespace Parley.Bench.Net;

/// <summary>What a workload hears from a connection; called on the connection's receive loop.</summary>
internal interface IConnectionEvents
{
    void OnMessage(UserConnection connection, int slot, long seq, long sentAt, long now);

    void OnAck(UserConnection connection, long sentAt, long now);

    void OnError(UserConnection connection, ReadOnlySpan<byte> record);
}

/// <summary>
/// One simulated user's socket: a receive loop over one buffer of its own that splits lines or
/// WebSocket messages in place and hands them on, and synchronous sends from one scratch buffer
/// under a lock. Nothing on the message path allocates. With TLS, the same bytes go through an
/// <see cref="SslStream"/> over the socket.
/// </summary>
internal sealed class UserConnection
{
    private const int ReceiveBytes = 16 * 1024;
    private readonly ProtocolDriver _driver;
    private readonly IConnectionEvents _events;
    private readonly bool _webSocket;
    private readonly bool _useTls;
    private readonly Lock _sendLock = new();
    private readonly byte[] _scratch = new byte[4096];
    private readonly byte[] _text = new byte[2048];
    private readonly long[] _outstanding = new long[8192];
    private byte[] _receive = new byte[ReceiveBytes];
    private Socket? _socket;
    private SslStream? _tls;
    private bool _handshaking;
    private int _outstandingHead;
    private int _outstandingCount;
    private long _nextSeq;
    private bool _joinPending;

    public UserConnection(int user, ProtocolDriver driver, bool webSocket, bool tls, IConnectionEvents events)
    {
        User = user;
        _driver = driver;
        _webSocket = webSocket;
        _useTls = tls;
        _events = events;
        _handshaking = webSocket;
    }

    public int User { get; }

    /// <summary>The room this user is in, as the protocol writes it.</summary>
    public string RoomName { get; set; } = "";

    /// <summary>The server port this user connects to (one node of several, with <c>--ports</c>).</summary>
    public int Port { get; set; }

    /// <summary>The sender slot within the room, or -1 for a user who only receives.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Receiver state of this user (null for a user whose deliveries are not counted).</summary>
    public ReceiverTally? Tally { get; set; }

    public TaskCompletionSource Welcomed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Joined { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Sent => Volatile.Read(ref _nextSeq);

    public long Acked { get; private set; }

    public int Outstanding
    {
        get
        {
            lock (_sendLock)
            {
                return _outstandingCount;
            }
        }
    }

    public async Task ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        _socket = socket;
        if (_useTls)
        {
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                // a load generator against a server of the operator's own, usually with a self-signed certificate:
                // what is measured is the cost of TLS, not whether the certificate is trusted
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            }, cancellationToken).ConfigureAwait(false);
            _tls = tls;
        }
        if (_webSocket)
        {
            var upgrade = WebSocketFrames.UpgradeRequest(host, port, "/ws");
            if (_tls is not null)
            {
                _tls.Write(upgrade);
            }
            else
            {
                socket.Send(upgrade);
            }
        }
        _ = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    public void SendHello(string user) => SendCommand(user, static (d, b, s) => d.WriteHello(b, s));

    public void SendJoin(string room)
    {
        // before the write: the reply may be read before the write returns
        Volatile.Write(ref _joinPending, true);
        SendCommand(room, static (d, b, s) => d.WriteJoin(b, s));
    }

    /// <summary>Sends the next message of this sender; its send time goes on the outstanding list for the ack.</summary>
    public void SendMessage(string room, string runId, int slot, int size)
    {
        lock (_sendLock)
        {
            if (_outstandingCount == _outstanding.Length)
            {
                return;
            }
            var seq = ++_nextSeq;
            var now = Stopwatch.GetTimestamp();
            var textLength = Payload.Write(_text, size, slot, seq, now);
            var header = _webSocket ? WebSocketFrames.MaxHeader : 0;
            var length = _driver.WriteSend(_scratch.AsSpan(header), room, runId, seq, _text.AsSpan(0, textLength));
            _outstanding[(_outstandingHead + _outstandingCount) % _outstanding.Length] = now;
            _outstandingCount++;
            SendFramed(header, length);
        }
    }

    public void Close()
    {
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _tls?.Dispose();
        _socket?.Dispose();
    }

    private void SendCommand(string argument, Func<ProtocolDriver, Span<byte>, string, int> write)
    {
        lock (_sendLock)
        {
            var header = _webSocket ? WebSocketFrames.MaxHeader : 0;
            var length = write(_driver, _scratch.AsSpan(header), argument);
            SendFramed(header, length);
        }
    }

    private void SendRaw(ReadOnlySpan<byte> record)
    {
        lock (_sendLock)
        {
            var header = _webSocket ? WebSocketFrames.MaxHeader : 0;
            record.CopyTo(_scratch.AsSpan(header));
            SendFramed(header, record.Length);
        }
    }

    /// <summary>Frames the record at <c>_scratch[reserved..]</c> and sends it. Called under the send lock.</summary>
    private void SendFramed(int reserved, int length)
    {
        int start, end;
        if (_webSocket)
        {
            Span<byte> header = stackalloc byte[WebSocketFrames.MaxHeader];
            var headerLength = WebSocketFrames.WriteHeader(header, length);
            start = reserved - headerLength;
            header[..headerLength].CopyTo(_scratch.AsSpan(start));
            end = reserved + length;
        }
        else
        {
            start = 0;
            end = length;
            _scratch[end++] = (byte)'\r';
            _scratch[end++] = (byte)'\n';
        }
        var socket = _socket!;
        var span = _scratch.AsSpan(start, end - start);
        try
        {
            if (_tls is not null)
            {
                _tls.Write(span);
                return;
            }
            while (!span.IsEmpty)
            {
                span = span[socket.Send(span)..];
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Closed.TrySetResult();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var socket = _socket!;
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == _receive.Length)
                {
                    Array.Resize(ref _receive, _receive.Length * 2);
                }
                var read = _tls is not null
                    ? await _tls.ReadAsync(_receive.AsMemory(filled)).ConfigureAwait(false)
                    : await socket.ReceiveAsync(_receive.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                filled += read;
                var consumed = Dispatch(_receive.AsSpan(0, filled));
                if (consumed > 0)
                {
                    _receive.AsSpan(consumed, filled - consumed).CopyTo(_receive);
                    filled -= consumed;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // closed by the run or by the server
        }
        Closed.TrySetResult();
    }

    private int Dispatch(ReadOnlySpan<byte> data)
    {
        var consumed = 0;
        while (consumed < data.Length)
        {
            var rest = data[consumed..];
            if (_webSocket && !_handshaking)
            {
                if (!WebSocketFrames.TryRead(rest, out var opcode, out var payloadStart, out var payloadLength))
                {
                    break;
                }
                consumed += payloadStart + payloadLength;
                if (opcode == 0x8)
                {
                    Closed.TrySetResult();
                }
                else if (opcode is 0x1 or 0x0)
                {
                    OnRecord(rest.Slice(payloadStart, payloadLength));
                }
                continue;
            }
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }
            consumed += newline + 1;
            var line = rest[..newline];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (_handshaking)
            {
                // the HTTP upgrade response ends with an empty line; frames follow
                _handshaking = !line.IsEmpty;
                continue;
            }
            OnRecord(line);
        }
        return consumed;
    }

    private void OnRecord(ReadOnlySpan<byte> record)
    {
        if (Payload.TryRead(record, out var slot, out var seq, out var sentAt))
        {
            _events.OnMessage(this, slot, seq, sentAt, Stopwatch.GetTimestamp());
            return;
        }
        switch (_driver.Classify(record, Volatile.Read(ref _joinPending)))
        {
            case RecordKind.Ack:
                long sent;
                lock (_sendLock)
                {
                    if (_outstandingCount == 0)
                    {
                        return;
                    }
                    sent = _outstanding[_outstandingHead];
                    _outstandingHead = (_outstandingHead + 1) % _outstanding.Length;
                    _outstandingCount--;
                    Acked++;
                }
                _events.OnAck(this, sent, Stopwatch.GetTimestamp());
                break;
            case RecordKind.Welcome:
                Welcomed.TrySetResult();
                break;
            case RecordKind.Joined:
                Volatile.Write(ref _joinPending, false);
                Joined.TrySetResult();
                break;
            case RecordKind.Ping:
                Span<byte> pong = stackalloc byte[record.Length];
                var length = _driver.WritePong(pong, record);
                SendRaw(pong[..length]);
                break;
            case RecordKind.Error:
                _events.OnError(this, record);
                break;
        }
    }
}
