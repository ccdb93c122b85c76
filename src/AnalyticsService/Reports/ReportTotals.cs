using System.Numerics;
using AnalyticsService.Storage;
using Dapper;

namespace AnalyticsService.Reports;

/// <summary>
/// report_counts held in memory as running totals per key and day, and report_counts_hourly as counts per key and hour,
/// for one store version, with the status counts' days and hours (<see cref="StatusTotals"/>): a range's whole days
/// then cost two subtractions per key, whatever their number (summing a year of cells in SQL took 257 ms for 1,000
/// agents at a million rooms), and its whole hours at most 46 additions per key
/// (reading a day of per-agent hourly cells took 13 ms at ten million rooms). When the store's version moves on, the
/// totals are loaded again in the background, once (the days first, which serve at once, then the hours), and calls read
/// the tables meanwhile; so an answer never comes from totals older than the store. The service starts the first load
/// at start-up (ReportTotalsLoader).
/// </summary>
public sealed class ReportTotals(Store store, StoreVersionReader versions, ILogger<ReportTotals> logger)
{
    private volatile Snapshot? _current;
    private Task? _loading;
    private readonly Lock _lock = new();
    private const long MaxEntries = 8_000_000; // 64 MB of running totals
    private const long MaxHourEntries = 48_000_000; // 96 MB of hourly counts

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

