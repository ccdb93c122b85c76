using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AnalyticsService.Storage;

/// <summary>
/// Reads the store's version on every report call, as cheaply as the engine allows: a few connections (to the reports'
/// database) kept open with the statement prepared, so a call costs one execution, not a connection and a compile.
/// On SQLite the prepared statement is stepped directly (measured: the version read through the ADO.NET reader was
/// a quarter of a cached call's CPU time), and in WAL mode not at all while SQLite's wal-index header shows no commit
/// since the last read (<see cref="SqliteCommitWatch"/>).
/// </summary>
public sealed class StoreVersionReader(Store store, Hosting.AnalyticsMetrics? metrics = null) : IAsyncDisposable
{
    private readonly ConcurrentBag<VersionProbe> _idle = [];
    private SqliteCommitWatch? _watch;
    private bool _unwatchable; // the reports' database has no wal-index to watch: read on every call
    private Reading? _last;

    /// <summary>A version, and the wal-index header read just before it: the version holds while the header does.</summary>
    private sealed record Reading(WalIndexHeader Header, long Version);

    public ValueTask<long> ReadAsync(CancellationToken cancellationToken)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && _watch is { } watch && watch.Read() == last.Header)
            return ValueTask.FromResult(last.Version);
        return ReadFromStoreAsync(cancellationToken);
    }

    private async ValueTask<long> ReadFromStoreAsync(CancellationToken cancellationToken)
    {
        metrics?.StoreVersionRead();
        if (!_idle.TryTake(out var probe))
            probe = await OpenAsync(cancellationToken);
        // The header first: the version read after it is at least as recent, and equal to it while the header holds.
        var header = _watch?.Read();
        try
        {
            var version = await probe.ReadAsync(cancellationToken);
            _idle.Add(probe);
            if (header is { } read)
                Volatile.Write(ref _last, new Reading(read, version)); // any pair kept is consistent, whichever thread wins
            return version;
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            await probe.DisposeAsync(); // a broken connection is not kept; the store's retry logic gets its turn
            return await store.QueryAsync(forReports: true, connection =>
                connection.ExecuteScalarAsync<long>(store.Command(store.Dialect.StoreVersion, cancellationToken: cancellationToken)), cancellationToken);
        }
    }

    private async Task<VersionProbe> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await store.OpenForReportsAsync(cancellationToken);
        try
        {
            if (connection is SqliteConnection sqlite)
            {
                await WatchAsync(cancellationToken);
                return new SqliteVersionProbe(sqlite, store.Dialect.StoreVersion.Text);
            }
            var command = connection.CreateCommand();
            command.CommandText = store.Dialect.StoreVersion.Text;
            command.CommandTimeout = store.CommandTimeoutSeconds;
            await command.PrepareAsync(cancellationToken);
            return new CommandVersionProbe(connection, command);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts watching the reports' SQLite database for commits, once it can be opened.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        if (_watch is not null || _unwatchable)
            return;
        SqliteCommitWatch? watch;
        try
        {
            watch = SqliteCommitWatch.Open((SqliteConnection)await store.OpenForReportsAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            return; // only a saving: the version is read on every call until a later probe manages to watch
        }
        if (watch is null)
            _unwatchable = true;
        else if (Interlocked.CompareExchange(ref _watch, watch, null) is not null)
            watch.Dispose(); // another probe started one first
    }

    public async ValueTask DisposeAsync()
    {
        _watch?.Dispose();
        while (_idle.TryTake(out var probe))
            await probe.DisposeAsync();
    }

    /// <summary>An open connection with the version statement ready to run.</summary>
    private abstract class VersionProbe(DbConnection connection) : IAsyncDisposable
    {
        protected DbConnection Connection { get; } = connection;

        public abstract ValueTask<long> ReadAsync(CancellationToken cancellationToken);

        public virtual ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private sealed class CommandVersionProbe(DbConnection connection, DbCommand command) : VersionProbe(connection)
    {
        public override async ValueTask<long> ReadAsync(CancellationToken cancellationToken) =>
            Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

        public override async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    /// <summary>The version statement prepared once on a SQLite connection and stepped with SQLitePCL directly.</summary>
    private sealed class SqliteVersionProbe : VersionProbe
    {
        private readonly sqlite3_stmt _statement;
        private readonly SqliteConnection _sqlite;

        public SqliteVersionProbe(SqliteConnection connection, string sql) : base(connection)
        {
            _sqlite = connection;
            var result = raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
            if (result != raw.SQLITE_OK)
                throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), result);
        }

        public override ValueTask<long> ReadAsync(CancellationToken cancellationToken)
        {
            try
            {
                var result = raw.sqlite3_step(_statement);
                if (result != raw.SQLITE_ROW)
                    throw new SqliteException(raw.sqlite3_errmsg(_sqlite.Handle).utf8_to_string(), result);
                return ValueTask.FromResult(raw.sqlite3_column_int64(_statement, 0));
            }
            finally
            {
                raw.sqlite3_reset(_statement); // ends the read, so the next one sees newer commits
            }
        }

        public override ValueTask DisposeAsync()
        {
            _statement.Dispose();
            return base.DisposeAsync();
        }
    }
}
