using System.Runtime.Versioning;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// Makes a file or a directory unwritable for this process, and writable again when disposed.
/// Permission bits where they are enough; for root, which they do not stop, the immutable
/// attribute (<c>chattr +i</c>) as well. Either way it checks that a write really fails: a test of
/// what the server does with an unwritable path proves nothing on a path it can write.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class WriteProtection : IAsyncDisposable
{
    private readonly string _path;
    private readonly UnixFileMode _mode;
    private bool _immutable;

    private WriteProtection(string path)
    {
        _path = path;
        _mode = File.GetUnixFileMode(path);
    }

    /// <summary>Protects <paramref name="path"/> (a file or a directory that exists).</summary>
    public static async Task<WriteProtection> ApplyAsync(string path)
    {
        var protection = new WriteProtection(path);
        File.SetUnixFileMode(path, protection._mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        if (CanWrite(path))
        {
            await ExternalCommand.RunAsync("chattr", "+i", path);
            protection._immutable = true;
        }
        if (CanWrite(path))
        {
            await protection.DisposeAsync();
            Assert.Fail($"{path} is still writable: the test cannot make the failure it is about");
        }
        return protection;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_immutable)
        {
            await ExternalCommand.RunAsync("chattr", "-i", _path);
        }
        File.SetUnixFileMode(_path, _mode);
    }

    private static bool CanWrite(string path)
    {
        var isDirectory = Directory.Exists(path);
        try
        {
            using var stream = isDirectory
                ? new FileStream(Path.Combine(path, "probe-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)
                : new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
