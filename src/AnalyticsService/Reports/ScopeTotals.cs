using AnalyticsService.Storage;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Reports;

/// <summary>
/// Restricted callers' day totals of the five reports (<see cref="ReportTotals.ForScope"/>), one set per scope, for the
/// last Analytics:RestrictedTotalsScopes scopes asked (none when 0): a year of a monitor's agents counted from its rooms
/// took seconds at ten million rooms, its sources added up from source_counts tens of milliseconds at a million. At most
/// 16 MB a scope (a thousand agents, 300 tags and 50 departments over two years: 8.1 MB).
/// </summary>
public sealed class ScopeTotals(Store store, StoreVersionReader versions, ILogger<ReportTotals> logger, IOptions<Hosting.AnalyticsOptions> options)
{
    private readonly ConcurrentLru<string, ReportTotals>? _totals =
        options.Value.RestrictedTotalsScopes > 0 ? new(options.Value.RestrictedTotalsScopes) : null; // 3 at least: one per queue of the cache

    /// <summary>The day totals of a scope's rooms; null when none are kept.</summary>
    public ReportTotals? For(RoomScope scope) =>
        _totals?.GetOrAdd(scope.Key!, static (_, a) => ReportTotals.ForScope(a.store, a.versions, a.logger, a.scope), (store, versions, logger, scope));
}
