using System.Globalization;
using System.Text;
using System.Text.Json;
using Parley.Bench.Load;

namespace Parley.Bench.Report;

/// <summary>
/// Writes <c>docs/benchmarks-cluster.md</c> and its section of <c>docs/benchmarks.md</c> from what
/// <c>bench/cluster.sh</c> measured: the fan-out workload against one node on SQLite, one on PostgreSQL and two on
/// PostgreSQL + Redis.
/// </summary>
internal static class ClusterReport
{
    private const string Sqlite = "sqlite";
    private const string Postgres = "postgres";
    private const string Cluster = "postgres-redis-2";
    private static readonly string[] Configurations = [Sqlite, Postgres, Cluster];

    private static readonly Row[] Rows =
    [
        new("deliveries per second", r => Whole(r.DeliveriesPerSecond)),
        new("messages acknowledged per second", r => Whole(r.MessagesPerSecond)),
        new("ack latency p50 (ms)", r => Two(r.Ack.P50)),
        new("ack latency p99 (ms)", r => Two(r.Ack.P99)),
        new("ack latency p99.9 (ms)", r => Two(r.Ack.P999)),
        new("delivery latency p50 (ms)", r => Two(r.Delivery.P50)),
        new("delivery latency p99 (ms)", r => Two(r.Delivery.P99)),
        new("server CPU s per million deliveries", r => Two(r.ServerCpuPerMillion)),
        new("deliveries per second of server CPU", r => Whole(PerCoreSecond(r))),
        new("generator CPU s", r => Two(r.GeneratorCpuSeconds)),
        new("verdict (lost / doubled / out of order / errors)",
            r => $"{(r.Failed ? "**failed**" : "ok")} {r.Lost}/{r.Doubled}/{r.OutOfOrder}/{r.Errors}"),
    ];

    /// <summary>
    /// Reads <c>sqlite.fanout.json</c>, <c>postgres.fanout.json</c>, <c>postgres-redis-2.fanout.json</c>,
    /// <c>machine.txt</c> and <c>commands.txt</c> in <paramref name="resultsDirectory"/>; writes both pages under
    /// <paramref name="docsDirectory"/>. <paramref name="command"/> is the script's command line that made them.
    /// </summary>
    public static void Write(string resultsDirectory, string docsDirectory, string command, JsonSerializerOptions json)
    {
        var results = Configurations
            .Select(name => (name, path: Path.Combine(resultsDirectory, $"{name}.fanout.json")))
            .Where(c => File.Exists(c.path))
            .ToDictionary(c => c.name, c => JsonSerializer.Deserialize<RunResult>(File.ReadAllText(c.path), json)!);
        var table = FiguresTable(results);
        File.WriteAllText(Path.Combine(docsDirectory, "benchmarks-cluster.md"), Page(resultsDirectory, command, table, results));

        var benchmarks = Path.Combine(docsDirectory, "benchmarks.md");
        var section = new StringBuilder()
            .AppendLine(ClusterSection.Begin)
            .AppendLine("## One node or several: SQLite, PostgreSQL, PostgreSQL + Redis")
            .AppendLine()
            .AppendLine("The fan-out workload above, one generator process, against one node on SQLite, one on PostgreSQL and two")
            .AppendLine(CultureInfo.InvariantCulture, $"sharing PostgreSQL and Redis (`{command}`,")
            .AppendLine("run on its own: the figures are comparable with each other, not with the tables above). The machine, the")
            .AppendLine("commands and what limits each: [One node or several](benchmarks-cluster.md).")
            .AppendLine()
            .Append(table)
            .AppendLine(ClusterSection.End)
            .ToString();
        var page = File.Exists(benchmarks) ? File.ReadAllText(benchmarks).ReplaceLineEndings("\n") : "";
        File.WriteAllText(benchmarks, WithSection(page, section));
    }

    // in place of the section of before, or of the words a compare run leaves where none was yet; else before the charts
    private static string WithSection(string page, string section)
    {
        if ((ClusterSection.Find(page) ?? (page.Contains(ClusterSection.Placeholder, StringComparison.Ordinal) ? ClusterSection.Placeholder : null)) is { } old)
        {
            return page.Replace(old, section, StringComparison.Ordinal);
        }
        var charts = page.IndexOf("\n## Charts", StringComparison.Ordinal);
        return charts < 0 ? page + "\n" + section : page[..(charts + 1)] + section + "\n" + page[(charts + 1)..];
    }

