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
            await using var connection = await store.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(store.Command("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.");
        }
    }
}
