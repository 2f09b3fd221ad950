using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <inheritdoc />
    public ValueTask<Account?> FindAccountAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        return FindAccountWhereAsync("a.user_key = $value", userKey, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountBySkeletonAsync(string skeleton, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skeleton);
        // the oldest of the accounts that collide (only ones registered under older rules can)
        return FindAccountWhereAsync("a.identity = (SELECT identity FROM accounts WHERE skeleton = $value ORDER BY created LIMIT 1)", skeleton, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountByIdentityAsync(string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return FindAccountWhereAsync("a.identity = $value", identity, cancellationToken);
    }

    private async ValueTask<Account?> FindAccountWhereAsync(string condition, string value, CancellationToken cancellationToken)
    {
        var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            // one statement, so the account and its rooms come from the same snapshot
            command.CommandText = $"""
                SELECT {StoreRows.AccountColumns}
                FROM accounts a LEFT JOIN account_rooms r ON r.identity = a.identity
                WHERE {condition}
                ORDER BY r.room
                """;
            command.Parameters.AddWithValue("$value", value);
            return await StoreRows.ReadAccountAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    // inserts nothing when the user key or the identity already has an account
    private void Apply(CreateAccountWrite write)
    {
        var account = write.Account;
        using var command = CreateWriteCommand(writeConnection!, """
            INSERT INTO accounts (identity, user_key, skeleton, name, password_hash, created, name_rules)
            VALUES ($identity, $user_key, $skeleton, $name, $password_hash, $created, $name_rules)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("$identity", account.Identity);
        command.Parameters.AddWithValue("$user_key", account.UserKey);
        command.Parameters.AddWithValue("$skeleton", account.Skeleton);
        command.Parameters.AddWithValue("$name", account.Name);
        command.Parameters.AddWithValue("$password_hash", account.PasswordHash);
        command.Parameters.AddWithValue("$created", write.Created.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$name_rules", NameRules.Current);
        write.Inserted = command.ExecuteNonQuery() > 0;
        if (write.Inserted)
        {
            InsertRooms(writeConnection!, account.Identity, account.Rooms);
        }
    }

    // the account must exist (the rooms refer to it): otherwise the database refuses the write
    private void Apply(SaveAccountRoomsWrite write)
    {
        using var command = CreateWriteCommand(writeConnection!, "DELETE FROM account_rooms WHERE identity = $identity");
        command.Parameters.AddWithValue("$identity", write.Identity);
        command.ExecuteNonQuery();
        InsertRooms(writeConnection!, write.Identity, write.Rooms);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AccountName>> ListAccountNamesAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT identity, user_key, skeleton, name, name_rules FROM accounts ORDER BY created";
            var names = new List<AccountName>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                names.Add(new AccountName(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (int)reader.GetInt64(4)));
            }
            return names;
        }
    }

    private void Apply(UpdateAccountNameWrite write)
    {
        using var command = CreateWriteCommand(writeConnection!,
            "UPDATE accounts SET user_key = $user_key, skeleton = $skeleton, name_rules = $name_rules WHERE identity = $identity");
        command.Parameters.AddWithValue("$identity", write.Identity);
        command.Parameters.AddWithValue("$user_key", write.UserKey);
        command.Parameters.AddWithValue("$skeleton", write.Skeleton);
        command.Parameters.AddWithValue("$name_rules", write.NameRules);
        command.ExecuteNonQuery();
    }

    private static void InsertRooms(SqliteConnection connection, string identity, IReadOnlyList<string> rooms)
    {
        using var command = CreateWriteCommand(connection,
            "INSERT INTO account_rooms (identity, room) VALUES ($identity, $room) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("$identity", identity);
        var room = command.Parameters.Add("$room", SqliteType.Text);
        foreach (var name in rooms)
        {
            room.Value = name;
            command.ExecuteNonQuery();
        }
    }

    // runs inside the commit's transaction (SqliteWriterTransaction), which the connection does not track
    private static SqliteCommand CreateWriteCommand(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
