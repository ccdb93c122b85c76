using AnalyticsService.Storage;
using Dapper;

namespace AnalyticsService.Reports;

/// <summary>
/// report_counts held in memory as running totals per key and day, for one store version: a range's whole days then cost
/// two subtractions per key, whatever their number (summing a year of cells in SQL took 257 ms for 1,000 agents at a
/// million rooms). When the store's version moves on, the totals are loaded again in the background, once, and calls
/// read report_counts meanwhile; so an answer never comes from totals older than the store.
/// </summary>
public sealed class ReportDayTotals(Store store, StoreVersionReader versions, ILogger<ReportDayTotals> logger)
{
    private volatile Snapshot? _current;
    private Task? _loading;
    private readonly Lock _lock = new();
    private const long MaxEntries = 8_000_000; // 64 MB of running totals

    /// <summary>The totals at this version, or null (and a load started) when they are not loaded at it.</summary>
    public Snapshot? At(long version)
    {
        var current = _current;
        if (current?.Version == version)
            return current;
        lock (_lock)
        {
            if (_loading is null || _loading.IsCompleted)
                _loading = Task.Run(() => LoadAsync(CancellationToken.None));
        }
        return null;
    }

    /// <summary>Loads the totals at the store's current version (the background load, and what tests and benchmarks await).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var before = await versions.ReadAsync(cancellationToken);
            if (_current?.Version == before)
                return;
            var rows = await store.QueryAsync(forReports: true, async connection => (await connection.QueryAsync<ReportCellRow>(
                store.Command(store.Dialect.ReportDayCells, cancellationToken: cancellationToken))).AsList(), cancellationToken);
            // Read committed: a commit during the read shows as a new version, and these rows may mix two states.
            if (await versions.ReadAsync(cancellationToken) != before)
                return;
            if (Snapshot.Entries(rows) > MaxEntries)
            {
                // Days spread over decades (a stray ts) would make the dense totals too large: report_counts serves instead.
                logger.LogWarning("The report day totals would take {Entries} entries; report_counts answers instead.", Snapshot.Entries(rows));
                return;
            }
            _current = new Snapshot(before, rows);
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex))
        {
            logger.LogWarning("The report day totals could not be loaded: {ExceptionType}: {Message}", ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>Per report: its keys, and for each key the running total of its rooms before each day of the span loaded.</summary>
    public sealed class Snapshot
    {
        private readonly Dictionary<ReportDimension, Totals> _reports = [];

        public Snapshot(long version, List<ReportCellRow> rows)
        {
            Version = version;
            foreach (var group in rows.GroupBy(r => (ReportDimension)r.Report))
            {
                var cells = group.ToList();
                var firstDay = cells.Min(c => c.Day);
                var dayCount = checked((int)(cells.Max(c => c.Day) - firstDay + 1));
                var keys = cells.Select(c => c.Key).Distinct().ToList();
                var index = keys.Select((key, i) => (key, i)).ToDictionary(k => k.key, k => k.i);
                var running = new long[keys.Count * (dayCount + 1)];
                foreach (var cell in cells)
                    running[index[cell.Key] * (dayCount + 1) + (int)(cell.Day - firstDay) + 1] += cell.Total;
                for (var k = 0; k < keys.Count; k++)
                {
                    var row = running.AsSpan(k * (dayCount + 1), dayCount + 1);
                    for (var d = 1; d < row.Length; d++)
                        row[d] += row[d - 1];
                }
                _reports[group.Key] = new Totals(keys.ToArray(), firstDay, dayCount, running);
            }
        }

        public long Version { get; }

        /// <summary>How many running totals the rows make: per report, keys times days spanned.</summary>
        public static long Entries(List<ReportCellRow> rows) => rows.GroupBy(r => r.Report)
            .Sum(g => (long)g.Select(c => c.Key).Distinct().Count() * (g.Max(c => c.Day) - g.Min(c => c.Day) + 2));

        /// <summary>Adds each key's rooms of the days [firstDay, endDay) to the cells.</summary>
        public void AddDays(ReportDimension report, long firstDay, long endDay, Dictionary<ReportKey, long> cells)
        {
            if (!_reports.TryGetValue(report, out var totals))
                return;
            var stride = totals.DayCount + 1;
            var from = (int)Math.Clamp(firstDay - totals.FirstDay, 0, totals.DayCount);
            var to = (int)Math.Clamp(endDay - totals.FirstDay, 0, totals.DayCount);
            if (from >= to)
                return;
            for (var k = 0; k < totals.Keys.Length; k++)
            {
                var rooms = totals.Running[k * stride + to] - totals.Running[k * stride + from];
                if (rooms != 0)
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(cells, totals.Keys[k], out _) += rooms;
            }
        }

        private sealed record Totals(ReportKey[] Keys, long FirstDay, int DayCount, long[] Running);
    }
}
