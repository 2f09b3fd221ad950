using Npgsql;
using Parley.Server.Storage;

namespace Parley.Server.Postgres;

public sealed partial class PostgresChatStore
{
    private static async Task ApplyAsync(ClaimRoomWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var created = write.Created.ToUnixTimeMilliseconds();
        // another node may forget the room between the insert (which saw it) and the look-up (which no longer
        // does): each statement sees what was committed before it, so the next try inserts it
        for (var attempt = 1; ; attempt++)
        {
            if (await TryClaimRoomAsync(connection, transaction, write.Room, write.Skeleton, created).ConfigureAwait(false) is { } found)
            {
                write.Holder = found;
                return;
            }
            if (attempt == 3)
            {
                throw new InvalidOperationException($"The room {write.Room} was forgotten by another node on every try to claim it.");
            }
        }
    }

    // the room itself when it exists, else its lookalike; null when neither is there any more
    private static async Task<string?> TryClaimRoomAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string room, string skeleton, long created)
    {
        // two nodes creating lookalikes at once: the unique index on new rooms' skeletons lets one in
        var insert = new NpgsqlCommand("""
            INSERT INTO rooms (name, skeleton, created, legacy)
            SELECT $1, $2, $3, false WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE skeleton = $2)
            ON CONFLICT DO NOTHING
            """, connection, transaction);
        await using (insert.ConfigureAwait(false))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = room });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = skeleton });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = created });
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        // a room of before met again: its skeleton is known now
        var heal = new NpgsqlCommand("UPDATE rooms SET skeleton = $2 WHERE name = $1 AND skeleton = ''", connection, transaction);
        await using (heal.ConfigureAwait(false))
        {
            heal.Parameters.Add(new NpgsqlParameter<string> { TypedValue = room });
            heal.Parameters.Add(new NpgsqlParameter<string> { TypedValue = skeleton });
            await heal.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        var find = new NpgsqlCommand("""
            SELECT name FROM rooms WHERE name = $1
            UNION ALL (SELECT name FROM rooms WHERE skeleton = $2 ORDER BY created, name LIMIT 1)
            """, connection, transaction);
        await using (find.ConfigureAwait(false))
        {
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = room });
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = skeleton });
            var reader = await find.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var names = new List<string>();
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    names.Add(reader.GetString(0));
                }
                return names.Contains(room) ? room : names.FirstOrDefault();
            }
        }
    }

    private static Task ApplyAsync(ForgetRoomWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        RunWriteAsync(connection, transaction, "DELETE FROM rooms WHERE name = $1 AND NOT EXISTS (SELECT 1 FROM conversations WHERE conversation = $1)",
            [write.Room]);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListRoomsWithoutSkeletonAsync(CancellationToken cancellationToken = default)
    {
        var command = dataSource.CreateCommand("SELECT name FROM rooms WHERE skeleton = '' ORDER BY name");
        await using (command.ConfigureAwait(false))
        {
            var rooms = new List<string>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rooms.Add(reader.GetString(0));
                }
            }
            return rooms;
        }
    }

    private static Task ApplyAsync(SetRoomSkeletonWrite write, NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        RunWriteAsync(connection, transaction, "UPDATE rooms SET skeleton = $2 WHERE name = $1", [write.Room, write.Skeleton]);
}
