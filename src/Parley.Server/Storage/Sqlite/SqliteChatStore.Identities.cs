using SqliteWriteJob = Parley.Server.Storage.WriteJob<System.Func<Microsoft.Data.Sqlite.SqliteConnection, bool>>;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DirectConversation>> ListDirectConversationsAsync(string identity, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT d.conversation, d.other_identity, coalesce(a.name, d.other_name), a.identity IS NOT NULL, d.last_seq, d.last_ts
                FROM direct_conversations d LEFT JOIN accounts a ON a.identity = d.other_identity
                WHERE d.identity = $identity ORDER BY d.last_ts DESC, d.conversation LIMIT $limit
                """;
            command.Parameters.AddWithValue("$identity", identity);
            command.Parameters.AddWithValue("$limit", limit);
            var conversations = new List<DirectConversation>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                conversations.Add(new DirectConversation(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.GetBoolean(3), reader.GetInt64(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
            }
            return conversations;
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveTokenAsync(string tokenHash, string identity, DateTimeOffset issued, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(identity);
        var at = issued.ToUnixTimeMilliseconds();
        await Enqueue(new SqliteWriteJob(connection =>
        {
            using var command = CreateWriteCommand(connection,
                "INSERT INTO tokens (token_hash, identity, issued, last_used) VALUES ($hash, $identity, $at, $at)");
            command.Parameters.AddWithValue("$hash", tokenHash);
            command.Parameters.AddWithValue("$identity", identity);
            command.Parameters.AddWithValue("$at", at);
            return command.ExecuteNonQuery() > 0;
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IdentityToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT identity, last_used FROM tokens WHERE token_hash = $hash";
            command.Parameters.AddWithValue("$hash", tokenHash);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new IdentityToken(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)))
                : null;
        }
    }

    /// <inheritdoc />
    public ValueTask TouchTokenAsync(string tokenHash, DateTimeOffset used, CancellationToken cancellationToken = default) =>
        RunTokenWriteAsync("UPDATE tokens SET last_used = max(last_used, $at) WHERE token_hash = $hash", tokenHash, used.ToUnixTimeMilliseconds(), cancellationToken);

    /// <inheritdoc />
    public ValueTask RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        RunTokenWriteAsync("DELETE FROM tokens WHERE token_hash = $hash", tokenHash, 0, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<int> DeleteTokensUnusedSinceAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        await Enqueue(new SqliteWriteJob(connection =>
        {
            using var command = CreateWriteCommand(connection, "DELETE FROM tokens WHERE last_used < $before");
            command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            deleted = command.ExecuteNonQuery();
            return true;
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private async ValueTask RunTokenWriteAsync(string sql, string tokenHash, long at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        await Enqueue(new SqliteWriteJob(connection =>
        {
            using var command = CreateWriteCommand(connection, sql);
            command.Parameters.AddWithValue("$hash", tokenHash);
            command.Parameters.AddWithValue("$at", at);
            return command.ExecuteNonQuery() > 0;
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
