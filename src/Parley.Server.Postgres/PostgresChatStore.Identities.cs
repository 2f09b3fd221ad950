using Npgsql;
using Parley.Server.Storage;

namespace Parley.Server.Postgres;

public sealed partial class PostgresChatStore
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DirectConversation>> ListDirectConversationsAsync(string identity, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var command = dataSource.CreateCommand("""
            SELECT d.conversation, d.other_identity, coalesce(a.name, d.other_name), a.identity IS NOT NULL, d.last_seq, d.last_ts
            FROM direct_conversations d LEFT JOIN accounts a ON a.identity = d.other_identity
            WHERE d.identity = $1 ORDER BY d.last_ts DESC, d.conversation LIMIT $2
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = identity });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var conversations = new List<DirectConversation>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    conversations.Add(new DirectConversation(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                        reader.GetBoolean(3), reader.GetInt64(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
                }
            }
            return conversations;
        }
    }

    private static Task ApplyAsync(SaveTokenWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        RunWriteAsync(connection, transaction, "INSERT INTO tokens (token_hash, identity, issued, last_used) VALUES ($1, $2, $3, $3)",
            [write.TokenHash, write.Identity, write.Issued.ToUnixTimeMilliseconds()]);

    /// <inheritdoc />
    public async ValueTask<IdentityToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        var command = dataSource.CreateCommand("SELECT identity, last_used FROM tokens WHERE token_hash = $1");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tokenHash });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new IdentityToken(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)))
                    : null;
            }
        }
    }

    private static Task ApplyAsync(TouchTokenWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        RunWriteAsync(connection, transaction, "UPDATE tokens SET last_used = greatest(last_used, $2) WHERE token_hash = $1",
            [write.TokenHash, write.Used.ToUnixTimeMilliseconds()]);

    private static Task ApplyAsync(RevokeTokenWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        RunWriteAsync(connection, transaction, "DELETE FROM tokens WHERE token_hash = $1", [write.TokenHash]);

    private static async Task ApplyAsync(DeleteTokensUnusedSinceWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var command = new NpgsqlCommand("DELETE FROM tokens WHERE last_used < $1", connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.Before.ToUnixTimeMilliseconds() });
            write.Deleted = await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
