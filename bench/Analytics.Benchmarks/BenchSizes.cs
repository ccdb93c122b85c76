using AnalyticsService.Storage;
using Microsoft.Data.Sqlite;

namespace Analytics.Benchmarks;

/// <summary>The store sizes the benchmarks run at: 1M and 10M rooms, or those ANALYTICS_BENCH_ROOMS lists (comma-separated).</summary>
public static class BenchSizes
{
    public static IEnumerable<int> Rooms =>
        (Environment.GetEnvironmentVariable("ANALYTICS_BENCH_ROOMS") ?? "1000000,10000000").Split(',').Select(int.Parse);
}

/// <summary>The stores bench/data.sh makes, opened read-only.</summary>
public static class BenchStores
{
    public static Store Open(int rooms)
    {
        var cache = Environment.GetEnvironmentVariable("ANALYTICS_BENCH_CACHE")
            ?? throw new InvalidOperationException("ANALYTICS_BENCH_CACHE must name bench/.cache (bench/benchmarks sets it).");
        var path = Path.Combine(cache, $"analytics-{rooms}-v2.db");
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} is missing: run bench/data.sh {rooms}");
        return new Store(SqliteFactory.Instance, new SqliteDialect(), new($"Data Source={path};Mode=ReadOnly"), 600);
    }

    /// <summary>A store with its version reader and its totals loaded, as the service holds them once started.</summary>
    public static (Store Store, StoreVersionReader Versions, AnalyticsService.Reports.ReportTotals Totals) OpenLoaded(int rooms)
    {
        var store = Open(rooms);
        var versions = new StoreVersionReader(store);
        var totals = new AnalyticsService.Reports.ReportTotals(store, versions,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AnalyticsService.Reports.ReportTotals>.Instance);
        totals.LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
        return (store, versions, totals);
    }

    public static AnalyticsService.Reports.ScopeTotals ScopeTotals(Store store, StoreVersionReader versions) =>
        new(store, versions, Microsoft.Extensions.Logging.Abstractions.NullLogger<AnalyticsService.Reports.ReportTotals>.Instance,
            Microsoft.Extensions.Options.Options.Create(new AnalyticsService.Hosting.AnalyticsOptions()));

    public static AnalyticsService.Reports.ScopeEdgeDays ScopeEdgeDays(Store store, StoreVersionReader versions) =>
        new(store, versions, Microsoft.Extensions.Options.Options.Create(new AnalyticsService.Hosting.AnalyticsOptions()));
}
