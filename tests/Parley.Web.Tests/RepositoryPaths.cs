namespace Parley.Web.Tests;

/// <summary>Where the repository's files are, found from the test's output directory.</summary>
public static class RepositoryPaths
{
    /// <summary>The directory holding Parley.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// Where the tests put their screenshots: the README's own (docs/screenshots) when
    /// PARLEY_UPDATE_SCREENSHOTS=1, else beside the test output, so that a test run leaves the
    /// working tree as it found it.
    /// </summary>
    public static string Screenshots =>
        Environment.GetEnvironmentVariable("PARLEY_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(Root, "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("Parley.slnx was not found above " + AppContext.BaseDirectory);
    }
}
