using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AnalyticsService.Storage;
using Microsoft.Data.Sqlite;

namespace AnalyticsService.Tests;

/// <summary>
/// SQLite's threading mode, set by <see cref="SqliteDialect"/> before the first connection opens: multi-thread, so that
/// no call takes the connection's mutex (docs/performance.md, "Import"). The service makes its dialect before it opens
/// anything; this assembly does the same when it loads, whichever test runs first.
/// </summary>
public sealed class SqliteModeTests
{
    [ModuleInitializer]
    internal static void ConfigureSqliteFirst() => RuntimeHelpers.RunClassConstructor(typeof(SqliteDialect).TypeHandle);

    // Returns the connection's mutex, or NULL when the connection is not in serialized mode.
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_db_mutex")]
    private static extern nint DbMutex(nint db);

    [Fact]
    public void Connections_take_no_mutex_around_their_calls()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Assert.Equal(0, DbMutex(connection.Handle!.DangerousGetHandle()));
    }
}
