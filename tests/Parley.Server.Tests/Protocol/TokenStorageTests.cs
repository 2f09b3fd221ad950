using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Parley.Protocol.Frames;
using Parley.Testing;

namespace Parley.Server.Tests.Protocol;

/// <summary>An identity token is kept only as its hash: the database cannot sign anyone in.</summary>
public sealed class TokenStorageTests
{
    [Fact]
    public async Task AnAccountsTokensAreStoredHashedAndAGuestsNotAtAll()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.HelloAsync(Transport.Tcp, "alice");
        var guestToken = alice.Token;
        await alice.SendAsync(new RegisterFrame { Id = "r", Password = "correct horse" });
        var registered = (await alice.ReplyAsync("r")).Str("token")!;
        await alice.SendAsync(new QuitFrame());
        await alice.ClosedAsync();
        await alice.DisposeAsync();
        var (again, welcome) = await GuaranteeTests.HelloWhenFreeWithWelcomeAsync(server, "alice", "correct horse");
        await using var _again = again;
        var signedIn = welcome.Str("token")!;
        await using var bob = await server.HelloAsync(Transport.Tcp, "bob");

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = server.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT token_hash FROM tokens ORDER BY issued, token_hash";
        var hashes = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                hashes.Add(reader.GetString(0));
            }
        }
        Assert.Equal(new[] { Sha256(registered), Sha256(signedIn) }.Order(StringComparer.Ordinal), hashes.Order(StringComparer.Ordinal));

        // no token, the guests' included, appears anywhere in the database file or its log
        var files = Directory.GetFiles(Path.GetDirectoryName(server.DatabasePath)!, Path.GetFileName(server.DatabasePath) + "*");
        foreach (var token in new[] { guestToken, registered, signedIn, bob.Token })
        {
            foreach (var file in files)
            {
                var bytes = await ReadSharedAsync(file);
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)) < 0, $"{Path.GetFileName(file)} holds a token");
            }
        }
    }

    private static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
