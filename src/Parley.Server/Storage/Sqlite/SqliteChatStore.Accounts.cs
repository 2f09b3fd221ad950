using SqliteWriteJob = Parley.Server.Storage.WriteJob<System.Func<Microsoft.Data.Sqlite.SqliteConnection, bool>>;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <inheritdoc />
    public async ValueTask<Account?> FindAccountAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            // one statement, so the account and its rooms come from the same snapshot
            command.CommandText = """
                SELECT a.name, a.password_hash, r.room
                FROM accounts a LEFT JOIN account_rooms r ON r.user_key = a.user_key
                WHERE a.user_key = $user_key
                ORDER BY r.room
                """;
            command.Parameters.AddWithValue("$user_key", userKey);
            return await StoreRows.ReadAccountAsync(command, userKey, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryCreateAccountAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var rooms = account.Rooms.ToArray();
        var created = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return await Enqueue(new SqliteWriteJob(connection =>
        {
            using var command = CreateWriteCommand(connection, """
                INSERT INTO accounts (user_key, name, password_hash, created)
                VALUES ($user_key, $name, $password_hash, $created)
                ON CONFLICT (user_key) DO NOTHING
                """);
            command.Parameters.AddWithValue("$user_key", account.UserKey);
            command.Parameters.AddWithValue("$name", account.Name);
            command.Parameters.AddWithValue("$password_hash", account.PasswordHash);
            command.Parameters.AddWithValue("$created", created);
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }
            InsertRooms(connection, account.UserKey, rooms);
            return true;
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The account must exist (the rooms refer to it); otherwise the returned task fails.</remarks>
    public async ValueTask SaveAccountRoomsAsync(string userKey, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        ArgumentNullException.ThrowIfNull(rooms);
        var snapshot = rooms.ToArray();
        await Enqueue(new SqliteWriteJob(connection =>
        {
            using var command = CreateWriteCommand(connection, "DELETE FROM account_rooms WHERE user_key = $user_key");
            command.Parameters.AddWithValue("$user_key", userKey);
            command.ExecuteNonQuery();
            InsertRooms(connection, userKey, snapshot);
            return true;
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void InsertRooms(SqliteConnection connection, string userKey, string[] rooms)
    {
        using var command = CreateWriteCommand(connection,
            "INSERT INTO account_rooms (user_key, room) VALUES ($user_key, $room) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("$user_key", userKey);
        var room = command.Parameters.Add("$room", SqliteType.Text);
        foreach (var name in rooms)
        {
            room.Value = name;
            command.ExecuteNonQuery();
        }
    }

    // runs inside the writer's transaction (SqliteWriterTransaction), which the connection does not track
    private static SqliteCommand CreateWriteCommand(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
