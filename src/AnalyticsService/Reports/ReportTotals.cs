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
/// machinery holds a restricted caller's day totals of the five reports (<see cref="ForScope"/>), counted from its rooms;
/// <see cref="TotalsCells"/> says where each kind reads its cells.
/// </summary>
public sealed partial class ReportTotals(Store store, StoreVersionReader versions, ILogger<ReportTotals> logger, Hosting.AnalyticsMetrics? metrics = null)
{
    /// <summary>
    /// The day totals of the rooms a restricted caller sees, the status counts' and the four reports' (no hours): no table
    /// keeps the reports' cells per scope, so each day with rooms is counted from them (a day at ten million rooms over two
    /// years: some 14,000 rooms), when the totals are first loaded and again for each day a write changes.
    /// </summary>
    public static ReportTotals ForScope(Store store, StoreVersionReader versions, ILogger<ReportTotals> logger, RoomScope scope) =>
        scope.IsRestricted ? new(store, versions, logger) { Cells = new ScopeCells(store, scope) } : throw new ArgumentException("Not a restricted scope.", nameof(scope));

    // Where the cells are read: every room's from the count tables, or a scope's counted from its rooms.
    private TotalsCells Cells { get; init; } = new TableCells(store);

    private volatile Snapshot? _current;
    private Task<TotalsLoad>? _loading;
    private readonly Lock _lock = new();
    private const long MaxHourEntries = 48_000_000; // 48 MB of hourly counts

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
    private bool Complete(Snapshot? totals) => totals is not null && (totals.WithHours || !Cells.HasHours);

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
        withHours &= Cells.HasHours;
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
        var statusDays = new List<StatusCellRow>();
        await Cells.ReadDaysAsync(Everything, builder.Add, statusDays, cancellationToken);
        if (builder.Entries > Cells.MaxDayEntries)
        {
            // Days spread over decades (a stray ts) would make the dense totals too large: report_counts serves instead.
            logger.LogWarning("{Totals} would take {Entries} entries; the store answers instead.", Cells.Name, builder.Entries);
            return TotalsLoad.NotLoaded;
        }
        var status = StatusTotals.Of(statusDays, await Cells.StatusHoursAsync(Everything, cancellationToken));
        // Read committed, and possibly while writes commit: the days those writes changed are read again.
        if ((await CatchUpAsync(builder.Build(version, status), cancellationToken)).Totals is not { } days)
            return TotalsLoad.NotLoaded;
        _current = days; // the days serve at once; the hours (many more rows) follow
        if (!withHours || builder.Entries * 24 > MaxHourEntries)
            return Loaded(days, TotalsLoad.Full, started);
        var hours = days.WithRoomForHours();
        await Cells.ReadReportHoursAsync(Everything, hours.AddHour, cancellationToken);
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
                await Cells.ReadDaysAsync(new(from, to), cells.ReportDays.Add, cells.StatusDays, cancellationToken);
                if (totals.WithHours)
                    await Cells.ReadReportHoursAsync(new(from * 24, to * 24), cells.ReportHours.Add, cancellationToken);
                cells.StatusHours.AddRange(await Cells.StatusHoursAsync(new(from * 24, to * 24), cancellationToken));
            }
            if (totals.Patched(version, cells, Cells.MaxDayEntries) is not { } patched)
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

    // Loads of changed days come with every write the service follows, so only their duration is recorded
    // (analytics.totals.load.duration; for every room's totals, which alone are given the metrics).
    private TotalsLoad Loaded(Snapshot totals, TotalsLoad load, long started)
    {
        _current = totals;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        metrics?.TotalsLoaded(load == TotalsLoad.Full ? "full" : "changed_days", elapsed);
        if (load == TotalsLoad.Full)
            Cells.LogLoaded(logger, totals, elapsed);
        return load;
    }

    /// <summary>The cells, as they are now, of the days writes changed (a day none of whose cells is listed is all zero).</summary>
    public sealed record ChangedCells(SortedSet<long> Days)
    {
        public List<ReportCellRow> ReportDays { get; } = [];
        public List<ReportCellRow> ReportHours { get; } = [];
        public List<StatusCellRow> StatusDays { get; } = [];
        public List<StatusCellRow> StatusHours { get; } = [];
    }
}

/// <summary>Starts loading the report totals when the service starts, so the first calls do not wait for them to be read.</summary>
public sealed class ReportTotalsLoader(ReportTotals totals) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => totals.LoadAsync(stoppingToken);
}
