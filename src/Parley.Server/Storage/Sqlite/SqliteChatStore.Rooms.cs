namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    private void Apply(ClaimRoomWrite write)
    {
        using var command = CreateWriteCommand(writeConnection!, """
            INSERT INTO rooms (name, skeleton, created, legacy)
            SELECT $name, $skeleton, $created, 0 WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE skeleton = $skeleton)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("$name", write.Room);
        command.Parameters.AddWithValue("$skeleton", write.Skeleton);
        command.Parameters.AddWithValue("$created", write.Created.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
        // a room of before met again: its skeleton is known now
        command.CommandText = "UPDATE rooms SET skeleton = $skeleton WHERE name = $name AND skeleton = ''";
        command.ExecuteNonQuery();
        command.CommandText = "SELECT name FROM rooms WHERE name = $name";
        var holder = write.Room;
        if (command.ExecuteScalar() is null)
        {
            command.CommandText = "SELECT name FROM rooms WHERE skeleton = $skeleton ORDER BY created, name LIMIT 1";
            holder = (string)command.ExecuteScalar()!;
        }
        write.Holder = holder;
    }

    private void Apply(ForgetRoomWrite write)
    {
        using var command = CreateWriteCommand(writeConnection!, """
            DELETE FROM rooms WHERE name = $name AND NOT EXISTS (SELECT 1 FROM messages WHERE conversation = $name)
            """);
        command.Parameters.AddWithValue("$name", write.Room);
        command.ExecuteNonQuery();
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

    private void Apply(SetRoomSkeletonWrite write)
    {
        using var command = CreateWriteCommand(writeConnection!, "UPDATE rooms SET skeleton = $skeleton WHERE name = $name");
        command.Parameters.AddWithValue("$name", write.Room);
        command.Parameters.AddWithValue("$skeleton", write.Skeleton);
        command.ExecuteNonQuery();
    }
}
