using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Parley.Server.Diagnostics;

namespace Parley.Testing;

/// <summary>
/// The totals of one server's counters, read as <c>dotnet-counters</c> reads them: a listener on the instruments
/// of the meter the server's host made (the other servers in this process have meters of the same name).
/// </summary>
public sealed class CounterTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    /// <summary>Starts listening to the counters of the meter <paramref name="meters"/> made.</summary>
    public CounterTotals(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Meter.Name == ParleyMetrics.MeterName && instrument is Counter<long>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Add(instrument.Name, value);
            foreach (var tag in tags)
            {
                Add($"{instrument.Name}/{tag.Value}", value);
            }
        });
        _listener.Start();
    }

    /// <summary>
    /// The total of the counter <paramref name="instrument"/> so far, or of its measurements whose tag is
    /// <paramref name="tag"/> (an error's code, a refusal's reason).
    /// </summary>
    public long Total(string instrument, string? tag = null) =>
        _totals.TryGetValue(tag is null ? instrument : $"{instrument}/{tag}", out var total) ? total : 0;

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Add(string key, long value) => _totals.AddOrUpdate(key, value, (_, total) => total + value);
}
