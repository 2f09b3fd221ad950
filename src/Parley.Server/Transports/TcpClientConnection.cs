using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Parley.Server.Core;

namespace Parley.Server.Transports;

/// <summary>A client over raw TCP: each frame is one line, ended by <c>\n</c>.</summary>
internal sealed class TcpClientConnection(ConnectionContext context) : ClientConnection
{
    private readonly PipeWriter _output = context.Transport.Output;

    public override string Transport => "tcp";

    public override string RemoteAddress => context.RemoteEndPoint?.ToString() ?? "?";

    protected override ValueTask WriteAsync(byte[] frame)
    {
        // frames are batched in the pipe and go out together on the next flush
        _output.Write(frame);
        _output.Write("\n"u8);
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask FlushAsync(CancellationToken cancellationToken) =>
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);

    // the read loop waits without a token: a cancelled read is how it learns of the close
    protected override void StopReading() => context.Transport.Input.CancelPendingRead();

    // the read loop was woken by StopReading when the close began
    protected override async ValueTask CloseTransportAsync() =>
        await _output.CompleteAsync().ConfigureAwait(false);
}
