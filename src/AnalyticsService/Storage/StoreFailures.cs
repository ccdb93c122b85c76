using System.Data.Common;

namespace AnalyticsService.Storage;

public static class StoreFailures
{
    /// <summary>
    /// One line for an operator: what is wrong with the store, in its own words where the engine says (a full disk, a
    /// read-only or locked file), and where it is. Never the connection string: it can hold credentials.
    /// </summary>
    public static string Describe(Exception ex, string location)
    {
        var cause = ex is AggregateException aggregate ? aggregate.InnerExceptions[^1] : ex;
        while (cause is InvalidOperationException { InnerException: { } inner })
            cause = inner;
        return cause switch
        {
            Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 } => $"The disk holding the store is full: {location}.",
            Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 8 } => $"The store is read-only: {location}.",
            Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => $"The store is locked by another writer: {location}.",
            Microsoft.Data.SqlClient.SqlException { Number: 1105 or 9002 } => $"The store's database or its log is full: {location}.",
            _ => $"The store cannot be reached: {location}: {cause.Message}",
        };
    }

    /// <summary>
    /// The store could not be reached or did not answer in time: a provider error, a timeout, or the same after
    /// the retries ran out (SqlClient's retry logic reports them together).
    /// </summary>
    public static bool IsStoreFailure(Exception ex) => ex switch
    {
        DbException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsStoreFailure),
        InvalidOperationException { InnerException: { } inner } => IsStoreFailure(inner),
        _ => false,
    };
}
