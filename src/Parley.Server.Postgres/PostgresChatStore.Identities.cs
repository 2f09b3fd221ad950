using PostgresWriteJob = Parley.Server.Storage.WriteJob<System.Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, System.Threading.Tasks.Task<bool>>>;
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

    /// <inheritdoc />
    public ValueTask SaveTokenAsync(string tokenHash, string identity, DateTimeOffset issued, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(tokenHash);
        return RunWriteAsync("INSERT INTO tokens (token_hash, identity, issued, last_used) VALUES ($1, $2, $3, $3)",
            [tokenHash, identity, issued.ToUnixTimeMilliseconds()], cancellationToken);
    }

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

    /// <inheritdoc />
    public ValueTask TouchTokenAsync(string tokenHash, DateTimeOffset used, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        return RunWriteAsync("UPDATE tokens SET last_used = greatest(last_used, $2) WHERE token_hash = $1",
            [tokenHash, used.ToUnixTimeMilliseconds()], cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        return RunWriteAsync("DELETE FROM tokens WHERE token_hash = $1", [tokenHash], cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteTokensUnusedSinceAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        await Enqueue(new PostgresWriteJob(async (connection, transaction) =>
        {
            var command = new NpgsqlCommand("DELETE FROM tokens WHERE last_used < $1", connection, transaction);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = before.ToUnixTimeMilliseconds() });
                deleted = await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                return true;
            }
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    // one statement in the writer's transaction, its parameters in order ($1, $2, …)
    private async ValueTask RunWriteAsync(string sql, object[] values, CancellationToken cancellationToken)
    {
        await Enqueue(new PostgresWriteJob(async (connection, transaction) =>
        {
            var command = new NpgsqlCommand(sql, connection, transaction);
            await using (command.ConfigureAwait(false))
            {
                foreach (var value in values)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value });
                }
                return await command.ExecuteNonQueryAsync().ConfigureAwait(false) > 0;
            }
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
