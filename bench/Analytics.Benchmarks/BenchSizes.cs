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
}
