using Analytics.V1;
using AnalyticsService.Reports;
using AnalyticsService.Storage;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;

namespace Analytics.Benchmarks;

/// <summary>
/// Where a by-agent or by-department call's time goes once the counts come from memory: counting alone (the baseline),
/// the whole answer (labels, sort, protobuf message), the answer written as JSON by Google.Protobuf's formatter (how a
/// message's fields are read through reflection, as transcoding reads them) and by the service's own AnswerJsonWriter.
/// A one-day range from 09:30 UTC.
/// </summary>
[MemoryDiagnoser]
public class AnswerBenchmarks
{
    [ParamsSource(nameof(RoomCounts))]
    public int Rooms { get; set; }

    public static IEnumerable<int> RoomCounts => BenchSizes.Rooms;

    [Params(ReportDimension.Agent, ReportDimension.Department)]
    public ReportDimension Report { get; set; }

    private ReportCounts _counts = null!;
    private ConversationsByAgentReport _agents = null!;
    private ConversationsByDepartmentReport _departments = null!;
    private readonly DateTimeOffset _start = DateTimeOffset.Parse("2026-06-15T09:30:00Z");
    private DateTimeOffset End => _start.AddDays(1);

    [GlobalSetup]
    public void Setup()
    {
        var (store, versions, totals) = BenchStores.OpenLoaded(Rooms);
        var query = new ReportQuery(store);
        _counts = new ReportCounts(store, versions, totals, new EdgeHours(store, versions), BenchStores.ScopeTotals(store, versions),
            BenchStores.ScopeEdgeDays(store, versions));
        var labels = new ReportLabels(query, versions);
        _agents = new ConversationsByAgentReport(query, _counts, labels, store);
        _departments = new ConversationsByDepartmentReport(_counts, labels);
        Answer().GetAwaiter().GetResult(); // labels and edge hours held, as after a service's first call
    }

    [Benchmark(Baseline = true)]
    public async Task<int> CountsAlone() => (await _counts.CountAsync(Report, _start, End, CancellationToken.None)).Count;

    [Benchmark]
    public async Task<IMessage> Answer() => Report == ReportDimension.Agent
        ? await _agents.AnswerAsync(_start, End, RoomScope.All, ConversationsByAgentReport.DefaultSort, CancellationToken.None)
        : await _departments.AnswerAsync(_start, End, RoomScope.All, ConversationsByDepartmentReport.DefaultSort, CancellationToken.None);

    [Benchmark]
    public async Task<int> AnswerAsJson() => JsonFormatter.Default.Format(await Answer()).Length;

    private readonly System.Buffers.ArrayBufferWriter<byte> _json = new();

    [Benchmark]
    public async Task<int> AnswerWrittenByTheService()
    {
        _json.ResetWrittenCount();
        using var writer = new System.Text.Json.Utf8JsonWriter(_json);
        AnalyticsService.Api.AnswerJsonWriter.TryWrite(writer, await Answer());
        writer.Flush();
        return _json.WrittenCount;
    }
}
