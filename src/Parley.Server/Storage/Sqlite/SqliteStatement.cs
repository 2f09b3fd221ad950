using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// A statement the store runs again and again, prepared once on its connection and run through
/// SQLite's own API. A run through a <see cref="SqliteCommand"/>, even a prepared one, makes a data
/// reader, a record, a binder per parameter and a box per number: on the send path that was half of
/// what the server allocated, and every garbage collection stops the fan-out.
/// </summary>
/// <remarks>
/// Used by one thread at a time, as its connection is. Parameters are numbered from 1 (<c>?1</c> in
/// the SQL), columns from 0. A run is <c>using (statement.Run())</c> around its binds, steps and
/// column reads: the end of the run resets the statement for the next one, whatever happened.
/// </remarks>
internal sealed class SqliteStatement : IDisposable
{
    // texts up to this many UTF-8 bytes are encoded on the stack; SQLite copies what is bound
    private const int StackBytes = 1024;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void Bind(int parameter, long value) => Check(raw.sqlite3_bind_int64(_statement, parameter, value));

    public void Bind(int parameter, string value)
    {
        if (value.Length == 0)
        {
            // an empty span may have no address, which SQLite would bind as NULL
            Check(raw.sqlite3_bind_text(_statement, parameter, value));
            return;
        }
        var maximum = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = maximum <= StackBytes ? stackalloc byte[maximum] : (rented = ArrayPool<byte>.Shared.Rent(maximum));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, buffer);
            Check(raw.sqlite3_bind_text(_statement, parameter, buffer[..length]));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Runs to the next row: true when there is one, false when the statement is done.</summary>
    /// <exception cref="SqliteException">SQLite refused (a constraint, a full disk, a busy database past its timeout).</exception>
    public bool Step()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW)
        {
            return true;
        }
        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
        return false;
    }

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <summary>Starts a run; disposing it ends the run.</summary>
    public RunScope Run() => new(this);

    // the statement lets go of its rows and bindings
    private void Reset()
    {
        // returns the last step's error again, which was reported then
        _ = raw.sqlite3_reset(_statement);
        _ = raw.sqlite3_clear_bindings(_statement);
    }

    public void Dispose() => _statement.Dispose();

    /// <summary>A run of the statement; disposing it resets the statement, whether the run succeeded or not.</summary>
    public readonly struct RunScope(SqliteStatement statement) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => statement.Reset();
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
    }
}