    private static string Page(string resultsDirectory, string command, string table, Dictionary<string, RunResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine("# One node or several: SQLite, PostgreSQL, PostgreSQL + Redis");
        md.AppendLine();
        md.AppendLine("Written by `bench/cluster.sh` (do not edit by hand: rerun it). The same fan-out workload (one room, every");
        md.AppendLine("sender sending again on each ack, see [the method](benchmarks-method.md)) against one Parley node on SQLite,");
        md.AppendLine("one node on PostgreSQL, and two nodes sharing PostgreSQL and a Redis backplane ([scaling](scaling.md)), with");
        md.AppendLine("the generator's users round-robin over the two nodes: half the senders and half the receivers on each, so");
        md.AppendLine("about half the deliveries cross Redis. Every ack is a durable commit (SQLite WAL `synchronous=FULL`; PostgreSQL with");
        md.AppendLine("fsync on). Flow control is lifted (`--Parley:FlowControlDisabled=true`) as in [the comparison](benchmarks.md).");
        md.AppendLine();
        md.AppendLine("**The machine is a 2-core shared virtual machine**: the generator, the nodes, PostgreSQL and Redis all run on");
        md.AppendLine("the same two cores, next to other work (see the load average). The figures compare the three set-ups on");
        md.AppendLine("this box; they say nothing of what two nodes on two machines would do.");
        md.AppendLine();
        md.AppendLine("## The machine");
        md.AppendLine();
        Fenced(md, ReadOrMissing(Path.Combine(resultsDirectory, "machine.txt")));
        md.AppendLine();
        md.AppendLine("## The command");
        md.AppendLine();
        Fenced(md, command);
        md.AppendLine();
        md.AppendLine("which ran:");
        md.AppendLine();
        Fenced(md, ReadOrMissing(Path.Combine(resultsDirectory, "commands.txt")));
        md.AppendLine();
        md.AppendLine("## The figures");
        md.AppendLine();
        md.AppendLine("Server CPU is the Parley nodes' own (both nodes added up for the cluster), not PostgreSQL's or Redis's.");
        md.AppendLine();
        md.Append(table);
        md.AppendLine();
        md.AppendLine("## What limits each");
        md.AppendLine();
        if (results.TryGetValue(Sqlite, out var s) && results.TryGetValue(Postgres, out var p) && results.TryGetValue(Cluster, out var c))
        {
            md.AppendLine(Invariant($"- **One node, SQLite**: the node used {Two(Cores(s))} of the 2 cores while measuring ({Two(s.ServerCpuPerMillion)} CPU s per million deliveries), ack p50 {One(s.Ack.P50)} ms with the commit to a local WAL file: {Verdict(s)}."));
            md.AppendLine(Invariant($"- **One node, PostgreSQL**: ack p50 {One(p.Ack.P50)} ms against SQLite's {One(s.Ack.P50)} ms, as the durable commit becomes a round trip to another process and its fsync; the node used {Two(Cores(p))} cores ({Two(p.ServerCpuPerMillion)} CPU s per million) for {Percent(p.DeliveriesPerSecond, s.DeliveriesPerSecond)}% of SQLite's deliveries per second: {Verdict(p)}. PostgreSQL's own CPU is not counted."));
            md.AppendLine(Invariant($"- **Two nodes, PostgreSQL + Redis**: {Percent(c.DeliveriesPerSecond, p.DeliveriesPerSecond)}% of one PostgreSQL node's deliveries per second, and {Two(PerCoreSecond(c) / PerCoreSecond(p))} of its deliveries per second of server CPU; ack p50 {One(c.Ack.P50)} ms, delivery p50 {One(c.Delivery.P50)} ms (one node: {One(p.Ack.P50)}, {One(p.Delivery.P50)}), every message crossing Redis once to reach the other node's half of the room; the two nodes used {Two(Cores(c))} cores together ({Two(c.ServerCpuPerMillion)} CPU s per million): {Verdict(c)}. On one 2-core box a second node adds a hop and a process, not cores: what it buys needs a machine of its own."));
        }
        else
        {
            md.AppendLine("(a run is missing: no sentences)");
        }
        return md.ToString();
    }

    private static string FiguresTable(Dictionary<string, RunResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine("| figure | one node, SQLite | one node, PostgreSQL | two nodes, PostgreSQL + Redis |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var row in Rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row.Title} |");
            foreach (var configuration in Configurations)
            {
                md.Append(CultureInfo.InvariantCulture, $" {(results.TryGetValue(configuration, out var r) ? row.Value(r) : "missing")} |");
            }
            md.AppendLine();
        }
        return md.ToString();
    }

    // which one limits is read from the figures, not assumed: the cores the nodes used while measuring (of 2, shared
    // with the generator, PostgreSQL and Redis) say whether a node ran out of CPU or waited on its commits
    private static string Verdict(RunResult r) => Cores(r) >= 0.9
        ? "the shared CPU is the limit (the nodes alone kept more than 0.9 of the 2 cores busy; the generator, PostgreSQL and Redis had the rest)"
        : "it is not short of CPU: it waits on its commits (and on the other processes on the same cores)";

    private static double Cores(RunResult r) => r.Seconds > 0 ? r.ServerCpuSeconds / r.Seconds : 0;

    private static double PerCoreSecond(RunResult r) => r.ServerCpuPerMillion > 0 ? 1_000_000 / r.ServerCpuPerMillion : 0;

    private static string Percent(double part, double whole) => whole > 0 ? Math.Round(part / whole * 100).ToString("F0", CultureInfo.InvariantCulture) : "–";

    private static string Whole(double value) => Math.Floor(value).ToString("N0", CultureInfo.InvariantCulture);

    private static string One(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);

    private static string Two(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string ReadOrMissing(string path) => File.Exists(path) ? File.ReadAllText(path).TrimEnd() : "(not recorded)";

    private static void Fenced(StringBuilder md, string text) => md.AppendLine("```").AppendLine(text).AppendLine("```");

    private sealed record Row(string Title, Func<RunResult, string> Value);
}
