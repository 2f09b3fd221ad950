using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task NoSettingsFileIsWatched()
    {
        // the default database lives in the working directory, which is also the content root: a
        // watcher there would wake on every commit
        await using var server = await TestServer.StartAsync();
        var configuration = (IConfigurationRoot)server.Host.Services.GetRequiredService<IConfiguration>();

        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched"));
    }
}
