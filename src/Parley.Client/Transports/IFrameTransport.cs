using Parley.Protocol.Frames;

namespace Parley.Client.Transports;

/// <summary>
/// One connection to a server, carrying whole frames. One reader and one writer at a time: the client's
/// receive loop reads, its writer loop (or the handshake before that loop starts) writes.
/// <see cref="Abort"/> may be called from any thread.
/// </summary>
internal interface IFrameTransport : IAsyncDisposable
{
    /// <summary>
    /// The next frame from the server, or null when the server closed the connection. Frames of a type this
    /// library does not know, and frames it cannot read, are passed over.
    /// </summary>
    /// <exception cref="InvalidDataException">A frame over the size limit: the stream cannot be trusted any more.</exception>
    ValueTask<ServerFrame?> ReadFrameAsync(CancellationToken cancellationToken);

    /// <summary>Buffers a frame; <see cref="FlushAsync"/> sends what is buffered.</summary>
    void Write(ClientFrame frame);

    /// <summary>Sends every buffered frame.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Closes the connection at once, so that a pending read or write ends. Safe from any thread.</summary>
    void Abort();
}
