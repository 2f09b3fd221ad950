using System.Text.Json;
using Parley.Bench.Report;

namespace Parley.Bench.Tests;

/// <summary>A compare run rewrites docs/benchmarks.md and keeps the section bench/cluster.sh wrote in it.</summary>
public sealed class ClusterSectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-report-").FullName;

    private string Page => Path.Combine(_dir, "docs", "benchmarks.md");

    [Fact]
    public void TheReportKeepsTheClusterSection()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Page)!);
        var section = $"{ClusterSection.Begin}\n## One node or several\n\n| figure | a |\n|---|---:|\n| deliveries per second | 42 |\n{ClusterSection.End}\n";
        File.WriteAllText(Page, "# old page\n\nold figures\n\n" + section + "\n## Charts\n");

        WriteReport();

        var page = File.ReadAllText(Page);
        Assert.Contains(section, page, StringComparison.Ordinal);
        Assert.DoesNotContain("old figures", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf(section, StringComparison.Ordinal) < page.IndexOf("## Charts", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutASectionTheReportSaysHowToWriteOne()
    {
        WriteReport();

        var page = File.ReadAllText(Page);
        Assert.Contains(ClusterSection.Placeholder, page, StringComparison.Ordinal);
        Assert.DoesNotContain(ClusterSection.Begin, page, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnendedSectionIsNotKept()
    {
        Assert.Null(ClusterSection.Find($"# page\n{ClusterSection.Begin}\n| half a table |\n"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void WriteReport()
    {
        var results = Directory.CreateDirectory(Path.Combine(_dir, "results")).FullName;
        BenchmarkReport.Write(results, Path.GetDirectoryName(Page)!, machineFile: null, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }
}
