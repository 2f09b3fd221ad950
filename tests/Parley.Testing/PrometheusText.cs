using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Testing;

/// <summary>Reads a value out of a Prometheus text exposition (<c>/metrics</c>), as a scraper would.</summary>
public static partial class PrometheusText
{
    /// <summary>
    /// The value of the series <paramref name="name"/> whose labels include <paramref name="labels"/> (others, such
    /// as the exporter's <c>otel_scope_name</c>, may be there too); fails unless exactly one series matches.
    /// </summary>
    public static double Value(string exposition, string name, params (string Label, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        var matches = exposition.Split('\n')
            .Select(line => Series().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name)
            .Where(m => labels.All(label => Labels(m.Groups["labels"].Value).Contains(label)))
            .ToList();
        Assert.True(matches.Count == 1, $"{matches.Count} series {name} with {string.Join(", ", labels)} in:\n{exposition}");
        return double.Parse(matches[0].Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    private static HashSet<(string, string)> Labels(string labels) =>
        [.. Label().Matches(labels).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})? (?<value>\S+)""")]
    private static partial Regex Series();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
