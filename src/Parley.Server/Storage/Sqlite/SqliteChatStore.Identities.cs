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

    private void Apply(SaveTokenWrite write)
    {
        using var command = CreateWriteCommand(writeConnection!,
            "INSERT INTO tokens (token_hash, identity, issued, last_used) VALUES ($hash, $identity, $at, $at)");
        command.Parameters.AddWithValue("$hash", write.TokenHash);
        command.Parameters.AddWithValue("$identity", write.Identity);
        command.Parameters.AddWithValue("$at", write.Issued.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
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

    private void Apply(TouchTokenWrite write) =>
        RunTokenWrite("UPDATE tokens SET last_used = max(last_used, $at) WHERE token_hash = $hash", write.TokenHash, write.Used.ToUnixTimeMilliseconds());

    private void Apply(RevokeTokenWrite write) =>
        RunTokenWrite("DELETE FROM tokens WHERE token_hash = $hash", write.TokenHash, 0);

    private void Apply(DeleteTokensUnusedSinceWrite write)
    {
        using var command = CreateWriteCommand(writeConnection!, "DELETE FROM tokens WHERE last_used < $before");
        command.Parameters.AddWithValue("$before", write.Before.ToUnixTimeMilliseconds());
        write.Deleted = command.ExecuteNonQuery();
    }

    private void RunTokenWrite(string sql, string tokenHash, long at)
    {
        using var command = CreateWriteCommand(writeConnection!, sql);
        command.Parameters.AddWithValue("$hash", tokenHash);
        command.Parameters.AddWithValue("$at", at);
        command.ExecuteNonQuery();
    }
}
