using Microsoft.Extensions.Logging;
using Parley.Protocol.Frames;
using Parley.Server.Diagnostics;
using Parley.Testing;

namespace Parley.Server.Tests.Diagnostics;

/// <summary>What a client chose cannot forge a log line nor fill the log.</summary>
public sealed class LogTextTests
{
    [Theory]
    [InlineData("parley/1.0", "parley/1.0")]
    [InlineData("x\nINFO forged line", "x\\u000aINFO forged line")]
    [InlineData("a\r\nb", "a\\u000d\\u000ab")]
    [InlineData("file\u202Etxt.exe", "file\\u202etxt.exe")]
    [InlineData("zero\u200Bwidth", "zero\\u200bwidth")]
    [InlineData("parley 🦜", "parley 🦜")]
    public void ControlAndFormatCharactersAreEscapedAndTheRestKept(string text, string logged)
    {
        Assert.Equal(logged, LogText.Of(text));
    }

    [Fact]
    public void ALoneSurrogateIsLoggedAsTheReplacementCharacter()
    {
        Assert.Equal("lone \uFFFD half", LogText.Of("lone \uD800 half"));
    }

    [Fact]
    public void ALongTextIsCut()
    {
        var logged = LogText.Of(new string('x', 10_000))!;

        Assert.Equal(LogText.MaxLength + 1, logged.Length);
        Assert.EndsWith("…", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientStringWithNewlinesCannotForgeALogLine()
    {
        var lines = new List<string>();
        await using var server = await TestServer.StartAsync(configure: builder =>
            builder.Logging.AddProvider(new LineRecorder(lines)));
        await using var client = await server.ConnectAsync(Transport.Tcp);

        await client.SendAsync(new HelloFrame { Id = "h", User = "mallory", Client = "evil\nwarn: Parley admin logged in\n" + new string('x', 5000) });
        Assert.True((await client.ReplyAsync("h")).Is("welcome"));
        await server.StopAsync();

        string[] recorded;
        lock (lines)
        {
            recorded = [.. lines];
        }
        var started = Assert.Single(recorded, line => line.Contains("mallory said hello", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', started);
        Assert.True(started.Length < 300, started);
        Assert.DoesNotContain(recorded, line => line.StartsWith("warn: Parley admin", StringComparison.Ordinal));
    }

    private sealed class LineRecorder(List<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
