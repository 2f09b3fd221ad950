using System.Globalization;

namespace Parley.Bench;

/// <summary>What one generator process runs: a workload against one server, with its sizes.</summary>
internal sealed class BenchOptions
{
    /// <summary>parley, parley-ws, irc or redis.</summary>
    public string Server { get; set; } = "parley";

    /// <summary>The label the results carry (ngircd, inspircd, parley-ws, …); the server kind when empty.</summary>
    public string Label { get; set; } = "";

    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Parley only (<c>--tls</c>): every connection speaks TLS, lines or WebSocket, to a server started with a certificate.</summary>
    public bool Tls { get; set; }

    public int Port { get; set; } = 12345;

    /// <summary>Several nodes of one cluster (<c>--ports P1,P2</c>): users go to them round-robin; empty means <see cref="Port"/>.</summary>
    public int[] Ports { get; set; } = [];

    /// <summary>fanout, steady, rooms, idle or storm.</summary>
    public string Workload { get; set; } = "fanout";

    public int Users { get; set; } = 1000;

    public int Rooms { get; set; } = 1;

    /// <summary>Senders per room.</summary>
    public int Senders { get; set; } = 10;

    /// <summary>Text bytes per message.</summary>
    public int Size { get; set; } = 100;

    /// <summary>Outstanding sends per sender (fanout).</summary>
    public int Window { get; set; } = 32;

    /// <summary>Messages per second over all senders (steady, rooms).</summary>
    public double Rate { get; set; } = 100;

    public double Duration { get; set; } = 10;

    /// <summary>Seconds of sending before the measured phase (<c>--warmup</c>); by default a fifth of the duration, 0.5 to 3 s.</summary>
    public double? WarmUp { get; set; }

    /// <summary>The warm-up in effect.</summary>
    public TimeSpan WarmUpTime => TimeSpan.FromSeconds(WarmUp ?? Math.Clamp(Duration * 0.2, 0.5, 3));

    /// <summary>Connections being set up at once (ngircd's listen backlog is 10: waves of about 100).</summary>
    public int Concurrency { get; set; } = 500;

    /// <summary>The server's process id, for CPU and memory from /proc.</summary>
    public int ServerPid => ServerPids.Length > 0 ? ServerPids[0] : 0;

    /// <summary>Every server process (<c>--server-pid P1,P2</c>): their CPU seconds are added up.</summary>
    public int[] ServerPids { get; set; } = [];

    public int ShardIndex { get; set; }

    public int ShardCount { get; set; } = 1;

    /// <summary>A directory where shards meet before sending (each writes ready.N).</summary>
    public string? Barrier { get; set; }

    /// <summary>Where the JSON result goes; stdout when empty.</summary>
    public string? Out { get; set; }

    /// <summary>Seconds to wait, once sending stops, for the last deliveries.</summary>
    public double DrainTimeout { get; set; } = 20;

    /// <summary>Ids of this run, so that a reused database never takes a send for a repeat.</summary>
    public string RunId { get; set; } = DateTime.UtcNow.Ticks.ToString("x", CultureInfo.InvariantCulture);

    public string Kind => Server;

    public string Name => !string.IsNullOrEmpty(Label) ? Label : Tls ? Server + "-tls" : Server;

    public bool WebSocket => Server == "parley-ws";

    public int RoomSize => Users / Rooms;

    /// <summary>The port of user <paramref name="user"/>: round-robin over <see cref="Ports"/> among this shard's users, so each shard has users on every node.</summary>
    public int PortFor(int user) => Ports.Length == 0 ? Port : Ports[user / ShardCount % Ports.Length];

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var key = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{key} needs a value");
            double Num() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (key)
            {
                case "--server": o.Server = Next(); break;
                case "--label": o.Label = Next(); break;
                case "--host": o.Host = Next(); break;
                case "--tls": o.Tls = true; break;
                case "--port": o.Port = (int)Num(); break;
                case "--workload": o.Workload = Next(); break;
                case "--users": o.Users = (int)Num(); break;
                case "--rooms": o.Rooms = (int)Num(); break;
                case "--senders": o.Senders = (int)Num(); break;
                case "--size": o.Size = (int)Num(); break;
                case "--window": o.Window = (int)Num(); break;
                case "--rate": o.Rate = Num(); break;
                case "--duration": o.Duration = Num(); break;
                case "--warmup": o.WarmUp = Num(); break;
                case "--concurrency": o.Concurrency = (int)Num(); break;
                case "--ports": o.Ports = Ints(Next()); break;
                case "--server-pid": o.ServerPids = Ints(Next()); break;
                case "--barrier": o.Barrier = Next(); break;
                case "--out": o.Out = Next(); break;
                case "--drain": o.DrainTimeout = Num(); break;
                case "--run-id": o.RunId = Next(); break;
                case "--shard":
                    var parts = Next().Split('/');
                    o.ShardIndex = int.Parse(parts[0], CultureInfo.InvariantCulture);
                    o.ShardCount = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                default: throw new ArgumentException($"unknown option {key}");
            }
        }
        if (o.Server is not ("parley" or "parley-ws" or "irc" or "redis"))
        {
            throw new ArgumentException("--server is parley, parley-ws, irc or redis");
        }
        if (o.Workload is not ("fanout" or "steady" or "rooms" or "idle" or "storm"))
        {
            throw new ArgumentException("--workload is fanout, steady, rooms, idle or storm");
        }
        if (o.Rooms < 1 || o.Users < o.Rooms || o.Senders > o.RoomSize || o.ShardIndex >= o.ShardCount || o.Size < 40)
        {
            throw new ArgumentException("need rooms >= 1, users >= rooms, senders <= users per room, shard i/n with i < n, size >= 40");
        }
        return o;
    }

    private static int[] Ints(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
}
