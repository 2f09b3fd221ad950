using Microsoft.Extensions.Options;
using Parley.Server.Hosting;

if (ServerCommandLine.AsksForHelp(args))
{
    await Console.Out.WriteAsync(ServerUsage.Text);
    return 0;
}

try
{
    await using var host = ParleyHost.Create(args);
    await host.StartAsync();
    await host.WaitForShutdownAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync("parley: " + string.Join(" ", e.Failures));
    return 2;
}
catch (IOException e)
{
    // a port already taken, or a database that cannot be opened: say it in a line, not a stack trace
    await Console.Error.WriteLineAsync("parley: " + e.Message);
    return 1;
}
