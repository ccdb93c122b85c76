using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>
/// room_counts_all and room_counts_all_hourly (the status counts per day and hour, whatever the departments) as running
/// totals, held with the report totals for one store version: a range's whole days and hours then cost a few
/// subtractions. Two years are about 17,500 hours of five numbers.
/// </summary>
public sealed class StatusTotals
{
    private const int Width = 5; // total, open, queued, on hold, closed
    private const long MaxPeriods = 1_000_000; // hours over more than a century (a stray ts): the tables answer instead

    private readonly Running _days;
    private readonly Running _hours;

    private StatusTotals(Running days, Running hours) => (_days, _hours) = (days, hours);

    /// <summary>The totals of these cells, or null when their span is too long to hold.</summary>
    public static StatusTotals? Of(List<StatusCellRow> days, List<StatusCellRow> hours) =>
        Running.Of(days) is { } d && Running.Of(hours) is { } h ? new StatusTotals(d, h) : null;

    /// <summary>
    /// These totals with the cells of the changed days (and their hours) as they are now: a day or hour none of whose cells
    /// is listed is zero. Null when the span would grow too long to hold.
    /// </summary>
    public StatusTotals? Patched(SortedSet<long> days, List<StatusCellRow> dayCells, List<StatusCellRow> hourCells) =>
        _days.Patched(days, dayCells) is { } d && _hours.Patched(days.SelectMany(day => Enumerable.Range(0, 24).Select(h => day * 24 + h)), hourCells) is { } h
            ? new StatusTotals(d, h) : null;

    /// <summary>The rooms of a range's whole days and whole hours (RangeSplit); its partial hours are not in the cells.</summary>
    public StatusCounts WholePeriods(RangeSplit split) =>
        _days.Between(split.FirstDay, split.EndDay) + _hours.Between(split.FirstHour, split.HeadHourEnd) + _hours.Between(split.TailHourStart, split.EndHour);

    /// <summary>Per period from First, the sums of the five numbers of every period before it (Width numbers each).</summary>
    private sealed record Running(long First, long Count, long[] Sums)
    {
        public static Running? Of(List<StatusCellRow> cells)
        {
            if (cells.Count == 0)
                return new Running(0, 0, new long[Width]);
            var (first, last) = (cells.Min(c => c.Period), cells.Max(c => c.Period));
            if (last - first >= MaxPeriods)
                return null;
            var count = last - first + 1;
            var sums = new long[(count + 1) * Width];
            foreach (var cell in cells)
            {
                var at = (cell.Period - first + 1) * Width;
                sums[at] += cell.Total;
                sums[at + 1] += cell.Open;
                sums[at + 2] += cell.Queued;
                sums[at + 3] += cell.OnHold;
                sums[at + 4] += cell.Closed;
            }
            for (var i = Width; i < sums.Length; i++)
                sums[i] += sums[i - Width];
            return new Running(first, count, sums);
        }

        /// <summary>The same with these periods' five numbers replaced by the cells' (zero where no cell is listed).</summary>
        public Running? Patched(IEnumerable<long> periods, List<StatusCellRow> cells)
        {
            var fresh = periods.ToDictionary(p => p, _ => new long[Width]);
            if (fresh.Count == 0)
                return this;
            var first = Count == 0 ? fresh.Keys.Min() : Math.Min(First, fresh.Keys.Min());
            var last = Math.Max(Count == 0 ? first : First + Count - 1, fresh.Keys.Max());
            if (last - first >= MaxPeriods)
                return null;
            foreach (var cell in cells)
            {
                if (fresh.TryGetValue(cell.Period, out var values))
                    (values[0], values[1], values[2], values[3], values[4]) = (cell.Total, cell.Open, cell.Queued, cell.OnHold, cell.Closed);
            }
            var count = last - first + 1;
            var sums = new long[(count + 1) * Width];
            for (var period = First; period < First + Count; period++)
            {
                var (from, to) = ((period - First) * Width, (period - first + 1) * Width);
                for (var field = 0; field < Width; field++)
                    sums[to + field] = Sums[from + Width + field] - Sums[from + field];
            }
            foreach (var (period, values) in fresh)
                values.CopyTo(sums, (period - first + 1) * Width);
            for (var i = Width; i < sums.Length; i++)
                sums[i] += sums[i - Width];
            return new Running(first, count, sums);
        }

        public StatusCounts Between(long from, long to)
        {
            var (a, b) = (Math.Clamp(from - First, 0, Count), Math.Clamp(to - First, 0, Count));
            if (a >= b)
                return StatusCounts.None;
            long Sum(int field) => Sums[b * Width + field] - Sums[a * Width + field];
            return new(Sum(0), Sum(1), Sum(2), Sum(3), Sum(4));
        }
    }
}

/// <summary>
/// A cell of room_counts_all (Period: the day) or room_counts_all_hourly (the hour). Settable properties rather than a
/// positional record: on an empty result SQLite names no column types, and Dapper then finds no matching constructor.
/// </summary>
public sealed class StatusCellRow
{
    public long Period { get; set; }
    public long Total { get; set; }
    public long Open { get; set; }
    public long Queued { get; set; }
    public long OnHold { get; set; }
    public long Closed { get; set; }
}
