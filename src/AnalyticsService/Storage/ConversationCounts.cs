using BitFaster.Caching.Lru;
using Dapper;

namespace AnalyticsService.Storage;

/// <summary>Conversations in a range per status (docs/behaviour.md, "Status").</summary>
public sealed record StatusCounts(long Total, long Open, long Queued, long OnHold, long Closed)
{
    public static StatusCounts None { get; } = new(0, 0, 0, 0, 0);

    public static StatusCounts operator +(StatusCounts a, StatusCounts b) =>
        new(a.Total + b.Total, a.Open + b.Open, a.Queued + b.Queued, a.OnHold + b.OnHold, a.Closed + b.Closed);

    public static StatusCounts operator -(StatusCounts a, StatusCounts b) =>
        new(a.Total - b.Total, a.Open - b.Open, a.Queued - b.Queued, a.OnHold - b.OnHold, a.Closed - b.Closed);
}

/// <summary>
/// Which rooms a caller sees (docs/behaviour.md, "Who sees which rooms"): all of them, or, for a restricted caller,
/// the rooms without a departmentId field, those whose departmentAncestors hold one of Units (the units it monitors
/// and the departments it is an agent of), and those whose department is one of Departments (the stored departments
/// among Units or below one of them).
/// </summary>
public sealed record RoomScope
{
    private RoomScope(string? unitsJson, string? departmentsJson) =>
        (UnitsJson, DepartmentsJson, Key) = (unitsJson, departmentsJson, unitsJson is null ? null : unitsJson + departmentsJson);

    public static RoomScope All { get; } = new(null, null);

    /// <summary>A restricted caller's scope; the lists are kept sorted, so equal scopes have equal keys.</summary>
    public static RoomScope Restricted(IEnumerable<string> units, IEnumerable<string> departments) => new(
        BatchJson.Serialize(units.Distinct().Order(StringComparer.Ordinal).ToList()),
        BatchJson.Serialize(departments.Distinct().Order(StringComparer.Ordinal).ToList()));

    public bool IsRestricted => UnitsJson is not null;

    /// <summary>The statements' @Units: a JSON array; null when the caller sees every room.</summary>
    internal string? UnitsJson { get; }

    /// <summary>The statements' @Departments: a JSON array; null when the caller sees every room.</summary>
    internal string? DepartmentsJson { get; }

    /// <summary>One string per scope, for keeping answers (JSON arrays delimit themselves); null for all rooms.</summary>
    public string? Key { get; }
}

/// <summary>
/// A range [start, end) cut at UTC hour and day boundaries: the whole days [FirstDay, EndDay) come from the per-day
/// counts, the whole hours around them [FirstHour, HeadHourEnd) and [TailHourStart, EndHour) from the per-hour counts,
/// and only the partial hours [Start, HeadEnd) and [TailStart, End) from the rooms. So a query reads at most two
/// hours of rooms, the cells of at most 46 hours and those of its days, whatever its length. A range with no whole
/// hour reads its rooms.
/// </summary>
public readonly record struct RangeSplit(long Start, long HeadEnd, long TailStart, long End,
    long FirstHour, long HeadHourEnd, long TailHourStart, long EndHour, long FirstDay, long EndDay)
{
    public const long HourMilliseconds = 3_600_000;
    public const long DayMilliseconds = 24 * HourMilliseconds;
    private const long HoursPerDay = DayMilliseconds / HourMilliseconds;

    public bool HasWholeHours => FirstHour < EndHour;

    /// <summary>
    /// Where the whole days begin and end, in Unix milliseconds: the range is [Start, DaysStart) and [DaysEnd, End) around
    /// them, each part within one day (a restricted caller's partial days). With no whole day, both are the midnight the
    /// range crosses, or End when it crosses none.
    /// </summary>
    public (long DaysStart, long DaysEnd) WholeDays
    {
        get
        {
            if (FirstDay < EndDay)
                return (FirstDay * DayMilliseconds, EndDay * DayMilliseconds);
            var midnight = Math.Min(End, (PeriodOf(Start, DayMilliseconds) + 1) * DayMilliseconds);
            return (midnight, midnight);
        }
    }

    public static RangeSplit Of(DateTimeOffset start, DateTimeOffset end)
    {
        var (s, e) = (start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds());
        var (firstHour, endHour) = (CeilDiv(s, HourMilliseconds), FloorDiv(e, HourMilliseconds));
        if (firstHour >= endHour)
            return new(s, e, e, e, 0, 0, 0, 0, 0, 0);
        var (firstDay, endDay) = (CeilDiv(firstHour, HoursPerDay), FloorDiv(endHour, HoursPerDay));
        var (headEnd, tailStart) = (firstHour * HourMilliseconds, endHour * HourMilliseconds);
        return firstDay < endDay
            ? new(s, headEnd, tailStart, e, firstHour, firstDay * HoursPerDay, endDay * HoursPerDay, endHour, firstDay, endDay)
            : new(s, headEnd, tailStart, e, firstHour, endHour, endHour, endHour, 0, 0);
    }

    /// <summary>The day an hour (hours since 1970-01-01T00:00Z) is in.</summary>
    public static long DayOfHour(long hour) => FloorDiv(hour, HoursPerDay);

    /// <summary>The cell of an instant given in Unix milliseconds, for periods of this many milliseconds (an hour, a day).</summary>
    public static long PeriodOf(long milliseconds, long periodMilliseconds) => FloorDiv(milliseconds, periodMilliseconds);

    private static long FloorDiv(long a, long b) => a / b - (a % b < 0 ? 1 : 0);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}

