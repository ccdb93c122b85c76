using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AnalyticsService.Storage;

/// <summary>
/// Tells, without a query, whether a SQLite database in WAL mode may have had a commit since a moment: it reads the
/// wal-index header in the database's "-shm" file, the header SQLite's own readers read to pick their snapshot and
/// every commit rewrites (its change counter, frame count and salts; sqlite.org/walformat.html, "The WAL-Index
/// Header"). An unchanged header means a transaction starting now sees what one started at that moment saw.
/// Reading it costs a memory read, where a read transaction costs two file-lock system calls (measured: a quarter of
/// a cached call).
/// </summary>
public sealed class SqliteCommitWatch : IDisposable
{
    // Kept open for as long as the header is mapped: while any connection is open, no other opener may reinitialise
    // (truncate) the -shm file under the mapping, and the database cannot leave WAL mode.
    private readonly SqliteConnection _connection;
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _header;

    private SqliteCommitWatch(SqliteConnection connection, MemoryMappedFile map, MemoryMappedViewAccessor header) =>
        (_connection, _map, _header) = (connection, map, header);

    /// <summary>
    /// Watches the database the connection string names, taking ownership of the open connection; null (the
    /// connection disposed) where the database has no wal-index file to read: in memory, or not in WAL mode.
    /// </summary>
    public static SqliteCommitWatch? Open(SqliteConnection connection)
    {
        try
        {
            var path = raw.sqlite3_db_filename(connection.Handle, "main").utf8_to_string();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode"; // a read: it also creates the -shm file if no one has yet
                if (string.IsNullOrEmpty(path) || !string.Equals(command.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    connection.Dispose();
                    return null;
                }
            }
            // SQLite holds the file open for writing and locks parts of it: share everything.
            using var file = new FileStream(path + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            return new SqliteCommitWatch(connection, map, map.CreateViewAccessor(0, Marshal.SizeOf<WalIndexHeader>(), MemoryMappedFileAccess.Read));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The header now; equal to an earlier reading exactly when no commit has become visible since.</summary>
    public WalIndexHeader Read()
    {
        // The first of the header's two copies: SQLite writes it last, so a commit is visible once it changes.
        _header.Read(0, out WalIndexHeader header);
        return header;
    }

    public void Dispose()
    {
        _header.Dispose();
        _map.Dispose();
        _connection.Dispose();
    }
}

/// <summary>The 48 bytes of SQLite's WalIndexHdr, compared as a whole.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct WalIndexHeader(ulong Word0, ulong Word1, ulong Word2, ulong Word3, ulong Word4, ulong Word5);
