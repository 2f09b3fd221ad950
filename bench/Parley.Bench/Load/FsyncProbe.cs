using System.Diagnostics;

namespace Parley.Bench.Load;

/// <summary>
/// The floor under any durable ack on this machine: how long one fsync of a small write takes in
/// the directory where the server keeps its database.
/// </summary>
internal static class FsyncProbe
{
    public static string Measure(string directory, int count = 200)
    {
        var path = Path.Combine(directory, $"fsync-probe-{Environment.ProcessId}");
        var samples = new double[count];
        var block = new byte[4096];
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            for (var i = 0; i < count; i++)
            {
                file.Write(block);
                var started = Stopwatch.GetTimestamp();
                file.Flush(flushToDisk: true);
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }
        finally
        {
            File.Delete(path);
        }
        Array.Sort(samples);
        return $"fsync of 4 KiB: p50 {samples[count / 2]:F2} ms, p99 {samples[count * 99 / 100]:F2} ms, max {samples[^1]:F2} ms ({count} samples)";
    }
}
