using System.Data.Common;
using System.Globalization;

namespace Parley.Server.Storage.Migrations;

/// <summary>
/// Brings a database to the newest schema: keeps <c>schema_migrations(version, name, applied_at)</c>
/// and applies the migrations it does not list yet, in order, in one transaction. Written against
/// ADO.NET and portable SQL so that every store shares it.
/// </summary>
public static class MigrationRunner
{
    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )
        """;

    /// <summary>Applies the missing migrations and returns them, in the order applied.</summary>
    /// <param name="connection">An open connection that may change the schema.</param>
    /// <param name="migrations">Every migration of the store, in ascending version order.</param>
    /// <param name="timeProvider">The clock of <c>applied_at</c> (unix milliseconds).</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <exception cref="InvalidOperationException">The database has a version newer than any migration given.</exception>
    public static async Task<IReadOnlyList<Migration>> ApplyAsync(
        DbConnection connection, IReadOnlyList<Migration> migrations, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(timeProvider);
        CheckOrder(migrations);

        // Reading what is applied inside the transaction keeps two servers starting at once from both applying.
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, transaction, CreateTableSql, cancellationToken).ConfigureAwait(false);
            var applied = await ReadAppliedVersionsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

            var newestKnown = migrations.Count == 0 ? 0 : migrations[^1].Version;
            var newestApplied = applied.Count == 0 ? 0 : applied.Max();
            if (newestApplied > newestKnown)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The database schema is at version {newestApplied}, newer than this server knows ({newestKnown})."));
            }

            var missing = migrations.Where(m => !applied.Contains(m.Version)).ToList();
            foreach (var migration in missing)
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                await RecordAsync(connection, transaction, migration, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return missing;
        }
    }

    private static void CheckOrder(IReadOnlyList<Migration> migrations)
    {
        var previous = 0;
        foreach (var migration in migrations)
        {
            if (migration.Version <= previous)
            {
                throw new ArgumentException("Migration versions must start at 1 or more and ascend strictly.", nameof(migrations));
            }
            previous = migration.Version;
        }
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT version FROM schema_migrations";
            var versions = new HashSet<int>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    versions.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
                }
            }
            return versions;
        }
    }

    private static async Task RecordAsync(DbConnection connection, DbTransaction transaction, Migration migration, DateTimeOffset appliedAt, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @applied_at)";
            AddParameter(command, "@version", migration.Version);
            AddParameter(command, "@name", migration.Name);
            AddParameter(command, "@applied_at", appliedAt.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
