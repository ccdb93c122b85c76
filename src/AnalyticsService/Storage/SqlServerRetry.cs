using Microsoft.Data.SqlClient;

namespace AnalyticsService.Storage;

/// <summary>SqlClient's configurable retry logic: exponential back-off on the error numbers SqlClient knows as transient.</summary>
public sealed class SqlServerRetry(int tries, TimeSpan maxDelay) : IStoreRetry
{
    private readonly SqlRetryLogicBaseProvider _provider = SqlConfigurableRetryFactory.CreateExponentialRetryProvider(new SqlRetryLogicOption
    {
        NumberOfTries = Math.Max(1, tries),
        DeltaTime = TimeSpan.FromMilliseconds(200),
        MaxTimeInterval = maxDelay,
    });

    public Task<T> ExecuteAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken) =>
        _provider.ExecuteAsync(this, work, cancellationToken);
}
