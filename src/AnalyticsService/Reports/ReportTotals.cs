using System.Numerics;
using AnalyticsService.Storage;
using Dapper;

namespace AnalyticsService.Reports;

/// <summary>What a load of the report totals did.</summary>
public enum TotalsLoad
{
    /// <summary>The totals were already at the store's version.</summary>
    Current,
    /// <summary>Every cell was read.</summary>
    Full,
    /// <summary>Only the cells of the days the writes since the totals' version changed were read.</summary>
    ChangedDays,
    /// <summary>Not loaded: the store failed, or kept changing faster than it could be followed; a later call tries again.</summary>
    NotLoaded,
}

/// <summary>
/// report_counts held in memory as running totals per key and day, and report_counts_hourly as counts per key and hour,
/// for one store version, with the status counts' days and hours (<see cref="StatusTotals"/>): a range's whole days
/// then cost two subtractions per key, whatever their number (summing a year of cells in SQL took 257 ms for 1,000
/// agents at a million rooms), and its whole hours at most 46 additions per key
/// (reading a day of per-agent hourly cells took 13 ms at ten million rooms). The service starts the first load at
/// start-up (ReportTotalsLoader), which reads every cell (the days first, which serve at once, then the hours); when the
/// store's version moves on, the next call starts a load in the background that reads again only the days the writes
/// since changed (count_change_days, migration 12), and calls wait for it (<see cref="AttemptsAsync"/>): an answer never
/// comes from totals older than the store. Each load ends with the same step: the days changed while it read are read again,
/// until a pass sees the version stand still, so reads that saw a mix of two states end in the newer one. The same
/// machinery holds a restricted caller's day totals of the five reports (<see cref="ForScope"/>), counted from its rooms.
/// </summary>
public sealed class ReportTotals(Store store, StoreVersionReader versions, ILogger<ReportTotals> logger, Hosting.AnalyticsMetrics? metrics = null)
{
    /// <summary>
    /// The day totals of the rooms a restricted caller sees, the status counts' and the four reports' (no hours): no table
    /// keeps the reports' cells per scope, so each day with rooms is counted from them (a day at ten million rooms over two
    /// years: some 14,000 rooms), when the totals are first loaded and again for each day a write changes.
    /// </summary>
    public static ReportTotals ForScope(Store store, StoreVersionReader versions, ILogger<ReportTotals> logger, RoomScope scope) =>
        scope.IsRestricted ? new(store, versions, logger) { Scope = scope } : throw new ArgumentException("Not a restricted scope.", nameof(scope));

    // The scope whose rooms these totals count; null: every room, from the count tables, with hours and status counts.
    private RoomScope? Scope { get; init; }

    private volatile Snapshot? _current;
    private Task<TotalsLoad>? _loading;
    private readonly Lock _lock = new();
    private const long MaxEntries = 8_000_000; // 64 MB of running totals
    private const long MaxScopeEntries = 2_000_000; // 16 MB for a scope's reports (1,000 agents, 300 tags, 50 departments over two years: 8.1 MB)
    private const long MaxHourEntries = 48_000_000; // 48 MB of hourly counts

    // The most running totals a report's days may take here: a scope's are bounded tighter, as there may be several.
    private long MaxDayEntries => Scope is null ? MaxEntries : MaxScopeEntries;

    // Beyond this many changed days (a first import into a store the service follows), every cell is read again.
    private const int MaxChangedDays = 62;

    // Passes of reading changed days before a load gives up on a store that changes faster than that (the next call retries).
    private const int MaxCatchUpPasses = 8;

