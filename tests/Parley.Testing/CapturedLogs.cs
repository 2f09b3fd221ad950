using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Parley.Testing;

/// <summary>Keeps what the server logged at warning or above, so that a test fails on an unexpected error.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    /// <summary>Everything logged at error or above.</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>Everything logged at warning.</summary>
    public IReadOnlyCollection<string> Warnings => _warnings;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)} {exception}";
            if (logLevel >= LogLevel.Error)
            {
                owner._errors.Enqueue(line);
            }
            else if (logLevel == LogLevel.Warning)
            {
                owner._warnings.Enqueue(line);
            }
        }
    }
}
