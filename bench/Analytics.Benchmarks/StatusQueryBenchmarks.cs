using AnalyticsService.Storage;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>
/// The status query on the counts design (whole days from room_counts, the whole hours around them from
/// room_counts_hourly, the partial hours at the edges from rooms) against a plain scan of
/// every room in the range, on the stores bench/data.sh makes (rooms over two years ending 2026-11-01).
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
        var store = BenchStores.Open(Rooms);
        _counts = new ConversationCounts(store, new StoreVersionReader(store));
        _start = DateTimeOffset.Parse(Range == "one year" ? "2025-06-15T09:30:00Z" : "2026-06-15T09:30:00Z");
        _end = Range == "one year" ? _start.AddYears(1) : _start.AddDays(1);
    }

    [Benchmark(Baseline = true)]
    public Task<StatusCounts> PlainScan() => _counts.ScanByStatusAsync(_start, _end, RoomScope.All, CancellationToken.None);

    [Benchmark]
    public Task<StatusCounts> HourAndDayCounts() => _counts.ComputeByStatusAsync(_start, _end, RoomScope.All, CancellationToken.None);
}
