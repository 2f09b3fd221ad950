using System.Net;
using Parley.Server.Hosting;

namespace Parley.Server.Tests.Tls;

/// <summary>Which endpoints the start warns about: plain ones that other machines can reach.</summary>
public sealed class PlainExposureTests
{
    [Theory]
    [InlineData("0.0.0.0:12345")]
    [InlineData("[::]:12345")]
    [InlineData("192.168.1.20:8080")]
    [InlineData("[2001:db8::1]:8080")]
    [InlineData("[::ffff:10.0.0.5]:8080")]
    public void APlainEndpointBeyondLoopbackIsExposed(string endpoint) =>
        Assert.True(PlainExposure.IsExposed(IPEndPoint.Parse(endpoint), tls: false));

    [Theory]
    [InlineData("127.0.0.1:12345")]
    [InlineData("127.0.0.2:12345")]
    [InlineData("[::1]:8080")]
    [InlineData("[::ffff:127.0.0.1]:8080")]
    public void APlainEndpointOnLoopbackIsNot(string endpoint) =>
        Assert.False(PlainExposure.IsExposed(IPEndPoint.Parse(endpoint), tls: false));

    [Theory]
    [InlineData("0.0.0.0:12345")]
    [InlineData("[::]:8080")]
    public void AnEndpointWithTlsIsNot(string endpoint) =>
        Assert.False(PlainExposure.IsExposed(IPEndPoint.Parse(endpoint), tls: true));

    [Fact]
    public async Task AServerOnLoopbackWarnsAboutNoEndpoint()
    {
        await using var server = await Parley.Testing.TestServer.StartAsync();
        Assert.DoesNotContain(server.Logs.Warnings, w => w.Contains("unencrypted", StringComparison.Ordinal));
    }
}
