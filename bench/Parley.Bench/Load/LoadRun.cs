using System.Diagnostics;
using System.Text;
using Parley.Bench.Net;
using Parley.Bench.Protocols;

namespace Parley.Bench.Load;

/// <summary>
/// One workload against one server from this process (or this shard): connect every user, say
/// hello, join, meet the other shards, send for the duration, drain, and count.
/// </summary>
internal sealed partial class LoadRun : IConnectionEvents
{
    private readonly BenchOptions _options;
    private readonly ProtocolDriver _driver;
    private readonly List<UserConnection> _users = [];
    private readonly LatencyRecorder _ackLatency = new();
    private readonly LatencyRecorder _deliveryLatency = new();
    private volatile bool _sending;
    private long _delivered;
    private long _lastDeliveryAt;
    private long _errors;
    private string? _firstError;

    public LoadRun(BenchOptions options)
    {
        _options = options;
        _driver = ProtocolDriver.For(options.Kind);
    }

    // how long the idle workload lets a server settle before reading its memory
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);

    private bool Reactive => _options.Workload == "fanout";

    private bool Sends => _options.Workload is "fanout" or "steady" or "rooms";

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var o = _options;
        var pid = o.ServerPid;
        var result = new RunResult
        {
            Server = o.Name, Kind = o.Kind, Workload = o.Workload, Users = o.Users, Rooms = o.Rooms, Senders = o.Senders,
            Size = o.Size, Window = o.Window, Rate = o.Rate, Shards = o.ShardCount,
            Command = "parley-bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
        };
        CreateUsers();
        if (o.Workload == "idle")
        {
            result.WarmUpConnections = await WarmUpConnectionsAsync(cancellationToken).ConfigureAwait(false);
        }
        result.ServerRssBefore = ProcessStats.RssBytes(pid);
        var setup = Stopwatch.StartNew();
        await SetUpAsync(joinRooms: Sends, cancellationToken).ConfigureAwait(false);
        result.SetupSeconds = setup.Elapsed.TotalSeconds;
        result.Connected = _users.Count;
        Console.Error.WriteLine($"[{o.Name} {o.Workload}] {_users.Count} users ready in {result.SetupSeconds:F2} s");

        if (o.Workload == "idle")
        {
            // let the server settle (allocation bursts of the connects, a GC) before reading its memory
            await Task.Delay(SettleTime, cancellationToken).ConfigureAwait(false);
            result.ServerRssAfter = ProcessStats.RssBytes(pid);
            result.BytesPerConnection = (result.ServerRssAfter - result.ServerRssBefore) / (double)Math.Max(1, _users.Count);
        }
        await MeetShardsAsync(cancellationToken).ConfigureAwait(false);
        if (Sends)
        {
            await SendPhaseAsync(result, cancellationToken).ConfigureAwait(false);
        }
        foreach (var user in _users)
        {
            user.Close();
        }
        Tally(result);
        result.GeneratorCpuSeconds = ProcessStats.OwnCpuSeconds();
        return result;
    }

    private void CreateUsers()
    {
        var o = _options;
        for (var u = o.ShardIndex; u < o.Users; u += o.ShardCount)
        {
            var room = u / o.RoomSize;
            var local = u % o.RoomSize;
            var slot = local < o.Senders ? local : -1;
            var roomName = _driver.RoomName(room);
            var user = new UserConnection(u, _driver, o.WebSocket, o.Tls, this)
            {
                RoomName = roomName,
                Slot = slot,
                Port = o.PortFor(u),
                Tally = new ReceiverTally(room, slot, o.Senders),
            };
            _users.Add(user);
        }
    }

    /// <summary>
    /// Before the idle workload's first reading: 1 % of its users (at least 10 per generator process, names of their own)
    /// connect, say hello and leave, then the server settles. What a server loads, compiles and sizes
    /// on its first connections is then not counted as memory per connection: that is a cost paid
    /// once, which a division by N would charge to every connection.
    /// </summary>
    private async Task<int> WarmUpConnectionsAsync(CancellationToken cancellationToken)
    {
        var o = _options;
        // numbered after the measured users, each shard in its own residue class as they are
        var warmUp = Enumerable.Range(0, Math.Max(10, o.Users / 100 / o.ShardCount))
            .Select(i => o.Users + (i * o.ShardCount) + o.ShardIndex)
            .Select(u => new UserConnection(u, _driver, o.WebSocket, o.Tls, this) { RoomName = _driver.RoomName(0), Slot = -1, Port = o.PortFor(u) })
            .ToList();
        await SetUpAsync(warmUp, joinRooms: false, cancellationToken).ConfigureAwait(false);
        foreach (var user in warmUp)
        {
            user.Close();
        }
        await Task.Delay(SettleTime, cancellationToken).ConfigureAwait(false);
        return warmUp.Count;
    }

    private Task SetUpAsync(bool joinRooms, CancellationToken cancellationToken) =>
        SetUpAsync(_users, joinRooms, cancellationToken);

    private async Task SetUpAsync(List<UserConnection> users, bool joinRooms, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(_options.Concurrency);
        var timeout = TimeSpan.FromSeconds(120);
        async Task OneAsync(UserConnection user)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await user.ConnectAsync(_options.Host, user.Port, cancellationToken).ConfigureAwait(false);
                var name = "u" + user.User.ToString(System.Globalization.CultureInfo.InvariantCulture);
                user.SendHello(name);
                await user.Welcomed.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                if (joinRooms)
                {
                    user.SendJoin(user.RoomName);
                    await user.Joined.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                gate.Release();
            }
        }
        await Task.WhenAll(users.Select(OneAsync)).ConfigureAwait(false);
    }

    // setting up 10,000 users of the slowest peer takes about half a minute
    private static readonly TimeSpan ShardMeetingPatience = TimeSpan.FromMinutes(5);

    private async Task MeetShardsAsync(CancellationToken cancellationToken)
    {
        if (_options.Barrier is not { } directory || _options.ShardCount == 1)
        {
            return;
        }
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, $"ready.{_options.ShardIndex}"), "ready", cancellationToken).ConfigureAwait(false);
        // a shard that failed never gets ready: the others give up instead of waiting for ever
        var deadline = Stopwatch.StartNew();
        while (Directory.GetFiles(directory, "ready.*").Length < _options.ShardCount)
        {
            if (deadline.Elapsed > ShardMeetingPatience)
            {
                throw new TimeoutException($"the other generator processes were not ready after {ShardMeetingPatience.TotalMinutes} minutes");
            }
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    public void OnMessage(UserConnection connection, int slot, long seq, long sentAt, long now)
    {
        if (connection.Tally is not { } tally || !tally.Record(slot, seq))
        {
            return;
        }
        Interlocked.Increment(ref _delivered);
        Volatile.Write(ref _lastDeliveryAt, now);
        _deliveryLatency.Record(sentAt, now);
    }

    public void OnAck(UserConnection connection, long sentAt, long now)
    {
        _ackLatency.Record(sentAt, now);
        if (Reactive && _sending)
        {
            connection.SendMessage(connection.RoomName, _options.RunId, connection.Slot, _options.Size);
        }
    }

    public void OnError(UserConnection connection, ReadOnlySpan<byte> record)
    {
        if (Interlocked.Increment(ref _errors) == 1)
        {
            _firstError = Encoding.UTF8.GetString(record);
        }
    }
}
