namespace Analytics.Benchmarks;

/// <summary>The store sizes the benchmarks run at: 1M and 10M rooms, or those ANALYTICS_BENCH_ROOMS lists (comma-separated).</summary>
public static class BenchSizes
{
    public static IEnumerable<int> Rooms =>
        (Environment.GetEnvironmentVariable("ANALYTICS_BENCH_ROOMS") ?? "1000000,10000000").Split(',').Select(int.Parse);
}
