using Parley.Server.Hosting;

await using var host = ParleyHost.Create(args);
await host.StartAsync();
await host.WaitForShutdownAsync();
