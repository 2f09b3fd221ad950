using Microsoft.Extensions.FileProviders;

namespace Parley.Server.Hosting;

/// <summary>
/// Serves the browser client (the static files in <c>wwwroot</c>) at <c>/</c>, with the security
/// headers that keep anything a message says from running as script.
/// </summary>
internal static class WebClient
{
    /// <summary>
    /// No inline script, no plugins, no framing; the page may talk only to its own origin and its
    /// WebSocket. Every text is rendered as text, so this is the second line of defence.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The files live next to the server's assembly, so the client is found whatever the working
    /// directory (<c>dotnet run</c>, <c>dotnet Parley.Server.dll</c> from elsewhere, tests).
    /// </summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>Adds the security headers to every response and serves the client's files.</summary>
    public static void UseWebClient(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
        if (!Directory.Exists(Root))
        {
            return;
        }
        var files = new PhysicalFileProvider(Root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // a new server version must not run against an old cached module
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
    }
}
