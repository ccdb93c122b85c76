using System.Runtime.InteropServices;
using AnalyticsService.Storage;
using Dapper;

namespace AnalyticsService.Reports;

/// <summary>
/// Where a <see cref="ReportTotals"/> reads its cells: the count tables, for callers who see every room (days and hours),
/// or a restricted caller's rooms, counted a day at a time (days only). Loading, catching up and holding the cells are
/// the same for both; only the reading differs.
/// </summary>
internal abstract class TotalsCells
{
    /// <summary>Whether hourly cells exist to load after the days.</summary>
    public abstract bool HasHours { get; }

    /// <summary>The most running totals a report's days may take (keys times days).</summary>
    public abstract long MaxDayEntries { get; }

    /// <summary>What the load's warnings call these totals.</summary>
    public abstract string Name { get; }

    /// <summary>The report cells of these days, and the status cells of each day into <paramref name="status"/>.</summary>
    public abstract Task ReadDaysAsync(PeriodSpanParameters days, Action<ReportCellRow> add, List<StatusCellRow> status, CancellationToken cancellationToken);

    /// <summary>The report cells of these hours (their hour in Day).</summary>
    public abstract Task ReadReportHoursAsync(PeriodSpanParameters hours, Action<ReportCellRow> add, CancellationToken cancellationToken);

    /// <summary>The status cells of these hours.</summary>
    public abstract Task<List<StatusCellRow>> StatusHoursAsync(PeriodSpanParameters hours, CancellationToken cancellationToken);

    /// <summary>Says, once a load of every cell ended, that the totals serve from now on.</summary>
    public abstract void LogLoaded(ILogger logger, ReportTotals.Snapshot totals, TimeSpan elapsed);
}

/// <summary>Every room's cells, from report_counts, report_counts_hourly, room_counts_all and room_counts_all_hourly.</summary>
internal sealed class TableCells(Store store) : TotalsCells
{
    public override bool HasHours => true;

    public override long MaxDayEntries => 8_000_000; // 64 MB of running totals

    public override string Name => "The report day totals";

    public override async Task ReadDaysAsync(PeriodSpanParameters days, Action<ReportCellRow> add, List<StatusCellRow> status,
        CancellationToken cancellationToken)
    {
        await ReadAsync(store.Dialect.ReportDayCells, days, add, cancellationToken);
        status.AddRange(await ListAsync(store.Dialect.StatusDayCells, days, cancellationToken));
    }

    public override Task ReadReportHoursAsync(PeriodSpanParameters hours, Action<ReportCellRow> add, CancellationToken cancellationToken) =>
        ReadAsync(store.Dialect.ReportHourCells, hours, add, cancellationToken);

    public override Task<List<StatusCellRow>> StatusHoursAsync(PeriodSpanParameters hours, CancellationToken cancellationToken) =>
        ListAsync(store.Dialect.StatusHourCells, hours, cancellationToken);

    // What the operator (and bench/run, which waits for it) sees: from here on, answers come from memory.
    public override void LogLoaded(ILogger logger, ReportTotals.Snapshot totals, TimeSpan elapsed) =>
        logger.LogInformation("Report totals loaded at store version {Version} in {Seconds:F1} s, {What}.", totals.Version,
            elapsed.TotalSeconds, totals.HasHours ? "days and hours" : "days only");

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
}

/// <summary>
/// A restricted caller's day cells of the five reports, counted from the rooms its scope sees: no table keeps the
/// reports' cells per scope (cells per department would be as many as the rooms for tags and agents).
/// </summary>
internal sealed class ScopeCells(Store store, RoomScope scope) : TotalsCells
{
    public override bool HasHours => false;

    public override long MaxDayEntries => 2_000_000; // 16 MB (1,000 agents, 300 tags, 50 departments over two years: 8.1 MB)

    public override string Name => "The report day totals of a restricted caller's scope";

    // A day at a time, the days with rooms (room_counts_all) each counted from the scope's rooms of the day, read once and
    // counted here by the rules the writes keep the counts tables by (ReportKey.ForEach, the rooms' status columns): one
    // statement for every day would hold two years of rooms, and one statement per report and day read each day five times.
    public override async Task ReadDaysAsync(PeriodSpanParameters span, Action<ReportCellRow> add, List<StatusCellRow> status,
        CancellationToken cancellationToken)
    {
        var days = await store.QueryAsync(forReports: true, async connection => (await connection.QueryAsync<StatusCellRow>(
            store.Command(store.Dialect.StatusDayCells, span, cancellationToken: cancellationToken))).AsList(), cancellationToken);
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
                    ReportKey.ForEach(room.KeySource, (report, key) => CollectionsMarshal.GetValueRefOrAddDefault(cells, (report, key), out _)++);
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

    // A scope's totals hold days alone (HasHours): a range's partial days come from its rooms (ScopeEdgeDays).
    public override Task ReadReportHoursAsync(PeriodSpanParameters hours, Action<ReportCellRow> add, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public override Task<List<StatusCellRow>> StatusHoursAsync(PeriodSpanParameters hours, CancellationToken cancellationToken) =>
        Task.FromResult(new List<StatusCellRow>());

    public override void LogLoaded(ILogger logger, ReportTotals.Snapshot totals, TimeSpan elapsed) =>
        logger.LogInformation("A restricted caller's day totals loaded at store version {Version} in {Seconds:F1} s.", totals.Version,
            elapsed.TotalSeconds);
}
