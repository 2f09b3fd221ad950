namespace Parley.Bench.Report;

/// <summary>
/// The section of <c>docs/benchmarks.md</c> that <c>bench/cluster.sh</c> writes (one node on SQLite,
/// one on PostgreSQL, two on PostgreSQL + Redis), between two marker lines. A compare run rewrites
/// the rest of the page and keeps this section as it was: the two scripts run apart.
/// </summary>
internal static class ClusterSection
{
    public const string Begin = "<!-- bench/cluster.sh writes this section -->";
    public const string End = "<!-- end of the section bench/cluster.sh writes -->";

    /// <summary>What stands where cluster.sh has not written its section yet.</summary>
    public const string Placeholder =
        "One node on SQLite beside one on PostgreSQL and two on PostgreSQL + Redis: run `bench/cluster.sh`, which writes\n" +
        "its figures here and in [One node or several](benchmarks-cluster.md).\n";

    /// <summary>The section in <paramref name="page"/>, both markers included, or null when it has none.</summary>
    public static string? Find(string page)
    {
        var begin = page.IndexOf(Begin + "\n", StringComparison.Ordinal);
        if (begin < 0)
        {
            return null;
        }
        var end = page.IndexOf(End, begin, StringComparison.Ordinal);
        return end < 0 ? null : page[begin..(end + End.Length)] + "\n";
    }

    /// <summary>The section of the page at <paramref name="path"/> if it has one, else the placeholder.</summary>
    public static string KeptFrom(string path) =>
        (File.Exists(path) ? Find(File.ReadAllText(path).ReplaceLineEndings("\n")) : null) ?? Placeholder;
}
