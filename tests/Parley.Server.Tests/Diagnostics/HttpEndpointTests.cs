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
        Assert.Equal(1, PrometheusText.Value(text, "parley_connections"));
        Assert.Equal(1, PrometheusText.Value(text, "parley_messages_acked_total"));
        Assert.Equal(3, PrometheusText.Value(text, "parley_frames_received_total"));
        Assert.Equal(1, PrometheusText.Value(text, "parley_errors_total", ("code", "bad_frame")));
        Assert.Equal(1, PrometheusText.Value(text, "parley_ack_duration_seconds_count"));
        Assert.True(PrometheusText.Value(text, "dotnet_process_memory_working_set_bytes") > 0);
        Assert.True(PrometheusText.Value(text, "dotnet_gc_last_collection_memory_committed_size_bytes") > 0);
        // Kestrel's own instruments come along: the HTTP endpoint's connection that asks is one
        Assert.True(PrometheusText.Value(text, "kestrel_active_connections") >= 1);
    }

    [Fact]
    public async Task MetricsCountGarbageCollectionsTheirPausesAndWhatWasAllocated()
    {
        await using var server = await TestServer.StartAsync();
        // the server runs in this process: a collection forced here is one of its own
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);

        using var http = new HttpClient { Timeout = Waits.Frame };
        var text = await http.GetStringAsync($"http://{server.Http}/metrics");

        Assert.True(PrometheusText.Value(text, "dotnet_gc_collections_total", ("gc_heap_generation", "gen2")) >= 1);
        Assert.True(PrometheusText.Value(text, "dotnet_gc_heap_total_allocated_bytes_total") > 0);
        Assert.True(PrometheusText.Value(text, "dotnet_gc_pause_time_seconds_total") > 0);
    }

    [Fact]
    public async Task MetricsOfAnotherServerInTheSameProcessAreNotThisOnes()
    {
        await using var quiet = await TestServer.StartAsync();
        await using var busy = await TestServer.StartAsync();
        await using var alice = await busy.HelloAsync(Transport.Tcp, "alice");
        await alice.SendAsync(new SendFrame { Id = "1", To = "#lobby", Text = "counted once" });
        await alice.ReplyAsync("1");

        using var http = new HttpClient { Timeout = Waits.Frame };
        var quietText = await http.GetStringAsync($"http://{quiet.Http}/metrics");
        var busyText = await http.GetStringAsync($"http://{busy.Http}/metrics");

        Assert.DoesNotContain("parley_messages_acked_total", quietText, StringComparison.Ordinal);
        Assert.Equal(1, PrometheusText.Value(busyText, "parley_messages_acked_total"));
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