    /// <summary>
    /// Loads the totals at the store's current version (the background load, and what tests and benchmarks await); the
    /// days alone when <paramref name="withHours"/> is false (tests of the path that reads the hours from the store).
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken, bool withHours = true)
    {
        try
        {
            var before = await versions.ReadAsync(cancellationToken);
            if (_current is { } current && current.Version == before && current.HasHours == withHours)
                return;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var builder = new Snapshot.Builder();
            await ReadAsync(store.Dialect.ReportDayCells, builder.Add, cancellationToken);
            if (builder.Entries > MaxEntries)
            {
                // Days spread over decades (a stray ts) would make the dense totals too large: report_counts serves instead.
                logger.LogWarning("The report day totals would take {Entries} entries; report_counts answers instead.", builder.Entries);
                return;
            }
            var status = StatusTotals.Of(await ListAsync(store.Dialect.StatusDayCells, cancellationToken),
                await ListAsync(store.Dialect.StatusHourCells, cancellationToken));
            var days = builder.Build(before, status);
            // Read committed: a commit during the reads shows as a new version, and these rows may mix two states.
            if (await versions.ReadAsync(cancellationToken) != before)
                return;
            _current = days; // the days serve at once; the hours (many more rows) follow
            if (!withHours || builder.Entries * 24 > MaxHourEntries)
            {
                Loaded(days, started);
                return;
            }
            var hours = days.WithHours();
            await ReadAsync(store.Dialect.ReportHourCells, hours.AddHour, cancellationToken);
            if (await versions.ReadAsync(cancellationToken) == before)
            {
                _current = hours;
                Loaded(hours, started);
            }
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex))
        {
            logger.LogWarning("The report day totals could not be loaded: {ExceptionType}: {Message}", ex.GetType().Name, ex.Message);
        }
    }

    // What the operator (and bench/run, which waits for it) sees: from here on, answers come from memory.
    private void Loaded(Snapshot totals, long started) =>
        logger.LogInformation("Report totals loaded at store version {Version} in {Seconds:F1} s, {What}.", totals.Version,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, totals.HasHours ? "days and hours" : "days only");

    // Row by row: only what each row adds is kept, never the rows (ten million rooms make about 10 million hourly cells).
    private Task ReadAsync(SqlStatement<NoParameters> cells, Action<ReportCellRow> add, CancellationToken cancellationToken) =>
        store.QueryAsync(forReports: true, async connection =>
        {
            await foreach (var row in connection.QueryUnbufferedAsync<ReportCellRow>(cells.Text, commandTimeout: store.CommandTimeoutSeconds)
                               .WithCancellation(cancellationToken))
                add(row);
            return 0;
        }, cancellationToken);

    private Task<List<StatusCellRow>> ListAsync(SqlStatement<NoParameters> cells, CancellationToken cancellationToken) =>
        store.QueryAsync(forReports: true, async connection => (await connection.QueryAsync<StatusCellRow>(
            new CommandDefinition(cells.Text, commandTimeout: store.CommandTimeoutSeconds, cancellationToken: cancellationToken))).AsList(), cancellationToken);

    /// <summary>Per report: its keys, and for each key the running total of its rooms before each day of the span loaded.</summary>
    public sealed class Snapshot
    {
        private readonly Dictionary<ReportDimension, Totals> _reports;

        private Snapshot(long version, Dictionary<ReportDimension, Totals> reports, StatusTotals? status) =>
            (Version, _reports, Status) = (version, reports, status);

        public long Version { get; }

        /// <summary>The status counts' days and hours (null when their span is too long to hold).</summary>
        public StatusTotals? Status { get; }

        /// <summary>Whether the hours are held too (after the days, unless the days' span makes them too many).</summary>
        public bool HasHours => _reports.Count == 0 ? _withHours : _reports.Values.All(t => t.Hours is not null);

        private bool _withHours;

        /// <summary>The same days, with room for the hours, which <see cref="AddHour"/> then fills.</summary>
        public Snapshot WithHours() => new(Version, _reports.ToDictionary(r => r.Key,
            r => r.Value with { Hours = new ushort[r.Value.Keys.Length * r.Value.DayCount * 24L] }), Status) { _withHours = true };

        /// <summary>An hourly cell (its hour in Day) while loading; one whose count does not fit drops that report's hours.</summary>
        public void AddHour(ReportCellRow row)
        {
            if (!_reports.TryGetValue((ReportDimension)row.Report, out var totals) || totals.Hours is not { } hours)
                return;
            var hour = row.Day - totals.FirstDay * 24;
            if (!totals.Index.TryGetValue(row.Key, out var key) || hour < 0 || hour >= totals.DayCount * 24L || row.Total is < 0 or > ushort.MaxValue)
            {
                _reports[(ReportDimension)row.Report] = totals with { Hours = null }; // that report's whole hours come from the store
                return;
            }
            hours[hour * totals.Keys.Length + key] = (ushort)row.Total;
        }

        /// <summary>How many keys a report has here: about as many as its answer's cells (an answer's dictionary is made that large).</summary>
        public int KeyCount(ReportDimension report) => _reports.TryGetValue(report, out var totals) ? totals.Keys.Length : 0;

        /// <summary>Whether a report's whole hours can be added up here.</summary>
        public bool HoldsHours(ReportDimension report) => _reports.TryGetValue(report, out var totals) ? totals.Hours is not null : HasHours;

        /// <summary>Adds each key's rooms of a range's whole days, and of its whole hours when they are held, to the cells.</summary>
        public void AddWhole(ReportDimension report, RangeSplit split, Dictionary<ReportKey, long> cells)
        {
            if (!_reports.TryGetValue(report, out var totals))
                return;
            var rooms = new long[totals.Keys.Length];
            var stride = totals.DayCount + 1;
            var (fromDay, toDay) = ((int)Math.Clamp(split.FirstDay - totals.FirstDay, 0, totals.DayCount),
                (int)Math.Clamp(split.EndDay - totals.FirstDay, 0, totals.DayCount));
            if (fromDay < toDay)
            {
                for (var k = 0; k < rooms.Length; k++)
                    rooms[k] = totals.Running[k * stride + toDay] - totals.Running[k * stride + fromDay];
            }
            if (totals.Hours is { } hours)
            {
                var sums = new uint[rooms.Length]; // both edges' whole hours: at most 46 hours of 16-bit counts, no overflow
                AddHours(totals, hours, split.FirstHour, split.HeadHourEnd, sums);
                AddHours(totals, hours, split.TailHourStart, split.EndHour, sums);
                for (var k = 0; k < rooms.Length; k++)
                    rooms[k] += sums[k];
            }
            for (var k = 0; k < rooms.Length; k++)
            {
                if (rooms[k] != 0)
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(cells, totals.Keys[k], out _) += rooms[k];
            }
        }

        // Hour by hour, each hour's keys side by side: a day's hours of a thousand agents are 46 KB read in order (key by
        // key, they were a thousand reads 35 KB apart, each a cache miss, at ten million rooms), added a vector at a time
        // into 32-bit sums.
        private static void AddHours(Totals totals, ushort[] hours, long firstHour, long endHour, uint[] sums)
        {
            var span = totals.DayCount * 24L;
            var (from, to) = (Math.Clamp(firstHour - totals.FirstDay * 24, 0, span), Math.Clamp(endHour - totals.FirstDay * 24, 0, span));
            for (var hour = from; hour < to; hour++)
                AddWidened(hours.AsSpan((int)(hour * sums.Length), sums.Length), sums);
        }

        private static void AddWidened(ReadOnlySpan<ushort> counts, Span<uint> sums)
        {
            var k = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var (wide, half) = (Vector<ushort>.Count, Vector<uint>.Count);
                for (; k <= counts.Length - wide; k += wide)
                {
                    Vector.Widen(new Vector<ushort>(counts[k..]), out var low, out var high);
                    (new Vector<uint>(sums[k..]) + low).CopyTo(sums[k..]);
                    (new Vector<uint>(sums[(k + half)..]) + high).CopyTo(sums[(k + half)..]);
                }
            }
            for (; k < counts.Length; k++)
                sums[k] += counts[k];
        }

        private sealed record Totals(ReportKey[] Keys, Dictionary<ReportKey, int> Index, long FirstDay, int DayCount, long[] Running, ushort[]? Hours);

        /// <summary>Takes report_counts' rows one at a time: each key once, each cell as three numbers.</summary>
        public sealed class Builder
        {
            private readonly Dictionary<ReportDimension, (Dictionary<ReportKey, int> Keys, List<(int Key, long Day, long Total)> Cells)> _reports = [];

            public void Add(ReportCellRow row)
            {
                var report = (ReportDimension)row.Report;
                if (!_reports.TryGetValue(report, out var cells))
                    _reports[report] = cells = ([], []);
                var key = row.Key;
                if (!cells.Keys.TryGetValue(key, out var index))
                    cells.Keys[key] = index = cells.Keys.Count;
                cells.Cells.Add((index, row.Day, row.Total));
            }

            /// <summary>How many running totals the rows make: per report, keys times days spanned.</summary>
            public long Entries => _reports.Values.Sum(r => (long)r.Keys.Count * (r.Cells.Max(c => c.Day) - r.Cells.Min(c => c.Day) + 2));

            public Snapshot Build(long version, StatusTotals? status)
            {
                var reports = new Dictionary<ReportDimension, Totals>();
                foreach (var (report, (keys, cells)) in _reports)
                {
                    var firstDay = cells.Min(c => c.Day);
                    var dayCount = checked((int)(cells.Max(c => c.Day) - firstDay + 1));
                    var stride = dayCount + 1;
                    var running = new long[keys.Count * stride];
                    foreach (var (key, day, total) in cells)
                        running[key * stride + (int)(day - firstDay) + 1] += total;
                    for (var k = 0; k < keys.Count; k++)
                    {
                        var row = running.AsSpan(k * stride, stride);
                        for (var d = 1; d < row.Length; d++)
                            row[d] += row[d - 1];
                    }
                    var ordered = new ReportKey[keys.Count];
                    foreach (var (key, index) in keys)
                        ordered[index] = key;
                    reports[report] = new Totals(ordered, keys, firstDay, dayCount, running, null);
                }
                return new Snapshot(version, reports, status);
            }
        }
    }
}

/// <summary>Starts loading the report totals when the service starts, so the first calls do not wait for them to be read.</summary>
public sealed class ReportTotalsLoader(ReportTotals totals) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => totals.LoadAsync(stoppingToken);
}
