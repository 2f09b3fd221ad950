using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The commit's transaction control, prepared once on the writing connection: the batch's BEGIN, COMMIT
/// and ROLLBACK, and the savepoint that lets a write fail alone. A <see cref="SqliteTransaction"/> prepares
/// and runs a new command for each of them, with its data reader and its statement list: when commits
/// hold a message or two, that was as much garbage per commit as the messages made.
/// </summary>
/// <remarks>
/// Used by one commit at a time (<see cref="SqliteChatStore.CommitAsync"/>). Commands that run inside it are made without a transaction
/// (<see cref="SqliteConnection.CreateCommand"/>): the connection's own <c>Transaction</c> stays null,
/// so Microsoft.Data.Sqlite runs them, and SQLite runs them inside this one.
/// </remarks>
internal sealed class SqliteWriterTransaction : IDisposable
{
    private const string JobSavepoint = "job";

    private readonly sqlite3 _db;
    private readonly SqliteStatement _begin;
    private readonly SqliteStatement _commit;
    private readonly SqliteStatement _rollback;
    private readonly SqliteStatement _save;
    private readonly SqliteStatement _rollbackToSave;
    private readonly SqliteStatement _release;
    // all of the above, to finalize
    private readonly List<SqliteStatement> _prepared = new(6);

    public SqliteWriterTransaction(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteStatement Prepare(string sql)
        {
            var statement = new SqliteStatement(connection, sql);
            _prepared.Add(statement);
            return statement;
        }
        try
        {
            // IMMEDIATE, as SqliteTransaction's: the write lock is taken at the start, where SQLite waits
            // out the busy timeout for it. A deferred transaction that read first (the last seq of a
            // conversation) and then writes gets SQLITE_BUSY at once when another connection writes.
            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            _save = Prepare($"SAVEPOINT {JobSavepoint}");
            _rollbackToSave = Prepare($"ROLLBACK TO {JobSavepoint}");
            _release = Prepare($"RELEASE {JobSavepoint}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>True while a transaction is open on the connection.</summary>
    public bool IsOpen => raw.sqlite3_get_autocommit(_db) == 0;

    /// <exception cref="SqliteException">SQLite refused.</exception>
    public void Begin() => Run(_begin);

    /// <exception cref="SqliteException">SQLite refused; the transaction may still be open.</exception>
    public void Commit() => Run(_commit);

    /// <summary>Undoes the batch, if SQLite has not undone it on its own already (a full disk, an I/O error).</summary>
    public void RollBackQuietly()
    {
        if (!IsOpen)
        {
            return;
        }
        try
        {
            Run(_rollback);
        }
        catch (SqliteException)
        {
            // nothing more to undo
        }
    }

    /// <summary>Opens the savepoint that lets a write fail alone.</summary>
    /// <exception cref="SqliteException">SQLite refused.</exception>
    public void Save() => Run(_save);

    /// <summary>Undoes what was written since <see cref="Save"/>; the savepoint stays open.</summary>
    /// <exception cref="SqliteException">SQLite refused.</exception>
    public void RollBackToSave() => Run(_rollbackToSave);

    /// <summary>Closes the savepoint, keeping what was written since.</summary>
    /// <exception cref="SqliteException">SQLite refused.</exception>
    public void Release() => Run(_release);

    public void Dispose() => _prepared.ForEach(statement => statement.Dispose());

    private static void Run(SqliteStatement statement)
    {
        using (statement.Run())
        {
            statement.Step();
        }
    }
}
