using System.Diagnostics;
using HdrHistogram;

namespace Parley.Bench.Load;

/// <summary>
/// Latencies in microseconds into HdrHistograms, one per thread so that recording takes no lock;
/// they are added together when the run is over.
/// </summary>
internal sealed class LatencyRecorder
{
    private const long Highest = 120_000_000;
    private readonly List<LongHistogram> _all = [];
    private readonly ThreadLocal<LongHistogram> _mine;
    private volatile bool _enabled;

    public LatencyRecorder()
    {
        _mine = new ThreadLocal<LongHistogram>(() =>
        {
            var histogram = new LongHistogram(Highest, 3);
            lock (_all)
            {
                _all.Add(histogram);
            }
            return histogram;
        });
    }

    /// <summary>Only latencies of the measured phase count (not warm-up, not the drain).</summary>
    public bool Enabled
    {
        get => _enabled;
        set => _enabled = value;
    }

    public void Record(long startTimestamp, long endTimestamp)
    {
        if (!_enabled)
        {
            return;
        }
        var micros = (endTimestamp - startTimestamp) * 1_000_000 / Stopwatch.Frequency;
        _mine.Value!.RecordValue(Math.Clamp(micros, 0, Highest));
    }

    public LongHistogram Total()
    {
        var total = new LongHistogram(Highest, 3);
        lock (_all)
        {
            foreach (var histogram in _all)
            {
                total.Add(histogram);
            }
        }
        return total;
    }
}
