using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>
/// room_counts_all and room_counts_all_hourly (the status counts per day and hour, whatever the departments), held with the
/// report totals for one store version: the days as running totals, so a range's whole days cost a subtraction, and the
/// hours as they are, an array per day, so a range's whole hours (at most 46) cost an addition each and a load of the days
/// a commit changed replaces those days' arrays alone. Two years are about 17,500 hours of five numbers.
/// </summary>
public sealed class StatusTotals
{
    private const int Width = 5; // total, open, queued, on hold, closed
    private const long MaxDays = 40_000; // a span of more than a century (a stray ts): the tables answer instead

    private readonly Running _days;
    private readonly Hours _hours;

    private StatusTotals(Running days, Hours hours) => (_days, _hours) = (days, hours);

    /// <summary>The totals of these cells, or null when their span is too long to hold.</summary>
    public static StatusTotals? Of(List<StatusCellRow> days, List<StatusCellRow> hours) =>
        Running.Of(days) is { } d && Hours.Of(hours) is { } h ? new StatusTotals(d, h) : null;

    /// <summary>
    /// These totals with the cells of the changed days (and their hours) as they are now: a day or hour none of whose cells
    /// is listed is zero. Null when the span would grow too long to hold.
    /// </summary>
    public StatusTotals? Patched(SortedSet<long> days, List<StatusCellRow> dayCells, List<StatusCellRow> hourCells) =>
        _days.Patched(days, dayCells) is { } d && _hours.Patched(days, hourCells) is { } h ? new StatusTotals(d, h) : null;

    /// <summary>The rooms of a range's whole days and whole hours (RangeSplit); its partial hours are not in the cells.</summary>
    public StatusCounts WholePeriods(RangeSplit split) =>
        _days.Between(split.FirstDay, split.EndDay) + _hours.Between(split.FirstHour, split.HeadHourEnd) + _hours.Between(split.TailHourStart, split.EndHour);

    /// <summary>The rooms of a range's whole days alone (a restricted caller's totals hold no hours).</summary>
    public StatusCounts WholeDays(RangeSplit split) => _days.Between(split.FirstDay, split.EndDay);

    private static void Add(Span<long> values, StatusCellRow cell)
    {
        values[0] += cell.Total;
        values[1] += cell.Open;
        values[2] += cell.Queued;
        values[3] += cell.OnHold;
        values[4] += cell.Closed;
    }

    /// <summary>Per day from First, the sums of the five numbers of every day before it (Width numbers each).</summary>
    private sealed record Running(long First, long Count, long[] Sums)
    {
        public static Running? Of(List<StatusCellRow> cells)
        {
            if (cells.Count == 0)
                return new Running(0, 0, new long[Width]);
            var (first, last) = (cells.Min(c => c.Period), cells.Max(c => c.Period));
            return last - first >= MaxDays ? null : Summed(first, last - first + 1, cells, kept: null, replaced: []);
        }

        /// <summary>The same with these days' five numbers replaced by the cells' (zero where no cell is listed).</summary>
        public Running? Patched(SortedSet<long> days, List<StatusCellRow> cells)
        {
            if (days.Count == 0)
                return this;
            var first = Count == 0 ? days.Min : Math.Min(First, days.Min);
            var last = Math.Max(Count == 0 ? first : First + Count - 1, days.Max);
            return last - first >= MaxDays ? null : Summed(first, last - first + 1, cells, kept: this, replaced: days);
        }

        // Each day's numbers (those kept, but for the days replaced, then the cells'), then summed.
        private static Running Summed(long first, long count, List<StatusCellRow> cells, Running? kept, SortedSet<long> replaced)
        {
            var sums = new long[(count + 1) * Width];
            for (var day = kept?.First ?? 0; kept is not null && day < kept.First + kept.Count; day++)
            {
                if (replaced.Contains(day))
                    continue;
                var (from, to) = ((day - kept.First) * Width, (day - first + 1) * Width);
                for (var field = 0; field < Width; field++)
                    sums[to + field] = kept.Sums[from + Width + field] - kept.Sums[from + field];
            }
            foreach (var cell in cells)
                Add(sums.AsSpan((int)((cell.Period - first + 1) * Width), Width), cell);
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

    /// <summary>Per day from FirstDay, its 24 hours' five numbers (null: no cells that day).</summary>
    private sealed record Hours(long FirstDay, long[]?[] Days)
    {
        public static Hours? Of(List<StatusCellRow> cells)
        {
            if (cells.Count == 0)
                return new Hours(0, []);
            var (first, last) = (RangeSplit.DayOfHour(cells.Min(c => c.Period)), RangeSplit.DayOfHour(cells.Max(c => c.Period)));
            return last - first >= MaxDays ? null : new Hours(first, new long[]?[last - first + 1]).With(cells);
        }

        /// <summary>The same with these days' hours replaced by the cells' (zero where no cell is listed).</summary>
        public Hours? Patched(SortedSet<long> days, List<StatusCellRow> cells)
        {
            if (days.Count == 0)
                return this;
            var first = Days.Length == 0 ? days.Min : Math.Min(FirstDay, days.Min);
            var last = Math.Max(Days.Length == 0 ? first : FirstDay + Days.Length - 1, days.Max);
            if (last - first >= MaxDays)
                return null;
            var held = new long[]?[last - first + 1];
            if (Days.Length > 0) // none held: FirstDay says nothing, and would place an empty copy out of range
                Array.Copy(Days, 0, held, FirstDay - first, Days.Length);
            foreach (var day in days)
                held[day - first] = null;
            return new Hours(first, held).With(cells);
        }

        // Adds cells into days the caller made empty (arrays made here, never one shared with other totals).
        private Hours With(List<StatusCellRow> cells)
        {
            foreach (var cell in cells)
            {
                var day = RangeSplit.DayOfHour(cell.Period);
                var hours = Days[day - FirstDay] ??= new long[24 * Width];
                Add(hours.AsSpan((int)(cell.Period - day * 24) * Width, Width), cell);
            }
            return this;
        }

        public StatusCounts Between(long fromHour, long toHour)
        {
            Span<long> sums = stackalloc long[Width];
            for (var hour = fromHour; hour < toHour; hour++)
            {
                var day = RangeSplit.DayOfHour(hour) - FirstDay;
                if (day < 0 || day >= Days.Length || Days[day] is not { } hours)
                    continue;
                var at = (int)(hour - (FirstDay + day) * 24) * Width;
                for (var field = 0; field < Width; field++)
                    sums[field] += hours[at + field];
            }
            return new(sums[0], sums[1], sums[2], sums[3], sums[4]);
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
