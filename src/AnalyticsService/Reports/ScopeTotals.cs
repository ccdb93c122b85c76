using AnalyticsService.Storage;
using BitFaster.Caching.Lru;

namespace AnalyticsService.Reports;

/// <summary>
/// Restricted callers' day totals of tags and agents (<see cref="ReportTotals.ForScope"/>), one per scope and report, for
/// the last <see cref="Capacity"/> asked: a year of a monitor's agents counted from its rooms took seconds at ten million
/// rooms. At most 12 MB each: a thousand agents over two years take 5.9 MB, 300 tags 1.8 MB, so eight scopes' tags and
/// agents some 62 MB at most.
/// </summary>
public sealed class ScopeTotals(Store store, StoreVersionReader versions, ILogger<ReportTotals> logger)
{
    public const int Capacity = 16;

    private readonly ConcurrentLru<(string Scope, ReportDimension Report), ReportTotals> _totals = new(Capacity);

    public ReportTotals For(RoomScope scope, ReportDimension report) =>
        _totals.GetOrAdd((scope.Key!, report), static (key, a) => ReportTotals.ForScope(a.store, a.versions, a.logger, a.scope, key.Report),
            (store, versions, logger, scope));
}
