using System.Net.Sockets;
using System.Text.Json;
using Parley.Bench;
using Parley.Bench.Load;
using Parley.Bench.Report;

// parley-bench run --server parley --port 12345 --workload fanout …   one workload, one server, one shard
// parley-bench merge OUT.json SHARD.json…                             the shards of one run into one result
// parley-bench report RESULTS_DIR DOCS_DIR                            docs/benchmarks.md and the charts
// parley-bench cluster-report RESULTS_DIR DOCS_DIR COMMAND             docs/benchmarks-cluster.md and its section
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("""
        parley-bench run --server parley|parley-ws|irc|redis --port P --workload fanout|steady|rooms|idle|storm
                         [--tls] [--label NAME] [--users N] [--rooms N] [--senders N] [--size B] [--window W] [--rate R]
                         [--duration S] [--warmup S] [--concurrency C] [--server-pid PID[,PID]]
                         [--ports P1,P2 (users round-robin over several nodes)] [--shard i/n --barrier DIR] [--out FILE]
        parley-bench merge OUT.json SHARD.json...
        parley-bench report RESULTS_DIR DOCS_DIR [MACHINE_FILE]
        parley-bench cluster-report RESULTS_DIR DOCS_DIR COMMAND
        parley-bench fsync [DIR]
        """);
    return 0;
}
var json = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
switch (args[0])
{
    case "run":
        var options = BenchOptions.Parse(args[1..]);
        // opened before the run: a run that failed for want of file descriptors can still say why
        var errors = Console.Error;
        RunResult result;
        try
        {
            result = await new LoadRun(options).RunAsync();
        }
        catch (Exception error) when (error is SocketException or TimeoutException)
        {
            // no result to write: say why in one line (the caller counts the run as failed)
            var code = error is SocketException socketError ? $" ({socketError.SocketErrorCode})" : "";
            errors.WriteLine($"[{options.Name} {options.Workload}] no result: {error.Message}{code}");
            return 1;
        }
        var text = JsonSerializer.Serialize(result, json);
        if (options.Out is { } path)
        {
            await File.WriteAllTextAsync(path, text);
        }
        else
        {
            Console.WriteLine(text);
        }
        Console.Error.WriteLine(
            $"[{result.Server} {result.Workload}] {result.DeliveriesPerSecond:N0} deliveries/s, ack p99 {result.Ack.P99:F2} ms, " +
            $"delivery p99 {result.Delivery.P99:F2} ms, server {result.ServerCpuPerMillion:F2} CPU s/M, " +
            $"lost {result.Lost} doubled {result.Doubled} out of order {result.OutOfOrder} errors {result.Errors}" +
            (result.FirstError is null ? "" : $" ({result.FirstError})") + (result.Failed ? " FAILED" : ""));
        return result.Failed ? 1 : 0;
    case "merge":
        var shards = args[2..].Select(f => JsonSerializer.Deserialize<RunResult>(File.ReadAllText(f), json)!).ToList();
        await File.WriteAllTextAsync(args[1], JsonSerializer.Serialize(ShardMerge.Merge(shards), json));
        return 0;
    case "fsync":
        Console.WriteLine(FsyncProbe.Measure(args.Length > 1 ? args[1] : Path.GetTempPath()));
        return 0;
    case "report":
        BenchmarkReport.Write(args[1], args[2], args.Length > 3 ? args[3] : null, json);
        return 0;
    case "cluster-report":
        ClusterReport.Write(args[1], args[2], args[3], json);
        return 0;
    default:
        Console.Error.WriteLine($"unknown command {args[0]}: run, merge, report, cluster-report or fsync");
        return 2;
}
