using Dapper;
using AnalyticsService.Reports;
using AnalyticsService.Storage;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>
/// The other four reports for a caller who sees every room: a plain count of the rooms in the range (what they did
/// before migration 8) against the report cells read from the store alone, and against the cells from memory (the day
/// and hour totals, and the edge hours held after the first call: what a call does once the totals are loaded). The
/// stores of bench/data.sh.
/// </summary>
[MemoryDiagnoser]
public class ReportQueryBenchmarks
{
    [ParamsSource(nameof(RoomCounts))]
    public int Rooms { get; set; }

    /// <summary>1M and 10M, or the sizes ANALYTICS_BENCH_ROOMS lists ("1000000" for a quick run).</summary>
    public static IEnumerable<int> RoomCounts => BenchSizes.Rooms;

    [Params(ReportDimension.Source, ReportDimension.Department, ReportDimension.Tags, ReportDimension.Agent)]
    public ReportDimension Report { get; set; }

    [Params("one year", "one day")]
    public string Range { get; set; } = "";

    private Store _store = null!;
    private ReportQuery _query = null!;
    private ReportCounts _counts = null!;
    private DateTimeOffset _start;
    private DateTimeOffset _end;

    [GlobalSetup]
    public void Setup()
    {
        (_store, var versions, var totals) = BenchStores.OpenLoaded(Rooms);
        _query = new ReportQuery(_store);
        _counts = new ReportCounts(_store, versions, totals, new EdgeHours(_store, versions), BenchStores.ScopeTotals(_store, versions),
            BenchStores.ScopeEdgeDays(_store, versions));
        _start = DateTimeOffset.Parse(Range == "one year" ? "2025-06-15T09:30:00Z" : "2026-06-15T09:30:00Z");
        _end = Range == "one year" ? _start.AddYears(1) : _start.AddDays(1);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> PlainCount()
    {
        var sql = _store.Dialect;
        return Report switch
        {
            ReportDimension.Source => await RoomsCountedAsync<SourceCountRow>(sql.CountBySource),
            ReportDimension.Department => await RoomsCountedAsync<LabelCountRow>(sql.CountByDepartment),
            ReportDimension.Tags => (await _query.RunAsync<LabelCountRow>(sql.CountByTags, sql.CountByTagsRestricted, _start, _end, RoomScope.All, CancellationToken.None)).Count,
            _ => (await _query.RunAsync<AgentCountRow>(sql.CountByAgent, sql.CountByAgentRestricted, _start, _end, RoomScope.All, CancellationToken.None)).Count,
        };
    }

    // A report's rows counted from its range's rooms (the statements only the benchmarks use now).
    private async Task<int> RoomsCountedAsync<TRow>(SqlStatement<RangeParameters> statement) =>
        (await _store.QueryAsync(forReports: true, connection => connection.QueryAsync<TRow>(_store.Command(statement,
            new RangeParameters(_store.Dialect.Instant(_start), _store.Dialect.Instant(_end)))), CancellationToken.None)).Count();

    [Benchmark]
    public async Task<int> CellsFromStore() => (await _counts.CountFromStoreAsync(Report, _start, _end, CancellationToken.None)).Count;

    [Benchmark]
    public async Task<int> CellsInMemory() => (await _counts.CountAsync(Report, _start, _end, CancellationToken.None)).Count;
}
