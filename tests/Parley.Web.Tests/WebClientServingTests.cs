using System.Net;
using Parley.Testing;

namespace Parley.Web.Tests;

/// <summary>The server serves its browser client, with headers that forbid inline script.</summary>
public sealed class WebClientServingTests
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/js/main.js", "text/javascript")]
    [InlineData("/css/app.css", "text/css")]
    public async Task The_client_is_served_with_a_policy_that_forbids_inline_script(string path, string contentType)
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{server.Http}") };

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "connect-src 'self' ws: wss:" })
        {
            Assert.Contains(directive, policy, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task The_page_loads_its_script_as_a_module_file_and_has_no_inline_script()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient();

        var html = await http.GetStringAsync(new Uri($"http://{server.Http}/"));

        Assert.Contains("<script type=\"module\" src=\"js/main.js\"></script>", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<script"));
        Assert.DoesNotMatch("\\son[a-z]+\\s*=", html);
    }

    [Fact]
    public async Task The_server_run_as_dotnet_Parley_Server_dll_from_another_directory_finds_its_client()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-web-dll-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            // an operator's directory: nothing of the server's is there
            await using var server = await ServerProcess.StartInAsync(directory, Path.Combine(directory, "parley.db"));
            using var http = new HttpClient();

            var html = await http.GetStringAsync(new Uri($"http://{server.Http}/"));
            var script = await http.GetStringAsync(new Uri($"http://{server.Http}/js/main.js"));

            Assert.Contains("<title>Parley</title>", html, StringComparison.Ordinal);
            Assert.Contains("new ChatApp()", script, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