public sealed class ConversationCounts(Store store, Reports.ReportTotals totals, Reports.EdgeHours edges, Reports.ScopeTotals scopeTotals,
    Reports.ScopeEdgeDays edgeDays)
{
    /// <summary>
    /// Counts omnichannel rooms created in [start, end) as the store holds them now (committed writes included): for a
    /// caller who sees every room from memory when it holds the store's version (<see cref="Reports.StatusTotals"/>,
    /// <see cref="Reports.EdgeHours"/>), else from the store. Answers are kept by <see cref="Reports.KeptAnswers"/>.
    /// </summary>
    public async Task<StatusCounts> CountByStatusAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, CancellationToken cancellationToken)
    {
        if (scope.IsRestricted)
            return await CountRestrictedAsync(start, end, scope, cancellationToken) ?? await CountFromStoreAsync(start, end, scope, cancellationToken);
        var split = RangeSplit.Of(start, end);
        await foreach (var held in split.HasWholeHours ? totals.AttemptsAsync(cancellationToken) : AsyncEnumerable.Empty<Reports.ReportTotals.Snapshot>())
        {
            if (held.Status is not { } status)
                break;
            if (await edges.OfAsync(split, held.Version, cancellationToken) is { } inMemory) // null: a commit landed while an hour was read
                return status.WholePeriods(split) + inMemory.Statuses();
        }
        return await CountFromStoreAsync(start, end, scope, cancellationToken);
    }

    /// <summary>
    /// A restricted caller's counts: the whole days from the day totals kept for its scope (<see cref="Reports.ScopeTotals"/>),
    /// the partial days at the edges from its rooms of those days held in memory (<see cref="Reports.ScopeEdgeDays"/>). Null
    /// when those totals are not loaded (the first call of a scope starts their load): then the per-department counts answer.
    /// </summary>
    public async Task<StatusCounts?> CountRestrictedAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, CancellationToken cancellationToken)
    {
        if (scopeTotals.For(scope) is not { } scoped)
            return null;
        var split = RangeSplit.Of(start, end);
        return await scoped.AnswerAsync(async held => held.Status is { } status
                && await edgeDays.OfAsync(scope, split, held.Version, cancellationToken) is { } edgeRooms
            ? status.WholeDays(split) + edgeRooms.Statuses()
            : null, cancellationToken);
    }

    /// <summary>The counts read from the store: whole days and hours from the counts tables, partial hours from rooms.</summary>
    public async Task<StatusCounts> CountFromStoreAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, CancellationToken cancellationToken)
    {
        var sql = store.Dialect;
        var split = RangeSplit.Of(start, end);
        if (!split.HasWholeHours)
            return await ScanByStatusAsync(start, end, scope, cancellationToken); // the counts have nothing to add
        var range = sql.Split(split);
        // A report: it may be read from a readable secondary, as Rocket.Chat reads its reports.
        return await store.QueryAsync(forReports: true, connection => connection.QuerySingleAsync<StatusCounts>(scope.IsRestricted
            ? store.Command(sql.CountByStatusRestricted, new RestrictedSplitRangeParameters(range, scope.UnitsJson!, scope.DepartmentsJson!), cancellationToken: cancellationToken)
            : store.Command(sql.CountByStatus, range, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>The same answer from a scan of every room in the range: the baseline the counts are measured and tested against.</summary>
    public async Task<StatusCounts> ScanByStatusAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, CancellationToken cancellationToken)
    {
        var sql = store.Dialect;
        var (s, e) = (sql.Instant(start), sql.Instant(end));
        return await store.QueryAsync(forReports: true, connection => connection.QuerySingleAsync<StatusCounts>(scope.IsRestricted
            ? store.Command(sql.ScanByStatusRestricted, new RestrictedRangeParameters(s, e, scope.UnitsJson!, scope.DepartmentsJson!), cancellationToken: cancellationToken)
            : store.Command(sql.ScanByStatus, new RangeParameters(s, e), cancellationToken: cancellationToken)),
            cancellationToken);
    }
}
