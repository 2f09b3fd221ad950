using System.Collections.Concurrent;
using Parley.Protocol.Frames;
using Parley.Server.Core;
using Parley.Server.Diagnostics;
using Parley.Server.Tests.Storage;
using Parley.Testing;

namespace Parley.Server.Tests.Core;

/// <summary>
/// The outgoing queue on its own, over a transport that records what it is given: every frame once,
/// in the order queued, with a writer that starts on demand and stops when the queue runs dry.
/// </summary>
public sealed class ClientConnectionTests
{
    [Fact]
    public async Task FramesQueuedFromManyThreadsAllGoOutOnceInEachThreadsOrder()
    {
        const int Threads = 4, PerThread = 5000;
        var connection = RecordingConnection.Started();

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                Assert.True(connection.Enqueue(Frame($"{t}:{i}")));
            }
        })));
        connection.Close();
        await connection.WriterCompletion.WaitAsync(Waits.Long);

        var written = connection.WrittenTexts();
        Assert.Equal(Threads * PerThread, written.Count);
        for (var t = 0; t < Threads; t++)
        {
            var prefix = $"{t}:";
            Assert.Equal(Enumerable.Range(0, PerThread).Select(i => prefix + i), written.Where(w => w.StartsWith(prefix, StringComparison.Ordinal)));
        }
        Assert.True(connection.TransportClosed);
    }

    [Fact]
    public async Task AFrameQueuedAfterTheWriterWentIdleStillGoesOut()
    {
        var connection = RecordingConnection.Started();

        connection.Enqueue(Frame("first"));
        await connection.WaitForAsync("first");
        connection.Enqueue(Frame("second"));
        await connection.WaitForAsync("second");

        Assert.Equal(["first", "second"], connection.WrittenTexts());
        Assert.True(connection.Flushes >= 1);
        Assert.False(connection.TransportClosed);
    }

    [Fact]
    public async Task FramesQueuedWhileTheWriterWaitsGoOutAfterItInOrderAsOneBatch()
    {
        var connection = RecordingConnection.Started(holdFirstFlush: true);
        connection.Enqueue(Frame("one"));
        await connection.WaitForAsync("one");

        // the writer waits on its first flush: the next frame takes the first frame's place, the rest queue behind it
        connection.Enqueue(Frame("two"));
        connection.Enqueue(Frame("three"));
        connection.Enqueue(Frame("four"));
        connection.ReleaseFlush();
        await connection.WaitForAsync("four");
        connection.Close();
        await connection.WriterCompletion.WaitAsync(Waits.Frame);

        Assert.Equal(["one", "two", "three", "four"], connection.WrittenTexts());
        Assert.Equal(2, connection.Flushes);
    }

    [Fact]
    public async Task CloseWritesWhatIsQueuedThenTheFinalFrameThenEndsTheTransport()
    {
        var connection = RecordingConnection.Started();
        connection.Enqueue(Frame("queued"));

        connection.Close(new ErrorFrame { Code = "server_shutdown", Message = "bye" });
        await connection.WriterCompletion.WaitAsync(Waits.Frame);

        var written = connection.WrittenTexts();
        Assert.Equal(2, written.Count);
        Assert.Equal("queued", written[0]);
        Assert.Contains("server_shutdown", written[1], StringComparison.Ordinal);
        Assert.True(connection.TransportClosed);
        Assert.True(connection.Closing.IsCancellationRequested);
    }

    [Fact]
    public async Task AFinalFrameIsNeverLostToAWriterThatIsRunningWhenTheCloseComes()
    {
        // the close races with a writer busy on earlier frames: whichever wins, the final frame goes out last
        for (var round = 0; round < 2000; round++)
        {
            var connection = RecordingConnection.Started();
            for (var i = 0; i < 20; i++)
            {
                connection.Enqueue(Frame($"m{i}"));
            }
            connection.Close(new ErrorFrame { Code = "server_shutdown", Message = "bye" });
            await connection.WriterCompletion.WaitAsync(Waits.Frame);

            var written = connection.WrittenTexts();
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"), written.Take(20));
            Assert.Equal(21, written.Count);
            Assert.Contains("server_shutdown", written[^1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NothingIsQueuedAfterAClose()
    {
        var connection = RecordingConnection.Started();
        connection.Close();
        await connection.WriterCompletion.WaitAsync(Waits.Frame);

        Assert.False(connection.Enqueue(Frame("late")));
        Assert.Empty(connection.WrittenTexts());
        Assert.True(connection.TransportClosed);
    }

    [Fact]
    public async Task AbortDropsWhatIsQueuedAndWritesNoFinalFrame()
    {
        var connection = RecordingConnection.Started(holdFirstFlush: true);
        connection.Enqueue(Frame("stuck"));
        await connection.WaitForAsync("stuck");

        connection.Enqueue(Frame("dropped"));
        connection.Abort();
        await connection.WriterCompletion.WaitAsync(Waits.Frame);

        Assert.Equal(["stuck"], connection.WrittenTexts());
        Assert.True(connection.TransportClosed);
    }

    [Fact]
    public async Task APeerThatStopsReadingOverflowsIntoSlowConsumer()
    {
        var connection = RecordingConnection.Started(holdFirstFlush: true, maxQueuedBytes: 64);
        connection.Enqueue(Frame("stuck"));
        await connection.WaitForAsync("stuck");

        var accepted = 0;
        while (connection.Enqueue(Frame("more")))
        {
            accepted++;
        }
        await connection.WriterCompletion.WaitAsync(Waits.Frame);

        Assert.InRange(accepted, 1, 64);
        Assert.Contains("slow_consumer", connection.WrittenTexts()[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("more", connection.WrittenTexts());
    }

    [Fact]
    public async Task FramesQueuedWithADeliveryBatchGoOutTogetherOnceItIsFlushed()
    {
        var connections = Enumerable.Range(0, 200).Select(_ => RecordingConnection.Started()).ToArray();
        var outside = RecordingConnection.Started();
        var deliveries = new DeliveryBatch();

        foreach (var frame in new[] { "ack", "m1", "m2" })
        {
            foreach (var connection in connections)
            {
                Assert.True(connection.Enqueue(Frame(frame), deliveries));
            }
        }
        // a frame queued without the batch goes out at once ...
        outside.Enqueue(Frame("outside"));
        await outside.WaitForAsync("outside");
        // ... but none of the batch's: no writer starts until the commit's deliveries are all queued
        Assert.All(connections, connection => Assert.Empty(connection.WrittenTexts()));
        Assert.Equal(connections.Length, deliveries.Count);
        deliveries.Flush();
        await Task.WhenAll(connections.Select(connection => connection.WaitForAsync("m2")));

        Assert.All(connections, connection =>
        {
            Assert.Equal(["ack", "m1", "m2"], connection.WrittenTexts());
            // the writer took the commit's frames as one batch
            Assert.Equal(1, connection.Flushes);
        });
    }

    [Fact]
    public async Task AWriterThatFailsInAnUnforeseenWayStillEndsAndClosesTheTransport()
    {
        var connection = RecordingConnection.Started();
        connection.FailWritesWith = new NotSupportedException("a transport bug, on purpose");

        connection.Enqueue(Frame("lost"));
        await connection.WriterCompletion.WaitAsync(Waits.Frame);

        Assert.True(connection.TransportClosed);
        Assert.True(connection.IsClosing);
        Assert.False(connection.Enqueue(Frame("after")));
    }

    [Fact]
    public async Task ATransportThatFailsToCloseInAnUnforeseenWayStillCompletesTheWriter()
    {
        var connection = RecordingConnection.Started();
        connection.FailCloseWith = new NotSupportedException("a transport bug, on purpose");

        connection.Close();

        await connection.WriterCompletion.WaitAsync(Waits.Frame);
    }

    private static byte[] Frame(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    private sealed class RecordingConnection(bool holdFirstFlush) : ClientConnection
    {
        private readonly ConcurrentQueue<byte[]> _written = new();
        private readonly TaskCompletionSource _flushReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaited = new(StringComparer.Ordinal);
        private int _flushes;

        public override string Transport => "test";

        public override string RemoteAddress => "test";

        public int Flushes => Volatile.Read(ref _flushes);

        public bool TransportClosed { get; private set; }

        public Exception? FailWritesWith { get; set; }

        public Exception? FailCloseWith { get; set; }

        public static RecordingConnection Started(bool holdFirstFlush = false, long maxQueuedBytes = 1 << 30)
        {
            var connection = new RecordingConnection(holdFirstFlush);
            connection.Start(maxQueuedBytes, TimeSpan.FromSeconds(2), StandaloneMetrics.Create(), 0);
            return connection;
        }

        /// <summary>Lets a first flush held by <c>holdFirstFlush</c> finish.</summary>
        public void ReleaseFlush() => _flushReleased.TrySetResult();

        public List<string> WrittenTexts() => [.. _written.Select(f => System.Text.Encoding.UTF8.GetString(f))];

        public Task WaitForAsync(string text)
        {
            var awaited = _awaited.GetOrAdd(text, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (WrittenTexts().Contains(text))
            {
                awaited.TrySetResult();
            }
            return awaited.Task.WaitAsync(Waits.Frame);
        }

        protected override ValueTask WriteAsync(byte[] frame)
        {
            if (FailWritesWith is { } failure)
            {
                throw failure;
            }
            _written.Enqueue(frame);
            if (_awaited.TryGetValue(System.Text.Encoding.UTF8.GetString(frame), out var awaited))
            {
                awaited.TrySetResult();
            }
            return ValueTask.CompletedTask;
        }

        protected override async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            // a peer slow to read, or one that stopped: the first flush waits until the test lets it
            // go on or the connection gives up on it
            if (Interlocked.Increment(ref _flushes) == 1 && holdFirstFlush)
            {
                await _flushReleased.Task.WaitAsync(cancellationToken);
            }
        }

        protected override ValueTask CloseTransportAsync()
        {
            if (FailCloseWith is { } failure)
            {
                throw failure;
            }
            TransportClosed = true;
            return ValueTask.CompletedTask;
        }
    }
}
