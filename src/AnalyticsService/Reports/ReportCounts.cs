using AnalyticsService.Storage;
using Dapper;

namespace AnalyticsService.Reports;

/// <summary>
/// The other four reports' counts over a range for a caller who sees every room, one total per key (<see cref="ReportKey"/>),
/// exact to the millisecond: the whole days and hours added up in memory (<see cref="ReportTotals"/>) when it holds the
/// store's current version, else from report_counts and report_counts_hourly; the partial hours from the edge hours' rooms
/// held in memory (<see cref="EdgeHours"/>), else from rooms. A restricted caller's counts come from the whole days of the
/// day totals kept per scope (<see cref="ScopeTotals"/>) and the partial days' rooms held per scope
/// (<see cref="ScopeEdgeDays"/>); while those totals are not loaded, their departments from the status counts kept per
/// department, their sources from source_counts, their tags and agents from rooms (ReportQuery).
/// </summary>
public sealed class ReportCounts(Store store, StoreVersionReader versions, ReportTotals totals, EdgeHours edges, ScopeTotals scopeTotals,
    ScopeEdgeDays edgeDays)
{
    public async Task<Dictionary<ReportKey, long>> CountAsync(ReportDimension report, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        var split = RangeSplit.Of(start, end);
        await foreach (var held in split.HasWholeHours ? totals.AttemptsAsync(cancellationToken) : AsyncEnumerable.Empty<ReportTotals.Snapshot>())
        {
            if (!(held.HoldsHours(report) || split.FirstDay < split.EndDay))
                break;
            var version = held.Version;
            // From the store only what memory does not hold: the partial hours' rooms, and the whole hours when only
            // the days are loaded yet.
            var inMemoryHours = held.HoldsHours(report);
            if (inMemoryHours && await edges.OfAsync(split, version, cancellationToken) is { } inMemory)
            {
                var edgeCells = inMemory.Cells(report, held.KeyCount(report));
                held.AddWhole(report, split, edgeCells);
                return NonZero(edgeCells);
            }
            var cells = inMemoryHours
                ? await CellsAsync(store.Dialect.ReportPartialHourCells(report), new PartialHourParameters(At(split.Start), At(split.HeadEnd),
                    At(split.TailStart), At(split.End)), cancellationToken)
                : await CellsAsync(store.Dialect.ReportEdgeCells(report), Hours(split), cancellationToken);
            // A commit between the two reads would mix two states of the store: then the answer is made again.
            if (await versions.ReadAsync(cancellationToken) == version)
            {
                held.AddWhole(report, split, cells);
                return NonZero(cells);
            }
        }
        return await CountFromStoreAsync(report, start, end, cancellationToken);
    }

    /// <summary>Everything read from the store in one statement (the whole days too): the path while the day totals load.</summary>
    public async Task<Dictionary<ReportKey, long>> CountFromStoreAsync(ReportDimension report, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken) =>
        NonZero(await CellsAsync(store.Dialect.ReportCells(report), store.Dialect.Split(RangeSplit.Of(start, end)), cancellationToken));

    /// <summary>
    /// The by-department cells of the rooms a restricted caller sees: the whole days and hours from the status counts kept
    /// per department, the partial hours from rooms, in one statement.
    /// </summary>
    public async Task<Dictionary<ReportKey, long>> CountDepartmentsAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope,
        CancellationToken cancellationToken) =>
        NonZero(await CellsAsync(store.Dialect.DepartmentCellsRestricted,
            new RestrictedSplitRangeParameters(store.Dialect.Split(RangeSplit.Of(start, end)), scope.UnitsJson!, scope.DepartmentsJson!), cancellationToken));

    /// <summary>
    /// The by-source cells of the rooms a restricted caller sees: the whole days from source_counts (kept per department),
    /// the partial days at the edges from rooms, in one statement.
    /// </summary>
    public async Task<Dictionary<ReportKey, long>> CountSourcesAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope,
        CancellationToken cancellationToken)
    {
        var split = RangeSplit.Of(start, end);
        var (headEnd, tailStart) = split.WholeDays; // no whole day: every room of the range is read
        return NonZero(await CellsAsync(store.Dialect.SourceCellsRestricted, new RestrictedDaySplitParameters(At(split.Start), At(headEnd),
            At(tailStart), At(split.End), split.FirstDay, split.EndDay, scope.UnitsJson!, scope.DepartmentsJson!), cancellationToken));
    }

    /// <summary>
    /// A restricted caller's cells: the whole days from the day totals kept for its scope, the partial days at the edges
    /// from its rooms of those days held in memory (<see cref="ScopeEdgeDays"/>). Null when those totals are not loaded
    /// (the first call for a scope starts their load): the caller then counts the range's rooms.
    /// </summary>
    public async Task<Dictionary<ReportKey, long>?> CountRestrictedAsync(ReportDimension report, DateTimeOffset start, DateTimeOffset end,
        RoomScope scope, CancellationToken cancellationToken)
    {
        if (scopeTotals.For(scope) is not { } scopes)
            return null;
        var split = RangeSplit.Of(start, end);
        return await scopes.AnswerAsync(async held =>
        {
            if (await edgeDays.OfAsync(scope, split, held.Version, cancellationToken) is not { } edgeRooms)
                return null;
            var cells = edgeRooms.Cells(report, held.KeyCount(report));
            held.AddWhole(report, split, cells);
            return NonZero(cells);
        }, cancellationToken);
    }

    private object At(long ms) => store.Dialect.Instant(ms);

    private HourRangeParameters Hours(RangeSplit split) => new(At(split.Start), At(split.HeadEnd), At(split.TailStart), At(split.End),
        split.FirstHour, split.HeadHourEnd, split.TailHourStart, split.EndHour);

    private async Task<Dictionary<ReportKey, long>> CellsAsync<TParameters>(SqlStatement<TParameters> statement, TParameters range,
        CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync(forReports: true, connection => connection.QueryAsync<ReportCellRow>(
            store.Command(statement, range, cancellationToken: cancellationToken)), cancellationToken);
        var cells = new Dictionary<ReportKey, long>();
        foreach (var row in rows)
            cells[row.Key] = row.Total;
        return cells;
    }

    // Cells whose rooms all moved away (updated to another key, deleted) stay with 0 and are no row of a report.
    private static Dictionary<ReportKey, long> NonZero(Dictionary<ReportKey, long> cells)
    {
        foreach (var (key, total) in cells)
        {
            if (total == 0)
                cells.Remove(key);
        }
        return cells;
    }
}

/// <summary>A row of a report's cells: its key's values and kinds, and their total.</summary>
public sealed class ReportCellRow
{
    public long Report { get; set; }
    public long Day { get; set; }
    public long K1Kind { get; set; }
    public string K1 { get; set; } = "";
    public long K2Kind { get; set; }
    public string K2 { get; set; } = "";
    public long Total { get; set; }

    public ReportKey Key => new((byte)K1Kind, K1, (byte)K2Kind, K2);
}
