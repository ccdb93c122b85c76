using AnalyticsService.Storage;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Hosting;

/// <summary>
/// Ready when the store answers the queries the reports need (every table they read can be read), which holds only
/// once the migrations have run. The answer is reused for Analytics:ReadinessCacheSeconds, so probes stay cheap under
/// load: gRPC health and /healthz/ready both ask here.
/// </summary>
public sealed class StoreHealthCheck(Store store, IOptions<AnalyticsOptions> options, TimeProvider clock, AnalyticsMetrics? metrics = null) : IHealthCheck
{
    private readonly long _lifetime = (long)(Math.Max(0, options.Value.ReadinessCacheSeconds) * clock.TimestampFrequency);
    // A reference, so that a probe reading it while another writes it sees one whole answer.
    private sealed record Checked(HealthCheckResult Result, long At);
    private Checked? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _last) is { } last && clock.GetTimestamp() - last.At < _lifetime)
            return last.Result;
        var result = await CheckStoreAsync(cancellationToken);
        Volatile.Write(ref _last, new Checked(result, clock.GetTimestamp()));
        return result;
    }

    public const string SyncLagKey = "sync_lag_seconds";

    /// <summary>The readiness body: the status, then the sync's lag when the service follows MongoDB.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain";
        var lag = report.Entries.Values.Select(e => e.Data.TryGetValue(SyncLagKey, out var value) ? (double?)value : null).FirstOrDefault(v => v is not null);
        return context.Response.WriteAsync(report.Status + (lag is { } seconds
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\nsync lag: {seconds:0.0} s") : ""));
    }

    private async Task<HealthCheckResult> CheckStoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.QueryAsync(forReports: false, connection =>
                connection.ExecuteScalarAsync<object>(store.Command(store.Dialect.ReadinessCheck, cancellationToken: cancellationToken)), cancellationToken);
            // Following MongoDB: how far behind the store was at the newest batch applied (docs/sync.md).
            return metrics?.LastSyncLag is { } lag
                ? HealthCheckResult.Healthy(data: new Dictionary<string, object> { [SyncLagKey] = lag.TotalSeconds })
                : HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex))
        {
            return HealthCheckResult.Unhealthy("The store does not answer the queries the reports need.");
        }
    }
}
