using Microsoft.Data.Sqlite;
using Parley.Protocol.Frames;
using Parley.Server.Core;
using Parley.Server.Storage.Migrations;
using Parley.Server.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>Accounts registered under the name rules of protocol 1.0 keep signing in under those of 1.1.</summary>
public sealed class LegacyAccountTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "parley-legacy-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AccountsOfBeforeSignInWhateverTheNewRulesSayAndLookalikesAreReported()
    {
        // a database of then: Straße (a key the new folding changes), аdmin (mixed scripts, now refused)
        // and admin, which now look alike
        Directory.CreateDirectory(directory);
        var hash = PasswordHasher.Hash("correct horse");
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "parley.db")};Pooling=False"))
        {
            connection.Open();
            await MigrationRunner.ApplyAsync(connection, [SqliteMigrations.All[0]], TimeProvider.System);
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO accounts (user_key, name, password_hash, created) VALUES ('straße', 'Straße', $h, 1), ('аdmin', 'аdmin', $h, 2), ('admin', 'admin', $h, 3)";
            command.Parameters.AddWithValue("$h", hash);
            command.ExecuteNonQuery();
        }

        await using var server = await TestServer.StartAsync(directory: directory);

        foreach (var (typed, shown) in new[] { ("STRASSE", "Straße"), ("straße", "Straße"), ("аdmin", "аdmin"), ("Admin", "admin") })
        {
            await using var client = await server.ConnectAsync(Transport.Tcp);
            await client.SendAsync(new HelloFrame { Id = "h", User = typed, Password = "correct horse" });
            var welcome = await client.ReplyAsync("h");
            Assert.True(welcome.Is("welcome"), $"{typed}: {welcome.GetRawText()}");
            Assert.Equal(shown, welcome.Str("user"));
            await client.SendAsync(new QuitFrame());
            await client.ClosedAsync();
        }
        Assert.Contains(server.Logs.Warnings, w => w.Contains("аdmin", StringComparison.Ordinal) && w.Contains("look alike", StringComparison.Ordinal));
    }
}
