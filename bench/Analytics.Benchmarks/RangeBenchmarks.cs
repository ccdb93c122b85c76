using AnalyticsService.Dates;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>
/// Reading a report's range as each call does (ReportRange.Parse: moment's formats, the zone, the one-year check), with a
/// new start each time as a dashboard's "up to now" ranges come, in UTC and in a zone with summer time.
/// </summary>
[MemoryDiagnoser]
public class RangeBenchmarks
{
    [Params("UTC", "Europe/Berlin")]
    public string Zone { get; set; } = "";

    private ServerTimeZone _zone = null!;
    private string[] _starts = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _zone = new ServerTimeZone(ServerTimeZone.Find(Zone)!);
        // A new start each call, as a dashboard's "up to now" ranges come.
        _starts = Enumerable.Range(0, 65536).Select(n => $"2026-06-15T09:{n / 60000 % 60:00}:{n / 1000 % 60:00}.{n % 1000:000}Z").ToArray();
    }

    [Benchmark]
    public ReportRange NewRange() => ReportRange.Parse(_starts[_next++ & 65535], "2026-06-16T09:30:00.000Z", _zone);

    [Benchmark(Baseline = true)]
    public ReportRange SameRange() => ReportRange.Parse("2026-06-15T09:00:00.000Z", "2026-06-16T09:30:00.000Z", _zone);
}
