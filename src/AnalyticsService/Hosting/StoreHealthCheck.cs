using AnalyticsService.Storage;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AnalyticsService.Hosting;

/// <summary>Healthy when the store answers a trivial query.</summary>
public sealed class StoreHealthCheck(Store store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.QueryAsync(forReports: false, connection =>
                connection.ExecuteScalarAsync<long>(store.Command(store.Dialect.HealthCheck, cancellationToken: cancellationToken)), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex))
        {
            return HealthCheckResult.Unhealthy("The store does not answer.");
        }
    }
}
