using SqliteWriteJob = Parley.Server.Storage.WriteJob<System.Func<Microsoft.Data.Sqlite.SqliteConnection, bool>>;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    /// <inheritdoc />
    public async ValueTask<string> ClaimRoomAsync(string room, string skeleton, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(skeleton);
        var created = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var holder = room;
        await Enqueue(new SqliteWriteJob(connection =>
        {
            using var command = CreateWriteCommand(connection, """
                INSERT INTO rooms (name, skeleton, created, legacy)
                SELECT $name, $skeleton, $created, 0 WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE skeleton = $skeleton)
                ON CONFLICT DO NOTHING
                """);
            command.Parameters.AddWithValue("$name", room);
            command.Parameters.AddWithValue("$skeleton", skeleton);
            command.Parameters.AddWithValue("$created", created);
            command.ExecuteNonQuery();
            // a room of before met again: its skeleton is known now
            command.CommandText = "UPDATE rooms SET skeleton = $skeleton WHERE name = $name AND skeleton = ''";
            command.ExecuteNonQuery();
            command.CommandText = "SELECT name FROM rooms WHERE name = $name";
            if (command.ExecuteScalar() is null)
            {
                command.CommandText = "SELECT name FROM rooms WHERE skeleton = $skeleton ORDER BY created, name LIMIT 1";
                holder = (string)command.ExecuteScalar()!;
            }
            return true;
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
        return holder;
    }

    /// <inheritdoc />
    public async ValueTask ForgetRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        await Enqueue(new SqliteWriteJob(connection =>
        {
            using var command = CreateWriteCommand(connection, """
                DELETE FROM rooms WHERE name = $name AND NOT EXISTS (SELECT 1 FROM messages WHERE conversation = $name)
                """);
            command.Parameters.AddWithValue("$name", room);
            return command.ExecuteNonQuery() > 0;
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListRoomsWithoutSkeletonAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM rooms WHERE skeleton = '' ORDER BY name";
            var rooms = new List<string>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rooms.Add(reader.GetString(0));
            }
            return rooms;
        }
    }

    /// <inheritdoc />
    public async ValueTask SetRoomSkeletonAsync(string room, string skeleton, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(skeleton);
        await Enqueue(new SqliteWriteJob(connection =>
        {
            using var command = CreateWriteCommand(connection, "UPDATE rooms SET skeleton = $skeleton WHERE name = $name");
            command.Parameters.AddWithValue("$name", room);
            command.Parameters.AddWithValue("$skeleton", skeleton);
            return command.ExecuteNonQuery() > 0;
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
