using Microsoft.Data.Sqlite;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>
/// Closes the pooled connections of one SQLite file, before another process or a fresh host opens it. Never
/// SqliteConnection.ClearAllPools: tests run in parallel, and a clear of every pool can reclaim a connection another
/// test is opening at that moment (Microsoft.Data.Sqlite marks it active before it has an owner), which then fails
/// with a disposed handle or "no such table".
/// </summary>
public static class SqlitePools
{
    /// <summary>The pool of a connection string exactly as the service and the tests write it for a file.</summary>
    public static void Release(string databasePath) => ReleaseConnectionString($"Data Source={databasePath}");

    public static void ReleaseConnectionString(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
