namespace Parley.Tui.Tests.EndToEnd;

/// <summary>Where the built <c>parley</c> is: beside the tests' own build, in the same configuration.</summary>
internal static class ParleyBinary
{
    /// <summary>The path of <c>parley.dll</c>, run with <c>dotnet</c>.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = directory.Parent?.Name ?? "Debug";
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }
        if (directory is null)
        {
            throw new InvalidOperationException("Run the tests from inside the repository.");
        }
        var path = System.IO.Path.Combine(directory.FullName, "src", "Parley.Tui", "bin", configuration, "net10.0", "parley.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Parley.Tui first.", path);
    }
}
