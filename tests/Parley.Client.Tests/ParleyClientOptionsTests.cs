namespace Parley.Client.Tests;

public class ParleyClientOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:12345", "tcp://127.0.0.1:12345/")]
    [InlineData("chat.example:4000", "tcp://chat.example:4000/")]
    [InlineData("localhost", "tcp://localhost:12345/")]
    [InlineData("[::1]:9000", "tcp://[::1]:9000/")]
    [InlineData(" 127.0.0.1:1 ", "tcp://127.0.0.1:1/")]
    [InlineData("tcp://10.0.0.1:5", "tcp://10.0.0.1:5/")]
    [InlineData("ws://127.0.0.1:8080/ws", "ws://127.0.0.1:8080/ws")]
    [InlineData("wss://chat.example/ws", "wss://chat.example/ws")]
    [InlineData("tls://chat.example:6697", "tls://chat.example:6697/")]
    public void AServerAddressIsReadAsATcpOrWebSocketUri(string address, string expected)
    {
        Assert.Equal(new Uri(expected), ParleyClientOptions.ParseServerAddress(address));
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("host:port")]
    [InlineData("host:1/path")]
    public void AnythingElseIsNotAServerAddress(string address)
    {
        Assert.Throws<FormatException>(() => ParleyClientOptions.ParseServerAddress(address));
    }

    [Fact]
    public void TheDefaultsFollowTheProtocol()
    {
        var options = new ParleyClientOptions { Server = new Uri("tcp://127.0.0.1:12345"), User = "alice" };

        Assert.True(options.AutoReconnect);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.ReconnectMinDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReconnectMaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(65_536, options.MaxFrameBytes);
        Assert.Matches(@"^parley-client/\d+\.\d+\.\d+$", options.ClientName);
    }

    [Fact]
    public void PrintingTheOptionsNeverShowsThePassword()
    {
        var options = new ParleyClientOptions { Server = new Uri("tcp://127.0.0.1:1"), User = "alice", Password = "hunter22" };

        var text = options.ToString();

        Assert.DoesNotContain("hunter22", text, StringComparison.Ordinal);
        Assert.Contains("Password = ***", text, StringComparison.Ordinal);
        Assert.Contains("User = alice", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AClientRefusesOptionsItCannotUse()
    {
        var good = new ParleyClientOptions { Server = new Uri("tcp://127.0.0.1:1"), User = "alice" };

        Assert.Throws<ArgumentException>(() => new ParleyClient(good with { Server = new Uri("http://127.0.0.1:1") }));
        Assert.Throws<ArgumentException>(() => new ParleyClient(good with { User = "" }));
        Assert.Throws<ArgumentException>(() => new ParleyClient(good with { ReconnectMaxDelay = TimeSpan.FromMilliseconds(1) }));
        Assert.Throws<ArgumentException>(() => new ParleyClient(good with { PingInterval = TimeSpan.Zero }));
    }
}
