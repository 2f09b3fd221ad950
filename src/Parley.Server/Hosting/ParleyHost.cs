using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Parley.Server.Core;
using Parley.Server.Diagnostics;
using Parley.Server.Storage;
using Parley.Server.Transports;

namespace Parley.Server.Hosting;

/// <summary>
/// The whole server in one object: configuration, the raw TCP endpoint, Kestrel with the HTTP
/// endpoint, the core and the store. Program runs it; tests start it in-process on port 0.
/// </summary>
public sealed partial class ParleyHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BoundEndpoints _endpoints;
    private readonly SocketAcceptor _tcp;
    private readonly TlsCertificate? _tls;
    private readonly ILogger<ParleyHost> _logger;
    private Task? _stopping;
    private bool _started;

    private ParleyHost(WebApplication app)
    {
        _app = app;
        _endpoints = app.Services.GetRequiredService<BoundEndpoints>();
        _logger = app.Services.GetRequiredService<ILogger<ParleyHost>>();
        Server = app.Services.GetRequiredService<ChatServer>();
        _tls = app.Services.GetService<TlsCertificate>();
        var admission = new Limits.TcpAdmission(app.Services.GetRequiredService<Limits.ConnectionGate>(), app.Services.GetRequiredService<Limits.TrustedProxies>(),
            app.Services.GetRequiredService<Limits.RefusalLog>(), Server.Options.Limits.RequestHeadersTimeout, plainText: _tls is null);
        var serve = ServeTcp();
        _tcp = new SocketAcceptor(socket => admission.ServeAsync(socket, serve), app.Services.GetRequiredService<ILogger<SocketAcceptor>>());
    }

    /// <summary>The chat core.</summary>
    public ChatServer Server { get; }

    /// <summary>The services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Where TCP clients connect (the real port once started).</summary>
    public IPEndPoint TcpEndpoint => _tcp.LocalEndPoint;

    /// <summary>Where HTTP and WebSocket clients connect (the real port once started).</summary>
    public IPEndPoint HttpEndpoint => _endpoints.Http?.IPEndPoint ?? throw new InvalidOperationException("The HTTP endpoint has not started.");

    /// <summary>Builds the server from command-line arguments (<see cref="ServerCommandLine"/>) and configuration.</summary>
    /// <exception cref="OptionsValidationException">An argument the server does not take.</exception>
    public static ParleyHost Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        if (ServerCommandLine.FindProblem(args) is { } problem)
        {
            throw new OptionsValidationException(nameof(ServerOptions), typeof(ServerOptions), [problem]);
        }
        // settings are read once, at start; and a watcher of the content root (the working directory)
        // would wake on every commit of a database kept there, which is where the default one lives
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. args] });
        builder.Configuration.AddCommandLine(args, ServerCommandLine.SwitchMappings);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // it logs only request starts and ends, and while it may log it keeps an Activity and a log
        // scope alive for every request, a WebSocket's too: memory each idle browser client would hold
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        builder.Services.AddOptions<ServerOptions>()
            .Bind(builder.Configuration.GetSection(ServerOptions.Section))
            .Validate(o => EndpointParser.TryParse(o.Tcp, out _), "--tcp must be HOST:PORT, such as 127.0.0.1:12345.")
            .Validate(o => EndpointParser.TryParse(o.Http, out _), "--http must be HOST:PORT, such as 127.0.0.1:8080.")
            .Validate(o => o.MaxFrameBytes >= 1024, "MaxFrameBytes must be at least 1024.")
            .Validate(o => o.OutgoingQueueBytes >= o.MaxFrameBytes, "OutgoingQueueBytes must hold at least one frame.")
            .Validate(o => o.SendsPerSecond > 0 && o.SendBurst >= 1, "Flow control needs a positive rate and a burst of at least 1.")
            .Validate(o => o.IdleTimeout > TimeSpan.Zero, "IdleTimeout must be positive.")
            .Validate(o => o.FinalFrameTimeout > TimeSpan.Zero, "FinalFrameTimeout must be positive.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Redis) || DatabaseSelection.IsPostgres(o.Db), "--redis joins a cluster, whose nodes share one PostgreSQL database: give --db a PostgreSQL connection string or postgres:// URL.")
            .Validate(o => o.NameLease >= TimeSpan.FromSeconds(1), "NameLease must be at least one second.")
            .Validate(o => o.GuestGrace >= TimeSpan.Zero, "GuestGrace must not be negative.")
            .Validate(o => o.TokenLifetime > TimeSpan.Zero, "TokenLifetime must be positive.")
            .Validate(o => o.Limits.ConnectionsPerAddress >= 1 && o.Limits.NewConnectionsPerSecond > 0 && o.Limits.NewConnectionsBurst >= 1,
                "Limits: ConnectionsPerAddress and NewConnectionsBurst must be at least 1, NewConnectionsPerSecond positive.")
            .Validate(o => o.Limits.PasswordFailuresPerAccount >= 1 && o.Limits.PasswordFailuresPerAddress >= 1 && o.Limits.PasswordFailuresPerAccountHourly >= 1
                && o.Limits.PasswordFailureWindow > TimeSpan.Zero && o.Limits.PasswordQueue >= 0,
                "Limits: the password failure counts must be at least 1, the window positive, PasswordQueue 0 or more.")
            .Validate(o => o.Limits.RegistrationsPerAddressHourly >= 1 && o.Limits.JoinsPerSecond > 0 && o.Limits.RequestHeadersTimeout > TimeSpan.Zero,
                "Limits: RegistrationsPerAddressHourly must be at least 1, JoinsPerSecond and RequestHeadersTimeout positive.")
            .Validate(o => o.AllowedOrigins.All(origin => Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/" && uri.Query.Length == 0),
                "AllowedOrigins are origins: a scheme, a host and maybe a port, such as https://chat.example.org.")
            .Validate(o => o.TrustedProxies.All(proxy => Limits.TrustedProxies.TryParse(proxy, out _)),
                "TrustedProxies are addresses (10.0.0.5) or networks (10.0.0.0/24).")
            .Validate(o => string.IsNullOrWhiteSpace(o.TlsCert) == string.IsNullOrWhiteSpace(o.TlsKey), "--tls-cert and --tls-key go together: give both, or neither.")
            .Validate(o => o.TlsCheckInterval > TimeSpan.Zero && o.TlsHandshakeTimeout > TimeSpan.Zero, "TlsCheckInterval and TlsHandshakeTimeout must be positive.")
            .Validate(o => DatabaseSelection.IsValid(o.Db), "--db must be a SQLite file path, an Npgsql connection string (Host=…;Database=…) or a postgres:// URL.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, UnknownSettingsValidator>();

        var endpoints = new BoundEndpoints();
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddParleyMetrics();
        builder.Services.AddSingleton<Limits.RefusalLog>();
        builder.Services.AddSingleton(services => new Limits.TrustedProxies(services.GetRequiredService<IOptions<ServerOptions>>().Value.TrustedProxies));
        builder.Services.AddSingleton(services => new Limits.ConnectionGate(
            services.GetRequiredService<IOptions<ServerOptions>>().Value.Limits, services.GetRequiredService<Limits.RefusalLog>()));
        builder.Services.AddSingleton<IChatStore>(DatabaseSelection.CreateStore);
        builder.Services.AddSingleton<RoomRegistry>();
        builder.Services.AddSingleton<SessionRegistry>();
        builder.Services.AddSingleton<InProcessFanout>();
        ClusterSelection.AddFanout(builder.Services, ReadOptions(builder.Configuration));
        builder.Services.AddSingleton<ChatServer>();
        var startOptions = ReadOptions(builder.Configuration);
        if (startOptions.UsesTls)
        {
            // one certificate for both endpoints, loaded at start and reloaded when renewed
            builder.Services.AddSingleton(services => new TlsCertificate(startOptions.TlsCert ?? "", startOptions.TlsKey ?? "",
                services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<TlsCertificate>>()));
            // a year, the value browsers' preload lists ask for; without includeSubDomains, which would bind
            // every other site of the domain to HTTPS too
            builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        }
        // Kestrel's socket transport listens on the socket the host bound first (see StartAsync)
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoints.TakeHttpSocket);

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = ReadOptions(context.Configuration);
            if (!EndpointParser.TryParse(options.Tcp, out _) || !EndpointParser.TryParse(options.Http, out var http))
            {
                throw new OptionsValidationException(nameof(ServerOptions), typeof(ServerOptions),
                    [$"--tcp and --http must be HOST:PORT (given: {options.Tcp}, {options.Http})."]);
            }
            // a server need not tell every client what software it runs
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = options.Limits.RequestHeadersTimeout;
            kestrel.Listen(http, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                // every connection counts against its address, before its TLS handshake costs anything
                listen.Use(Limits.HttpAdmission.ForConnections(listen.ApplicationServices.GetRequiredService<Limits.ConnectionGate>(),
                    listen.ApplicationServices.GetRequiredService<Limits.TrustedProxies>()));
                if (options.UsesTls)
                {
                    var certificate = kestrel.ApplicationServices.GetRequiredService<TlsCertificate>();
                    // asked at each handshake, so that a renewed certificate serves the next connection
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = _ => ValueTask.FromResult(ServerTlsOptions.For(certificate, SslApplicationProtocol.Http11)),
                        HandshakeTimeout = options.TlsHandshakeTimeout,
                    });
                }
                endpoints.Http = listen;
            });
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        var proxies = app.Services.GetRequiredService<Limits.TrustedProxies>();
        if (!proxies.IsEmpty)
        {
            // before anything reads the client's address or scheme: limits, logs, HSTS
            app.UseForwardedHeaders(proxies.ForwardedHeadersOptions());
        }
        app.Use(Limits.HttpAdmission.RefuseIfNotAdmitted);
        if (startOptions.UsesTls)
        {
            // HSTS on HTTPS responses only; the framework leaves it off for localhost, whose other
            // (plain) sites a browser would otherwise refuse for a year
            app.UseHsts();
        }
        app.UseWebClient();
        var chat = app.Services.GetRequiredService<ChatServer>();
        app.Map("/ws", ws =>
        {
            ws.Use((http, next) =>
            {
                // an origin's scheme and host know no case: the middleware below compares them exactly
                if (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin)
                {
                    http.Request.Headers.Origin = origin.ToLowerInvariant();
                }
                // the WebSocket writes through a stream that sends a batch of frames at once
                GatheringUpgrade.Install(http);
                return next(http);
            });
            if (!proxies.IsEmpty)
            {
                ws.Use(Limits.HttpAdmission.ForProxiedWebSockets(app.Services.GetRequiredService<Limits.ConnectionGate>()));
            }
            // no keep-alive pings of the WebSocket's own: the protocol's ping and idle timeout do that job,
            // and a timer per socket would be memory every idle browser client holds
            var webSockets = new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero };
            foreach (var origin in chat.Options.AllowedOrigins)
            {
                webSockets.AllowedOrigins.Add(origin);
            }
            ws.UseWebSockets(webSockets);
            ws.Run(http => WebSocketEndpoint.HandleAsync(http, chat));
        });
        app.MapGet("/healthz", HealthAsync);
        app.MapPrometheusScrapingEndpoint("/metrics");
        return new ParleyHost(app);
    }

    /// <summary>Takes both ports, opens the store, then starts accepting.</summary>
    /// <exception cref="IOException">A port cannot be bound (it is in use), or the database cannot be opened.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var options = _app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        // checked with the options above: --tcp and --http are HOST:PORT
        _ = EndpointParser.TryParse(options.Tcp, out var tcp);
        _ = EndpointParser.TryParse(options.Http, out var http);
        // the certificate before the ports: a pair that does not load stops the start in one line
        _tls?.Start(options.TlsCheckInterval);
        // the ports first: a second server started on them stops here, before it touches a database;
        // clients that connect meanwhile wait in the backlog until the store is ready
        Bind("TCP", tcp, _tcp.Bind);
        Bind("HTTP", http, _endpoints.ReserveHttp);
        await Server.StartAsync(cancellationToken).ConfigureAwait(false);
        _app.Lifetime.ApplicationStopping.Register(() => _stopping ??= Server.StopAsync());
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        _tcp.StartAccepting();
        _started = true;
        var tls = _tls is not null;
        LogListening(tls ? $"{TcpEndpoint} (TLS)" : TcpEndpoint.ToString(), $"{(tls ? "https" : "http")}://{HttpEndpoint}",
            $"{(tls ? "wss" : "ws")}://{HttpEndpoint}/ws", DatabaseSelection.Describe(options), options.NodeName);
        foreach (var (name, endpoint) in new[] { ("TCP", TcpEndpoint), ("HTTP", HttpEndpoint) })
        {
            if (PlainExposure.IsExposed(endpoint, tls))
            {
                LogPlainExposed(name, endpoint.ToString());
            }
        }
    }

    /// <summary>Runs until Ctrl+C or SIGTERM.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops gracefully: server_shutdown to every client, in-flight messages committed.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopping ??= Server.StopAsync(cancellationToken);
        await _stopping.ConfigureAwait(false);
        // the core has closed every session: what is left are clients that do not read their last frame
        await StopConnectionsAsync(Server.Options.ShutdownGrace).ConfigureAwait(false);
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stopping is not null)
        {
            await _stopping.ConfigureAwait(false);
        }
        // after a stop (Ctrl+C) the connections are ending already; without one they are cut off
        await StopConnectionsAsync(_stopping is null ? TimeSpan.Zero : Server.Options.ShutdownGrace).ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        // a start that failed says why in its own line, and nothing had run to stop
        if (_started)
        {
            LogStopped();
        }
    }

    // the TCP endpoint's connections: lines on the socket, or lines inside TLS
    private Func<Socket, IPEndPoint?, Task> ServeTcp()
    {
        if (_tls is null)
        {
            return (socket, client) => TcpConnectionHandler.HandleAsync(socket, client, Server);
        }
        var handler = new TlsConnectionHandler(Server, _tls, Server.Options.TlsHandshakeTimeout, _app.Services.GetRequiredService<ILogger<TlsConnectionHandler>>());
        return handler.HandleAsync;
    }

    // the options before the container has them; a value the binder cannot convert (IdleTimeout=soon)
    // is refused as a wrong setting, like the options' own checks, not as a crash with a stack
    private static ServerOptions ReadOptions(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(nameof(ServerOptions), typeof(ServerOptions), [e.Message]);
        }
    }

    // says which port could not be bound, in one line for the operator instead of a socket error
    private static void Bind(string name, IPEndPoint endpoint, Action<IPEndPoint> bind)
    {
        try
        {
            bind(endpoint);
        }
        catch (SocketException e)
        {
            throw new IOException(e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"{name} port {endpoint} is in use (another server is running?)"
                : $"cannot listen on the {name} port {endpoint}: {e.Message}", e);
        }
    }

    // the TCP clients; the HTTP endpoint's (WebSocket clients included) end when Kestrel stops, which
    // accepts until then, so that health checks meanwhile hear "stopping"
    private Task StopConnectionsAsync(TimeSpan grace) => _tcp.StopAsync(grace);

    private static async Task<IResult> HealthAsync(ChatServer server, CancellationToken cancellationToken)
    {
        if (server.IsStopping)
        {
            return Results.Text("stopping\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var healthy = await server.Store.IsHealthyAsync(cancellationToken).ConfigureAwait(false);
        if (!healthy)
        {
            return Results.Text("store not answering\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        // a node without its backplane still serves its own clients, but members elsewhere miss live messages
        return !server.Directory.IsReachable
            ? Results.Text("backplane (redis) not answering\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok\n");
    }

    [LoggerMessage(EventId = ParleyEventIds.Listening, Level = LogLevel.Information,
        Message = "Parley is listening: TCP {Tcp}, browser client {Http}, WebSocket {WebSocket}; database {Database}; node {Node}. Press Ctrl+C to stop.")]
    private partial void LogListening(string tcp, string http, string webSocket, string database, string node);

    [LoggerMessage(EventId = ParleyEventIds.PlainEndpointExposed, Level = LogLevel.Warning,
        Message = "The {Endpoint} endpoint {Address} is unencrypted and reachable from other machines: passwords and messages cross the network in the clear. Give --tls-cert and --tls-key, or put a TLS proxy in front (docs/deploying.md)")]
    private partial void LogPlainExposed(string endpoint, string address);

    [LoggerMessage(EventId = ParleyEventIds.Stopped, Level = LogLevel.Information, Message = "Parley has stopped.")]
    private partial void LogStopped();

    /// <summary>
    /// The HTTP endpoint: the socket the host binds before anything starts (so that a port in use stops the
    /// start in one line, before the store is opened), which Kestrel's transport then listens on; and the
    /// listen options Kestrel fills with the real port.
    /// </summary>
    private sealed class BoundEndpoints
    {
        private Socket? _reserved;

        public ListenOptions? Http { get; set; }

        /// <exception cref="SocketException">The address cannot be bound.</exception>
        public void ReserveHttp(IPEndPoint endpoint) => _reserved = ListeningSockets.Listen(endpoint);

        // Kestrel's transport asks for the socket of its one endpoint, which is the one reserved from the same options
        public Socket TakeHttpSocket(EndPoint endpoint) =>
            Interlocked.Exchange(ref _reserved, null) ?? SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
    }
}
