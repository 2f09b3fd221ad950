using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Tests.Storage;

/// <summary>One thing logged, as a test sees it.</summary>
public sealed record LogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>Keeps what the code under test logs, so that a test fails on an error nobody expected.</summary>
public sealed class LogRecorder
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public ILogger<T> CreateLogger<T>() => new RecordingLogger<T>(this);

    /// <summary>Forgets what was logged so far (after a test has checked the errors it provoked).</summary>
    public void Clear() => entries.Clear();

    public void AssertNoWarningsOrErrors()
    {
        var unexpected = entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.True(unexpected.Count == 0,
            "Unexpected log entries: " + string.Join("; ", unexpected.Select(e => $"{e.Level} {e.EventId.Name}: {e.Message} {e.Exception?.Message}")));
    }

    private sealed class RecordingLogger<T>(LogRecorder recorder) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception), exception));
    }
}
