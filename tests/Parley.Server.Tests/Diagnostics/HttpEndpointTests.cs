using System.Net;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Diagnostics;

public sealed class HttpEndpointTests
{
    [Fact]
    public async Task HealthzAnswersOkWhileTheServerAcceptsConnections()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient { Timeout = Waits.Frame };
        var response = await http.GetAsync($"http://{server.Http}/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MetricsCountConnectionsFramesAcksAndErrorsByCode()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.HelloAsync(Transport.Tcp, "alice");
        await alice.SendAsync(new SendFrame { Id = "1", To = "#lobby", Text = "counted" });
        await alice.ReplyAsync("1");
        await alice.SendRawAsync("not json");
        await alice.NextAsync();

        using var http = new HttpClient { Timeout = Waits.Frame };
        var response = await http.GetAsync($"http://{server.Http}/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("parley_connections_open 1\n", text, StringComparison.Ordinal);
        Assert.Contains("parley_messages_acked_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("parley_frames_in_total 3\n", text, StringComparison.Ordinal);
        Assert.Contains("parley_errors_total{code=\"bad_frame\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("parley_ack_latency_seconds_count 1\n", text, StringComparison.Ordinal);
        Assert.True(Gauge(text, "process_resident_memory_bytes") > 0);
        Assert.True(Gauge(text, "dotnet_gc_committed_bytes") > 0);
    }

    [Fact]
    public async Task MetricsCountGarbageCollectionsTheirPausesAndWhatWasAllocated()
    {
        await using var server = await TestServer.StartAsync();
        // the server runs in this process: a collection forced here is one of its own
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);

        using var http = new HttpClient { Timeout = Waits.Frame };
        var text = await http.GetStringAsync($"http://{server.Http}/metrics");

        Assert.True(Gauge(text, "dotnet_gc_collections_total{generation=\"0\"}") >= 1);
        Assert.True(Gauge(text, "dotnet_gc_collections_total{generation=\"2\"}") >= 1);
        Assert.True(Gauge(text, "dotnet_gc_allocated_bytes_total") > 0);
        var pause = text.Split('\n').Single(l => l.StartsWith("dotnet_gc_pause_seconds_total ", StringComparison.Ordinal));
        Assert.True(double.Parse(pause["dotnet_gc_pause_seconds_total ".Length..], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    private static long Gauge(string metrics, string name)
    {
        var line = metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return long.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task WsRefusesAPlainHttpRequestWithAReason()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient { Timeout = Waits.Frame };
        var response = await http.GetAsync($"http://{server.Http}/ws");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
