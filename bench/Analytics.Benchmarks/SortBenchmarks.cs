using AnalyticsService.Reports;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>
/// Sorting a thousand agents' rows as the by-agent report does: each comparison reading the rows' values and comparing
/// them with MongoOrder (how ReportSort.Apply sorted before, the baseline) against ReportSort.Apply as it is.
/// </summary>
[MemoryDiagnoser]
public class SortBenchmarks
{
    public sealed record AgentRow(string Id, string Label, long Total);

    [Params("""{"name":1}""", """{"total":-1}""")]
    public string Sort { get; set; } = "";

    private List<AgentRow> _rows = [];
    private ReportSort _sort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _rows = Enumerable.Range(1, 1000).Select(i => new AgentRow($"agent-{i:x8}", $"Agent {random.Next(1000)} of the support team", random.Next(1, 60))).ToList();
        _sort = ReportSort.Parse(Sort, ReportSort.ByNameAscending);
        Apply(); // the labels' ranks are kept from one call to the next, as in the service
    }

    [Benchmark(Baseline = true)]
    public List<AgentRow> CompareEachTime()
    {
        var list = _rows.ToList();
        list.Sort((a, b) =>
        {
            foreach (var (key, direction) in _sort.Keys)
            {
                var order = Compare(Value(a, key), Value(b, key));
                if (order != 0)
                    return order * direction;
            }
            var byLabel = Compare(a.Label, b.Label);
            return byLabel != 0 ? byLabel : Compare(a.Id, b.Id);
        });
        return list;
    }

    [Benchmark]
    public List<AgentRow> Apply() => _sort.Apply(_rows, Value, r => r.Label, r => r.Id);

    // MongoDB's order of the values, compared as the old ReportSort.Apply compared them at each comparison.
    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (long x, long y) => x.CompareTo(y),
        (long, string) => -1,
        (string, long) => 1,
        (string x, string y) => MongoOrder.CompareUtf8(x, y),
        _ => 0,
    };

    private static object? Value(AgentRow row, string key) => key switch { "total" => row.Total, "name" => row.Label, "_id" => row.Id, _ => null };
}