    // How long a call waits for the totals to catch up with a version (reading the days a commit changed takes tens of
    // milliseconds; a by-agent year from the tables, hundreds, on the same cores as the catching up).
    private static readonly TimeSpan MaxCatchUpWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many times a call tries to make its answer from memory when a commit lands while it does (a store written every
    /// second: the next attempt, at the version then, waits for these totals to catch up with it), before the tables
    /// answer it (adding up a year of agents there costs hundreds of milliseconds, on the cores the catching up needs).
    /// </summary>
    public const int MemoryAttempts = 3;

    /// <summary>
    /// The totals at the store's version, read anew for each attempt (at most <see cref="MemoryAttempts"/>): a call makes
    /// its answer from the first one that still holds when it is done, else from the tables. None while no totals with
    /// their hours are held (the first load reads every cell): then a version the totals do not hold ends the attempts.
    /// </summary>
    public async IAsyncEnumerable<Snapshot> AttemptsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MemoryAttempts; attempt++)
        {
            if (await AtAsync(await versions.ReadAsync(cancellationToken), cancellationToken) is { } held)
                yield return held;
            else if (!Complete(_current))
                yield break; // nothing to wait for; otherwise the store moved on while they caught up: again at its version now
        }
    }

    /// <summary>
    /// An answer made from the totals at the store's version by <paramref name="make"/>, which reads from the store what
    /// memory does not hold: kept only if the version has not moved while it read (a commit between the reads would mix
    /// two states of the store; <paramref name="make"/> may give none for that reason too), else made again at the next
    /// attempt (<see cref="AttemptsAsync"/>). Null when no attempt holds, or when <paramref name="make"/> gives none at a
    /// version that held.
    /// </summary>
    public async Task<T?> AnswerAsync<T>(Func<Snapshot, Task<T?>> make, CancellationToken cancellationToken) where T : class
    {
        await foreach (var held in AttemptsAsync(cancellationToken))
        {
            var made = await make(held);
            if (await versions.ReadAsync(cancellationToken) == held.Version)
                return made;
        }
        return null;
    }

    /// <summary>The totals at this version, or null (and a load started) when they are not loaded at it.</summary>
    public Snapshot? At(long version)
    {
        var current = _current;
        if (current?.Version == version)
            return current;
        _ = Load();
        return null;
    }

    /// <summary>
    /// The totals at this version, waiting (up to a second) while older ones catch up with it, as they do after each commit;
    /// null at once while no totals are held (the first load reads every cell) or when they hold the days alone.
    /// </summary>
    private async ValueTask<Snapshot?> AtAsync(long version, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current?.Version == version)
            return current;
        var waiting = System.Diagnostics.Stopwatch.GetTimestamp();
        // Twice at most: a load under way may have begun before this version was committed.
        for (var attempt = 0; attempt < 2 && Complete(current) && current!.Version < version; attempt++)
        {
            var left = MaxCatchUpWait - System.Diagnostics.Stopwatch.GetElapsedTime(waiting);
            if (left <= TimeSpan.Zero)
                break;
            try
            {
                await Load().WaitAsync(left, cancellationToken);
            }
            catch (TimeoutException)
            {
                break;
            }
            current = _current;
            if (current?.Version == version)
                return current;
        }
        return At(version);
    }

    // Totals that hold all they ever will: the days and hours of every room, or a scope's days.
    private bool Complete(Snapshot? totals) => totals is not null && (totals.WithHours || Scope is not null);

    private Task Load()
    {
        lock (_lock)
        {
            if (_loading is null || _loading.IsCompleted)
                _loading = Task.Run(() => LoadAsync(CancellationToken.None));
            return _loading;
        }
    }

    /// <summary>
    /// Brings the totals to the store's current version (the background load, and what tests and benchmarks await); the
    /// days alone when <paramref name="withHours"/> is false (tests of the path that reads the hours from the store).
    /// </summary>
    public async Task<TotalsLoad> LoadAsync(CancellationToken cancellationToken, bool withHours = true)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        withHours &= Scope is null;
        try
        {
            var version = await versions.ReadAsync(cancellationToken);
            if (_base is { } from && from.WithHours == withHours && from.Version <= version)
            {
                if (from.Version == version && ReferenceEquals(from, _current))
                    return TotalsLoad.Current;
                var (caughtUp, followed) = await CatchUpAsync(from, cancellationToken);
                if (caughtUp is not null)
                    return Loaded(caughtUp, TotalsLoad.ChangedDays, started);
                if (followed)
                    return TotalsLoad.NotLoaded; // the store kept changing: the next load goes on from where this one got
            }
            return await LoadEveryCellAsync(version, withHours, started, cancellationToken);
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex))
        {
            logger.LogWarning("The report day totals could not be loaded: {ExceptionType}: {Message}", ex.GetType().Name, ex.Message);
            return TotalsLoad.NotLoaded;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Calls wait on this load: whatever went wrong, they are answered from the tables, and the next call tries again.
            logger.LogError(ex, "The report totals could not be loaded.");
            return TotalsLoad.NotLoaded;
        }
    }

    private async Task<TotalsLoad> LoadEveryCellAsync(long version, bool withHours, long started, CancellationToken cancellationToken)
    {
        var builder = new Snapshot.Builder();
        var scopeStatus = new List<StatusCellRow>();
        await ReadDaysAsync(Everything, builder.Add, scopeStatus, cancellationToken);
        if (builder.Entries > MaxDayEntries)
        {
            // Days spread over decades (a stray ts) would make the dense totals too large: report_counts serves instead.
            logger.LogWarning("The report day totals{Of} would take {Entries} entries; the store answers instead.",
                Scope is null ? "" : " of a restricted caller's scope", builder.Entries);
            return TotalsLoad.NotLoaded;
        }
        var status = Scope is not null ? StatusTotals.Of(scopeStatus, [])
            : StatusTotals.Of(await ListAsync(store.Dialect.StatusDayCells, Everything, cancellationToken),
                await ListAsync(store.Dialect.StatusHourCells, Everything, cancellationToken));
        // Read committed, and possibly while writes commit: the days those writes changed are read again.
        if ((await CatchUpAsync(builder.Build(version, status), cancellationToken)).Totals is not { } days)
            return TotalsLoad.NotLoaded;
        _current = days; // the days serve at once; the hours (many more rows) follow
        if (!withHours || builder.Entries * 24 > MaxHourEntries)
            return Loaded(days, TotalsLoad.Full, started);
        var hours = days.WithRoomForHours();
        await ReadAsync(store.Dialect.ReportHourCells, Everything, hours.AddHour, cancellationToken);
        if ((await CatchUpAsync(hours, cancellationToken)).Totals is not { } withAll)
            return TotalsLoad.NotLoaded;
        return Loaded(withAll, TotalsLoad.Full, started);
    }

    // What the next load catches up from: the totals served, or newer ones read while the store kept moving on, which are
    // not served until a pass of reading the changed days ends at the version it began with.
    private Snapshot? _base;

    /// <summary>
    /// The totals at the store's version from totals read at an older one (or while it moved on): the cells of the days
    /// changed since are read again, until a pass ends with the version where it began. Totals null and Followed true: the
    /// store changed during every pass (the next load goes on from the last). Followed false: the changed days are not all
    /// recorded (pruned, or written before migration 12), too many, or outside what the totals can take.
    /// </summary>
    private async Task<(Snapshot? Totals, bool Followed)> CatchUpAsync(Snapshot totals, CancellationToken cancellationToken)
    {
        for (var pass = 0; pass < MaxCatchUpPasses; pass++)
        {
            _base = totals;
            var version = await versions.ReadAsync(cancellationToken);
            if (version == totals.Version)
                return (totals, true);
            var changes = await store.QueryAsync(forReports: true, async connection =>
            {
                var from = await connection.ExecuteScalarAsync<long>(store.Command(store.Dialect.ChangesFrom, cancellationToken: cancellationToken));
                return from > totals.Version ? null : (await connection.QueryAsync<long>(store.Command(store.Dialect.ChangedDaysSince,
                    new SinceVersionParameters(totals.Version), cancellationToken: cancellationToken))).ToList();
            }, cancellationToken);
            if (changes is null || changes.Count > MaxChangedDays)
                return (null, false);
            var days = new SortedSet<long>(changes);
            var cells = new ChangedCells(days);
            foreach (var (from, to) in Runs(days))
            {
                await ReadDaysAsync(new(from, to), cells.ReportDays.Add, cells.StatusDays, cancellationToken);
                if (totals.WithHours)
                    await ReadAsync(store.Dialect.ReportHourCells, new(from * 24, to * 24), cells.ReportHours.Add, cancellationToken);
                if (Scope is not null)
                    continue;
                cells.StatusDays.AddRange(await ListAsync(store.Dialect.StatusDayCells, new(from, to), cancellationToken));
                cells.StatusHours.AddRange(await ListAsync(store.Dialect.StatusHourCells, new(from * 24, to * 24), cancellationToken));
            }
            if (totals.Patched(version, cells, MaxDayEntries) is not { } patched)
                return (null, false);
            totals = patched;
        }
        _base = totals;
        return (await versions.ReadAsync(cancellationToken) == totals.Version ? totals : null, true);
    }

    private static readonly PeriodSpanParameters Everything = new(long.MinValue, long.MaxValue);

    /// <summary>Days in order as runs of consecutive days [from, to): one read per run.</summary>
    private static IEnumerable<(long From, long To)> Runs(SortedSet<long> days)
    {
        long? from = null, to = null;
        foreach (var day in days)
        {
            if (day != to)
            {
                if (from is { } f)
                    yield return (f, to!.Value);
                from = day;
            }
            to = day + 1;
        }
        if (from is { } last)
            yield return (last, to!.Value);
    }

    // What the operator (and bench/run, which waits for it) sees: from here on, answers come from memory. Loads of changed
    // days come with every write the service follows, so only their duration is recorded (analytics.totals.load.duration).
    private TotalsLoad Loaded(Snapshot totals, TotalsLoad load, long started)
    {
        _current = totals;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (Scope is not null)
        {
            if (load == TotalsLoad.Full)
                logger.LogInformation("A restricted caller's day totals loaded at store version {Version} in {Seconds:F1} s.", totals.Version,
                    elapsed.TotalSeconds);
            return load;
        }
        metrics?.TotalsLoaded(load == TotalsLoad.Full ? "full" : "changed_days", elapsed);
        if (load == TotalsLoad.Full)
            logger.LogInformation("Report totals loaded at store version {Version} in {Seconds:F1} s, {What}.", totals.Version,
                elapsed.TotalSeconds, totals.HasHours ? "days and hours" : "days only");
        return load;
    }

    // The report cells of these days; for a scope, its status counts of each day too (the tables' are read apart).
    private Task ReadDaysAsync(PeriodSpanParameters days, Action<ReportCellRow> add, List<StatusCellRow> scopeStatus, CancellationToken cancellationToken) =>
        Scope is { } scope ? ReadScopeDaysAsync(scope, days, add, scopeStatus, cancellationToken)
            : ReadAsync(store.Dialect.ReportDayCells, days, add, cancellationToken);

    // A day at a time, the days with rooms (room_counts_all) each counted from the scope's rooms of the day, read once and
    // counted here by the rules the writes keep the counts tables by (ReportKey.ForEach, the rooms' status columns): one
    // statement for every day would hold two years of rooms, and one statement per report and day read each day five times.
    private async Task ReadScopeDaysAsync(RoomScope scope, PeriodSpanParameters span, Action<ReportCellRow> add, List<StatusCellRow> status,
        CancellationToken cancellationToken)
    {
        var days = await ListAsync(store.Dialect.StatusDayCells, span, cancellationToken);
        await store.QueryAsync(forReports: true, async connection =>
        {
            using var rooms = new ScopeDayRooms(store, connection);
            var cells = new Dictionary<(ReportDimension Report, ReportKey Key), long>();
            foreach (var day in days)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var counts = StatusCounts.None;
                foreach (var room in await rooms.ReadAsync(scope, day.Period, cancellationToken))
                {
                    counts += room.Statuses;
                    ReportKey.ForEach(room.KeySource, (report, key) => System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(
                        cells, (report, key), out _)++);
                }
                if (counts.Total > 0)
                    status.Add(new StatusCellRow { Period = day.Period, Total = counts.Total, Open = counts.Open, Queued = counts.Queued,
                        OnHold = counts.OnHold, Closed = counts.Closed });
                foreach (var ((report, key), total) in cells)
                    add(new ReportCellRow { Report = (int)report, Day = day.Period, K1Kind = key.K1Kind, K1 = key.K1, K2Kind = key.K2Kind, K2 = key.K2, Total = total });
                cells.Clear();
            }
            return 0;
        }, cancellationToken);
    }

    // Row by row: only what each row adds is kept, never the rows (ten million rooms make about 10 million hourly cells).
    private Task ReadAsync(SqlStatement<PeriodSpanParameters> cells, PeriodSpanParameters span, Action<ReportCellRow> add, CancellationToken cancellationToken) =>
        store.QueryAsync(forReports: true, async connection =>
        {
            await foreach (var row in connection.QueryUnbufferedAsync<ReportCellRow>(cells.Text, span, commandTimeout: store.CommandTimeoutSeconds)
                               .WithCancellation(cancellationToken))
                add(row);
            return 0;
        }, cancellationToken);

    private Task<List<StatusCellRow>> ListAsync(SqlStatement<PeriodSpanParameters> cells, PeriodSpanParameters span, CancellationToken cancellationToken) =>
        store.QueryAsync(forReports: true, async connection => (await connection.QueryAsync<StatusCellRow>(
            store.Command(cells, span, cancellationToken: cancellationToken))).AsList(), cancellationToken);

    /// <summary>The cells, as they are now, of the days writes changed (a day none of whose cells is listed is all zero).</summary>
    public sealed record ChangedCells(SortedSet<long> Days)
    {
        public List<ReportCellRow> ReportDays { get; } = [];
        public List<ReportCellRow> ReportHours { get; } = [];
        public List<StatusCellRow> StatusDays { get; } = [];
        public List<StatusCellRow> StatusHours { get; } = [];
    }

    /// <summary>
    /// Per report: its keys, for each day of the span loaded the running total of each key's rooms before it, and each
    /// day's hours. Never changed once published: a load makes a new snapshot, which shares what the writes left alone.
    /// </summary>
    public sealed class Snapshot
    {
        private readonly Dictionary<ReportDimension, Totals> _reports;

        private Snapshot(long version, Dictionary<ReportDimension, Totals> reports, StatusTotals? status, bool withHours) =>
            (Version, _reports, Status, WithHours) = (version, reports, status, withHours);

        public long Version { get; }

        /// <summary>The status counts' days and hours (null when their span is too long to hold).</summary>
        public StatusTotals? Status { get; }

        /// <summary>Whether the hours were loaded too (after the days, unless the days' span makes them too many).</summary>
        public bool WithHours { get; }

        /// <summary>Whether every report's hours are held.</summary>
        public bool HasHours => _reports.Count == 0 ? WithHours : _reports.Values.All(t => t.Hours is not null);

        /// <summary>The same days, with room for the hours, which <see cref="AddHour"/> then fills.</summary>
        public Snapshot WithRoomForHours() => new(Version, _reports.ToDictionary(r => r.Key,
            r => r.Value with { Hours = new DayHours?[r.Value.DayCount] }), Status, withHours: true);

        /// <summary>An hourly cell (its hour in Day) while loading; one whose count does not fit drops that report's hours.</summary>
        public void AddHour(ReportCellRow row)
        {
            if (!_reports.TryGetValue((ReportDimension)row.Report, out var totals) || totals.Hours is not { } hours)
                return;
            var day = RangeSplit.DayOfHour(row.Day) - totals.FirstDay;
            if (!totals.Index.TryGetValue(row.Key, out var key) || day < 0 || day >= totals.DayCount || row.Total is < 0 or > ushort.MaxValue)
            {
                _reports[(ReportDimension)row.Report] = totals with { Hours = null }; // that report's whole hours come from the store
                return;
            }
            SetHour(hours, day, totals.Keys.Length, row.Day, key, (ushort)row.Total);
        }

        /// <summary>One key's count in one hour of a day's hours (made, as wide as the keys are now, by its first count).</summary>
        private static void SetHour(DayHours?[] hours, long day, int width, long hour, int key, ushort total) =>
            (hours[day] ??= new DayHours(width)).Set((int)(hour - RangeSplit.DayOfHour(hour) * 24), key, total);

        /// <summary>
        /// These totals at a newer version: the changed days' cells replace what was held for those days; every other day is
        /// shared. Null when a changed day lies before the span held, or a report's running totals would grow past
        /// <paramref name="maxEntries"/> (keys times days).
        /// </summary>
        public Snapshot? Patched(long version, ChangedCells cells, long maxEntries)
        {
            if (cells.Days.Count == 0)
                return new Snapshot(version, _reports, Status, WithHours); // writes that changed no count (users, names)
            var daysByReport = cells.ReportDays.ToLookup(c => (ReportDimension)c.Report);
            if (daysByReport.Any(group => !_reports.ContainsKey(group.Key)))
                return null; // a report's first cells: the whole load makes its span
            var hoursByReport = cells.ReportHours.ToLookup(c => (ReportDimension)c.Report);
            var reports = new Dictionary<ReportDimension, Totals>(_reports.Count);
            foreach (var (report, totals) in _reports)
            {
                if (totals.Patched(cells.Days, daysByReport[report], WithHours ? hoursByReport[report] : [], maxEntries) is not { } patched)
                    return null;
                reports[report] = patched;
            }
            return new Snapshot(version, reports, Status?.Patched(cells.Days, cells.StatusDays, cells.StatusHours), WithHours);
        }

        // The totals' rows and days of hours live as long as the totals: made on the pinned heap, which the collector
        // never copies, where thousands of them on the small-object heap were copied up through its generations as a load
        // made them (ten million rooms: 25 MB more at the peak than the two-year arrays they replace).
        private static T[] Held<T>(int length) => GC.AllocateArray<T>(length, pinned: true);

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
            var (fromDay, toDay) = ((int)Math.Clamp(split.FirstDay - totals.FirstDay, 0, totals.DayCount),
                (int)Math.Clamp(split.EndDay - totals.FirstDay, 0, totals.DayCount));
            if (fromDay < toDay)
            {
                // A row may be narrower than the keys: a key added after it was made had no rooms before its day.
                var (to, from) = (totals.Running[toDay], totals.Running[fromDay]);
                for (var k = 0; k < to.Length; k++)
                    rooms[k] = to[k];
                for (var k = 0; k < from.Length; k++)
                    rooms[k] -= from[k];
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

        // Hour by hour, each hour's keys side by side: a day's hours of a thousand agents are read in order (key by key,
        // they were a thousand reads 35 KB apart, each a cache miss, at ten million rooms), added a vector at a time into
        // 32-bit sums. A day without cells holds no hours.
        private static void AddHours(Totals totals, DayHours?[] hours, long firstHour, long endHour, uint[] sums)
        {
            var span = totals.DayCount * 24L;
            var (from, to) = (Math.Clamp(firstHour - totals.FirstDay * 24, 0, span), Math.Clamp(endHour - totals.FirstDay * 24, 0, span));
            for (var hour = from; hour < to; hour++)
                hours[hour / 24]?.AddHour((int)(hour % 24), sums);
        }

        /// <summary>
        /// A day's hours, each hour's keys side by side, a byte a count; the few counts past a byte are kept beside them as
        /// well (a busy tag's hour, a source's). Ten million rooms over two years: a thousand agents' hours are 24 KB a day,
        /// 17 MB in all where 16-bit counts took 35 MB. Filled once while a load makes them (each cell set once), never
        /// changed after.
        /// </summary>
        private sealed class DayHours(int width)
        {
            private readonly byte[] _counts = Held<byte>(24 * width);
            private List<(int At, int Past)>? _pastAByte; // where, and by how much the count passes byte.MaxValue

            public void Set(int hourOfDay, int key, ushort total)
            {
                var at = hourOfDay * width + key;
                _counts[at] = (byte)Math.Min(total, byte.MaxValue);
                if (total > byte.MaxValue)
                    (_pastAByte ??= []).Add((at, total - byte.MaxValue));
            }

            /// <summary>Adds one hour's counts to the sums (at least as wide as the keys were when the day was made).</summary>
            public void AddHour(int hourOfDay, Span<uint> sums)
            {
                var counts = _counts.AsSpan(hourOfDay * width, width);
                var k = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var (bytes, quarter) = (Vector<byte>.Count, Vector<uint>.Count);
                    for (; k <= counts.Length - bytes; k += bytes)
                    {
                        Vector.Widen(new Vector<byte>(counts[k..]), out var low, out var high);
                        Vector.Widen(low, out var first, out var second);
                        Vector.Widen(high, out var third, out var fourth);
                        Add(sums[k..], first);
                        Add(sums[(k + quarter)..], second);
                        Add(sums[(k + 2 * quarter)..], third);
                        Add(sums[(k + 3 * quarter)..], fourth);
                    }
                }
                for (; k < counts.Length; k++)
                    sums[k] += counts[k];
                if (_pastAByte is not { } pastAByte)
                    return;
                foreach (var (at, past) in pastAByte)
                {
                    if (at / width == hourOfDay)
                        sums[at % width] += (uint)past;
                }
            }

            private static void Add(Span<uint> sums, Vector<uint> counts) => (new Vector<uint>(sums) + counts).CopyTo(sums);
        }

        /// <summary>
        /// One report's totals. Running[i]: per key, its rooms on the days before FirstDay + i (i from 0 to DayCount), a
        /// row per day so that a load of changed days makes new rows only from the first changed day on. Hours[d]: day
        /// d's hours, each hour's keys side by side (null: no cells). Keys are only ever added: an array made before a key
        /// was added is narrower, and that key's entries there are zero.
        /// </summary>
        private sealed record Totals(ReportKey[] Keys, Dictionary<ReportKey, int> Index, long FirstDay, int DayCount, long[][] Running, DayHours?[]? Hours)
        {
            public Totals? Patched(SortedSet<long> days, IEnumerable<ReportCellRow> dayCells, IEnumerable<ReportCellRow> hourCells, long maxEntries)
            {
                if (days.Min < FirstDay || days.Max - FirstDay + 1 > int.MaxValue / 2)
                    return null;
                // Keys the changed days bring are added to copies; without any, these totals' keys are shared.
                (List<ReportKey> Keys, Dictionary<ReportKey, int> Index)? grown = null;
                int KeyOf(ReportKey key)
                {
                    if ((grown?.Index ?? Index).TryGetValue(key, out var k))
                        return k;
                    grown ??= ([.. Keys], new Dictionary<ReportKey, int>(Index));
                    grown.Value.Keys.Add(key);
                    return grown.Value.Index[key] = grown.Value.Keys.Count - 1;
                }
                var fresh = days.ToDictionary(d => d, _ => new List<(int Key, long Total)>());
                foreach (var cell in dayCells)
                {
                    if (fresh.TryGetValue(cell.Day, out var day))
                        day.Add((KeyOf(cell.Key), cell.Total));
                }
                var hourly = hourCells.Select(c => (Day: RangeSplit.DayOfHour(c.Day), Hour: c.Day, Key: KeyOf(c.Key), c.Total)).ToList();
                var (keys, index) = grown is { } g ? (g.Keys.ToArray(), g.Index) : (Keys, Index);
                var (width, dayCount) = (keys.Length, (int)Math.Max(DayCount, days.Max - FirstDay + 1));
                if ((long)width * (dayCount + 1) > maxEntries)
                    return null;

                // Each key's change on the changed days, added up from the first of them: every row after one changes by that.
                var running = new long[dayCount + 1][];
                for (var i = 0; i <= dayCount; i++)
                    running[i] = Running[Math.Min(i, DayCount)]; // past the old span, each key's total stays where it ended
                var change = new long[width];
                var changed = false;
                for (var i = (int)(days.Min - FirstDay); i < dayCount; i++)
                {
                    if (fresh.TryGetValue(FirstDay + i, out var now))
                    {
                        var (before, after) = (Running[Math.Min(i, DayCount)], Running[Math.Min(i + 1, DayCount)]);
                        for (var k = 0; k < after.Length; k++)
                            change[k] -= after[k];
                        for (var k = 0; k < before.Length; k++)
                            change[k] += before[k];
                        foreach (var (key, total) in now)
                            change[key] += total;
                        changed = change.AsSpan().ContainsAnyExcept(0L);
                    }
                    if (!changed)
                        continue;
                    var row = Held<long>(width);
                    running[i + 1].CopyTo(row, 0);
                    for (var k = 0; k < width; k++)
                        row[k] += change[k];
                    running[i + 1] = row;
                }

                if (Hours is null)
                    return new Totals(keys, index, FirstDay, dayCount, running, null);
                var hours = new DayHours?[dayCount];
                Array.Copy(Hours, hours, Hours.Length);
                foreach (var day in days)
                    hours[day - FirstDay] = null;
                foreach (var (day, hour, key, total) in hourly)
                {
                    if (!days.Contains(day) || total is < 0 or > ushort.MaxValue)
                        return new Totals(keys, index, FirstDay, dayCount, running, null); // that report's whole hours come from the store
                    SetHour(hours, day - FirstDay, width, hour, key, (ushort)total);
                }
                return new Totals(keys, index, FirstDay, dayCount, running, hours);
            }
        }

        /// <summary>Takes report_counts' rows one at a time: each key once, each cell as three numbers.</summary>
        public sealed class Builder
        {
            // Twelve bytes a cell, all of them held until Build (ten million rooms: about a million day cells, and as many for
            // a restricted caller's scope): a day fits an int for every date there is, a day's count of one key an int too.
            private readonly Dictionary<ReportDimension, (Dictionary<ReportKey, int> Keys, List<(int Key, int Day, int Total)> Cells)> _reports = [];

            public void Add(ReportCellRow row)
            {
                var report = (ReportDimension)row.Report;
                if (!_reports.TryGetValue(report, out var cells))
                    _reports[report] = cells = ([], []);
                var key = row.Key;
                if (!cells.Keys.TryGetValue(key, out var index))
                    cells.Keys[key] = index = cells.Keys.Count;
                cells.Cells.Add((index, checked((int)row.Day), checked((int)row.Total)));
            }

            /// <summary>How many running totals the rows make: per report, keys times days spanned.</summary>
            public long Entries => _reports.Values.Sum(r => (long)r.Keys.Count * ((long)r.Cells.Max(c => c.Day) - r.Cells.Min(c => c.Day) + 2));

            public Snapshot Build(long version, StatusTotals? status)
            {
                var reports = new Dictionary<ReportDimension, Totals>();
                foreach (var (report, (keys, cells)) in _reports)
                {
                    long firstDay = cells.Min(c => c.Day);
                    var dayCount = checked((int)(cells.Max(c => c.Day) - firstDay + 1));
                    var running = new long[dayCount + 1][];
                    for (var i = 0; i < running.Length; i++)
                        running[i] = Held<long>(keys.Count);
                    foreach (var (key, day, total) in cells)
                        running[(int)(day - firstDay) + 1][key] += total;
                    for (var i = 1; i < running.Length; i++)
                    {
                        for (var k = 0; k < keys.Count; k++)
                            running[i][k] += running[i - 1][k];
                    }
                    var ordered = new ReportKey[keys.Count];
                    foreach (var (key, index) in keys)
                        ordered[index] = key;
                    reports[report] = new Totals(ordered, keys, firstDay, dayCount, running, null);
                }
                return new Snapshot(version, reports, status, withHours: false);
            }
        }
    }
}

/// <summary>Starts loading the report totals when the service starts, so the first calls do not wait for them to be read.</summary>
public sealed class ReportTotalsLoader(ReportTotals totals) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => totals.LoadAsync(stoppingToken);
}
