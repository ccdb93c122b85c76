using System.Numerics;
using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

public sealed partial class ReportTotals
{
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
