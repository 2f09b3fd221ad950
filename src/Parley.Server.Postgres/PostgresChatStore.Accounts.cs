using PostgresWriteJob = Parley.Server.Storage.WriteJob<System.Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, System.Threading.Tasks.Task<bool>>>;
using Npgsql;
using Parley.Server.Storage;

namespace Parley.Server.Postgres;

public sealed partial class PostgresChatStore
{
    /// <inheritdoc />
    public async ValueTask<Account?> FindAccountAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        // one statement, so the account and its rooms come from the same snapshot
        var command = dataSource.CreateCommand("""
            SELECT a.name, a.password_hash, r.room
            FROM accounts a LEFT JOIN account_rooms r ON r.user_key = a.user_key
            WHERE a.user_key = $1
            ORDER BY r.room
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userKey });
            return await StoreRows.ReadAccountAsync(command, userKey, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryCreateAccountAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var rooms = account.Rooms.ToArray();
        var created = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return await Enqueue(new PostgresWriteJob(async (connection, transaction) =>
        {
            var command = new NpgsqlCommand("""
                INSERT INTO accounts (user_key, name, password_hash, created) VALUES ($1, $2, $3, $4)
                ON CONFLICT (user_key) DO NOTHING
                """, connection, transaction);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.UserKey });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.Name });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.PasswordHash });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = created });
                if (await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
                {
                    return false;
                }
            }
            await InsertRoomsAsync(connection, transaction, account.UserKey, rooms).ConfigureAwait(false);
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
        await Enqueue(new PostgresWriteJob(async (connection, transaction) =>
        {
            var command = new NpgsqlCommand("DELETE FROM account_rooms WHERE user_key = $1", connection, transaction);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userKey });
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            await InsertRoomsAsync(connection, transaction, userKey, snapshot).ConfigureAwait(false);
            return true;
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertRoomsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userKey, string[] rooms)
    {
        var command = new NpgsqlCommand("""
            INSERT INTO account_rooms (user_key, room) SELECT $1, room FROM unnest($2::text[]) AS room
            ON CONFLICT DO NOTHING
            """, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userKey });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rooms });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
