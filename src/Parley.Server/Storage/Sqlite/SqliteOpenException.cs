using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The database file cannot be opened for writing, with the path and the reason in words: SQLite's
/// own "unable to open database file" names neither, and a file it cannot write it opens read-only
/// without a word, so that every send would fail later.
/// </summary>
public sealed class SqliteOpenException : IOException
{
    /// <summary>Creates the exception for <paramref name="databasePath"/> (a full path) and the reason.</summary>
    public SqliteOpenException(string databasePath, string reason, Exception? innerException = null)
        : base($"cannot open the database {databasePath}: {reason}", innerException)
    {
        DatabasePath = databasePath;
        Reason = reason;
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Why it cannot be opened, such as "the file is read-only".</summary>
    public string Reason { get; }

    /// <summary>
    /// Finds out why <paramref name="databasePath"/> could not be opened for writing, from what is at
    /// that path and from <paramref name="error"/> (null when SQLite opened the file read-only).
    /// </summary>
    public static SqliteOpenException Explain(string databasePath, Exception? error)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        return new SqliteOpenException(databasePath, Diagnose(databasePath, error), error);
    }

    private static string Diagnose(string path, Exception? error)
    {
        if (Directory.Exists(path))
        {
            return "it is a directory";
        }
        var directory = Path.GetDirectoryName(path)!;
        var existing = directory;
        while (!Directory.Exists(existing) && !File.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing)!;
        }
        if (File.Exists(existing))
        {
            return $"{existing} is a file, not a directory";
        }
        if (existing != directory)
        {
            // the directory is missing, and creating it failed
            return $"the directory {existing} cannot be written";
        }
        switch ((error as SqliteException)?.SqliteErrorCode)
        {
            case raw.SQLITE_NOTADB:
                return "it is not a SQLite database";
            case raw.SQLITE_CORRUPT:
                return "the database is damaged (SQLite: database disk image is malformed)";
            case raw.SQLITE_FULL:
                return "the disk is full";
        }
        if (File.Exists(path) && !CanWrite(path))
        {
            return "the file is read-only";
        }
        if (!CanCreateFileIn(directory))
        {
            // a file that exists needs its -wal and -shm files beside it as well
            return $"the directory {directory} cannot be written";
        }
        return error?.Message ?? "SQLite opened it read-only";
    }

    // the probes try what SQLite tried: permission bits say nothing to root, and nothing of
    // immutable files or read-only mounts
    private static bool CanWrite(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool CanCreateFileIn(string directory)
    {
        try
        {
            using var stream = new FileStream(Path.Combine(directory, $".parley-probe-{Guid.NewGuid():N}"), FileMode.CreateNew,
                FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
