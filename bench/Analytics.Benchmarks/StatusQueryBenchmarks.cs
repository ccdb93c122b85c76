using AnalyticsService.Reports;
using AnalyticsService.Storage;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>
/// The status query on the counts design against a plain scan of every room in the range (the baseline), on the stores
/// bench/data.sh makes (rooms over two years ending 2026-11-01): read from the store (whole days from room_counts_all,
/// the whole hours around them from room_counts_all_hourly, the partial hours from rooms), and from memory as a caller
/// who sees every room is answered once the totals are loaded (StatusTotals, and the edge hours held after the first call).
/// </summary>
[MemoryDiagnoser]
public class StatusQueryBenchmarks
{
    [ParamsSource(nameof(RoomCounts))]
    public int Rooms { get; set; }

    /// <summary>1M and 10M, or the sizes ANALYTICS_BENCH_ROOMS lists ("1000000" for a quick run).</summary>
    public static IEnumerable<int> RoomCounts => BenchSizes.Rooms;

    [Params("one year", "one day")]
    public string Range { get; set; } = "";

    private ConversationCounts _counts = null!;
    private DateTimeOffset _start;
    private DateTimeOffset _end;

    [GlobalSetup]
    public void Setup()
    {
        var (store, versions, totals) = BenchStores.OpenLoaded(Rooms);
        _counts = new ConversationCounts(store, totals, new EdgeHours(store, versions), BenchStores.ScopeTotals(store, versions),
            BenchStores.ScopeEdgeDays(store, versions));
        _start = DateTimeOffset.Parse(Range == "one year" ? "2025-06-15T09:30:00Z" : "2026-06-15T09:30:00Z");
        _end = Range == "one year" ? _start.AddYears(1) : _start.AddDays(1);
    }

    [Benchmark(Baseline = true)]
    public Task<StatusCounts> PlainScan() => _counts.ScanByStatusAsync(_start, _end, RoomScope.All, CancellationToken.None);

    [Benchmark]
    public Task<StatusCounts> CountsFromStore() => _counts.CountFromStoreAsync(_start, _end, RoomScope.All, CancellationToken.None);

    [Benchmark]
    public Task<StatusCounts> CountsInMemory() => _counts.CountByStatusAsync(_start, _end, RoomScope.All, CancellationToken.None);
}
