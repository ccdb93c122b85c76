using System.Data.Common;

namespace AnalyticsService.Storage;

public static class StoreFailures
{
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
