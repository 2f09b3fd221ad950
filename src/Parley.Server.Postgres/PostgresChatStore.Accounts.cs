using Npgsql;
using Parley.Server.Storage;

namespace Parley.Server.Postgres;

public sealed partial class PostgresChatStore
{
    /// <inheritdoc />
    public ValueTask<Account?> FindAccountAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        return FindAccountWhereAsync("a.user_key = $1", userKey, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountBySkeletonAsync(string skeleton, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skeleton);
        // the oldest of the accounts that collide (only ones registered under older rules can)
        return FindAccountWhereAsync("a.identity = (SELECT identity FROM accounts WHERE skeleton = $1 ORDER BY created LIMIT 1)", skeleton, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Account?> FindAccountByIdentityAsync(string identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return FindAccountWhereAsync("a.identity = $1", identity, cancellationToken);
    }

    private async ValueTask<Account?> FindAccountWhereAsync(string condition, string value, CancellationToken cancellationToken)
    {
        // one statement, so the account and its rooms come from the same snapshot
        var command = dataSource.CreateCommand($"""
            SELECT {StoreRows.AccountColumns}
            FROM accounts a LEFT JOIN account_rooms r ON r.identity = a.identity
            WHERE {condition}
            ORDER BY r.room
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
            return await StoreRows.ReadAccountAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AccountName>> ListAccountNamesAsync(CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("SELECT identity, user_key, skeleton, name, name_rules FROM accounts ORDER BY created");
        await using (command.ConfigureAwait(false))
        {
            var names = new List<AccountName>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    names.Add(new AccountName(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
                }
            }
            return names;
        }
    }

    private static async Task ApplyAsync(CreateAccountWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var account = write.Account;
        var command = new NpgsqlCommand("""
            INSERT INTO accounts (identity, user_key, skeleton, name, password_hash, created, name_rules)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT DO NOTHING
            """, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.Identity });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.UserKey });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.Skeleton });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.Name });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.PasswordHash });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.Created.ToUnixTimeMilliseconds() });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = NameRules.Current });
            if (await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
            {
                write.Inserted = false;
                return;
            }
        }
        await InsertRoomsAsync(connection, transaction, account.Identity, [.. account.Rooms]).ConfigureAwait(false);
        write.Inserted = true;
    }

    private static async Task ApplyAsync(SaveAccountRoomsWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var command = new NpgsqlCommand("DELETE FROM account_rooms WHERE identity = $1", connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Identity });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        await InsertRoomsAsync(connection, transaction, write.Identity, [.. write.Rooms]).ConfigureAwait(false);
    }

    private static async Task ApplyAsync(UpdateAccountNameWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var command = new NpgsqlCommand(
            "UPDATE accounts SET user_key = $2, skeleton = $3, name_rules = $4 WHERE identity = $1", connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Identity });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.UserKey });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Skeleton });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = write.NameRules });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private static async Task InsertRoomsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string identity, string[] rooms)
    {
        var command = new NpgsqlCommand("""
            INSERT INTO account_rooms (identity, room) SELECT $1, room FROM unnest($2::text[]) AS room
            ON CONFLICT DO NOTHING
            """, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = identity });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rooms });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
