using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;

namespace AnalyticsService.Storage;

/// <summary>
/// Reads the store's version on every report call, as cheaply as the engine allows: a few connections (to the reports'
/// database) kept open with the statement prepared, so a call costs one execution, not a connection and a compile.
/// On SQLite the prepared statement is stepped directly (measured: the version read through the ADO.NET reader was
/// a quarter of a cached call's CPU time).
/// </summary>
public sealed class StoreVersionReader(Store store) : IAsyncDisposable
{
    private readonly ConcurrentBag<DbCommand> _idle = [];

    public async Task<long> ReadAsync(CancellationToken cancellationToken)
    {
        if (!_idle.TryTake(out var command))
            command = await PrepareAsync(cancellationToken);
        try
        {
            var version = command is SqliteVersionCommand sqlite
                ? sqlite.Read()
                : Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            _idle.Add(command);
            return version;
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            await DisposeAsync(command); // a broken connection is not kept; the store's retry logic gets its turn
            return await store.QueryAsync(forReports: true, connection =>
                connection.ExecuteScalarAsync<long>(store.Command(store.Dialect.StoreVersion, cancellationToken: cancellationToken)), cancellationToken);
        }
    }

    private async Task<DbCommand> PrepareAsync(CancellationToken cancellationToken)
    {
        var connection = await store.OpenForReportsAsync(cancellationToken);
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
            return new SqliteVersionCommand(sqlite, store.Dialect.StoreVersion.Text);
        var command = connection.CreateCommand();
        command.CommandText = store.Dialect.StoreVersion.Text;
        command.CommandTimeout = store.CommandTimeoutSeconds;
        await command.PrepareAsync(cancellationToken);
        return command;
    }

    private static async ValueTask DisposeAsync(DbCommand command)
    {
        var connection = command is SqliteVersionCommand sqlite ? sqlite.Owner : command.Connection;
        await command.DisposeAsync();
        if (connection is not null)
            await connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var command))
            await DisposeAsync(command);
    }
}

/// <summary>The version statement prepared once on a SQLite connection and stepped with SQLitePCL directly.</summary>
internal sealed class SqliteVersionCommand : Microsoft.Data.Sqlite.SqliteCommand
{
    private readonly SQLitePCL.sqlite3_stmt _statement;

    public Microsoft.Data.Sqlite.SqliteConnection Owner { get; }

    public SqliteVersionCommand(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        Owner = connection;
        var result = SQLitePCL.raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
        if (result != SQLitePCL.raw.SQLITE_OK)
            throw new Microsoft.Data.Sqlite.SqliteException(SQLitePCL.raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), result);
    }

    public long Read()
    {
        try
        {
            var result = SQLitePCL.raw.sqlite3_step(_statement);
            if (result != SQLitePCL.raw.SQLITE_ROW)
                throw new Microsoft.Data.Sqlite.SqliteException(SQLitePCL.raw.sqlite3_errmsg(Owner.Handle).utf8_to_string(), result);
            return SQLitePCL.raw.sqlite3_column_int64(_statement, 0);
        }
        finally
        {
            SQLitePCL.raw.sqlite3_reset(_statement); // ends the read, so the next one sees newer commits
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _statement.Dispose();
        base.Dispose(disposing);
    }
}
