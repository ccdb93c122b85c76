using System.Runtime.InteropServices;
using AnalyticsService.Storage;
using BitFaster.Caching.Lru;
using Dapper;

namespace AnalyticsService.Reports;

/// <summary>
/// The rooms of the hours at the edges of recent ranges, held per store version, so that a range's partial hours are
/// counted in memory: a dashboard asks for ranges ending "now" on every refresh, so its next range has the same edge
/// hours with other milliseconds, and a new range then reads nothing from the store. The first range at an hour reads
/// that whole hour of rooms (about 570 at ten million rooms over two years); any committed write makes the held hours
/// stale, as it does every kept answer.
/// </summary>
public sealed class EdgeHours(Store store, StoreVersionReader versions)
{
    private readonly ConcurrentLru<long, HourRooms> _hours = new(64);

    /// <summary>The rooms of this hour (hours since the Unix epoch) at this version; null when the store moved on while they were read.</summary>
    public async ValueTask<HourRooms?> AtAsync(long hour, long version, CancellationToken cancellationToken)
    {
        if (_hours.TryGet(hour, out var held) && held.Version == version)
            return held;
        var sql = store.Dialect;
        var rooms = await store.QueryAsync(forReports: true, async connection => (await connection.QueryAsync<StoredRoom>(
            store.Command(sql.RoomsInRange, sql.Period(hour, RangeSplit.HourMilliseconds), cancellationToken: cancellationToken))).AsList(),
            cancellationToken);
        // Read committed: a commit during the read shows as a new version, and these rooms may mix two states.
        if (await versions.ReadAsync(cancellationToken) != version)
            return null;
        held = HourRooms.Of(version, rooms);
        _hours.AddOrUpdate(hour, held);
        return held;
    }

    /// <summary>The hours holding a range's partial hours at this version (none where an edge is whole); null when the store moved on.</summary>
    public async ValueTask<RangeEdges?> OfAsync(RangeSplit split, long version, CancellationToken cancellationToken)
    {
        HourRooms? head = null, tail = null;
        if (split.Start < split.HeadEnd && (head = await AtAsync(split.FirstHour - 1, version, cancellationToken)) is null)
            return null;
        if (split.TailStart < split.End && (tail = await AtAsync(split.EndHour, version, cancellationToken)) is null)
            return null;
        return new RangeEdges(split, head, tail);
    }

    /// <summary>
    /// The range [start, end) with each edge moved onto the rooms at it, within its hour: start onto the first room at or
    /// after it, end to just after the last room before it. Two ranges that take in the same rooms then have the same
    /// edges, whatever their milliseconds: what answers are kept by (<see cref="KeptAnswers"/>). Null when the store moved
    /// on while an hour was read.
    /// </summary>
    public async ValueTask<(long Start, long End)?> RoomEdgesAsync(long start, long end, long version, CancellationToken cancellationToken) =>
        await RoomEdgeAsync(start, isStart: true, version, cancellationToken) is { } roomStart
        && await RoomEdgeAsync(end, isStart: false, version, cancellationToken) is { } roomEnd
            ? (roomStart, roomEnd) : null;

    // An edge on the hour stays; one within an hour moves onto its hour's rooms, or to the hour's end (a start) or
    // beginning (an end) when no room of the hour is on that side of it.
    private async ValueTask<long?> RoomEdgeAsync(long edge, bool isStart, long version, CancellationToken cancellationToken)
    {
        if (edge % RangeSplit.HourMilliseconds == 0)
            return edge;
        var hour = RangeSplit.PeriodOf(edge, RangeSplit.HourMilliseconds);
        if (await AtAsync(hour, version, cancellationToken) is not { } rooms)
            return null;
        return isStart
            ? rooms.FirstRoomAtOrAfter(edge) ?? (hour + 1) * RangeSplit.HourMilliseconds
            : rooms.LastRoomBefore(edge) + 1 ?? hour * RangeSplit.HourMilliseconds;
    }
}

/// <summary>A range's two partial hours, counted from the rooms of their hours.</summary>
public readonly record struct RangeEdges(RangeSplit Split, HourRooms? Head, HourRooms? Tail)
{
    public StatusCounts Statuses() =>
        (Head?.Statuses(Split.Start, Split.HeadEnd) ?? StatusCounts.None) + (Tail?.Statuses(Split.TailStart, Split.End) ?? StatusCounts.None);

    /// <summary>The partial hours' cells of a report, in a dictionary made for <paramref name="keys"/> keys (the whole hours' are added to it).</summary>
    public Dictionary<ReportKey, long> Cells(ReportDimension report, int keys)
    {
        var cells = new Dictionary<ReportKey, long>(keys);
        Head?.AddCells(report, Split.Start, Split.HeadEnd, cells);
        Tail?.AddCells(report, Split.TailStart, Split.End, cells);
        return cells;
    }
}

/// <summary>
/// One hour's omnichannel rooms at one store version, in ts order: their ts with the running count of each status before
/// each room, and per report each cell a room counts in with the room's ts and the number of its key among the hour's.
/// </summary>
public sealed class HourRooms
{
    private readonly long[] _ts;
    private readonly StatusCounts[] _statusBefore; // [i]: the statuses of the rooms before the i-th
    private readonly ReportCellsOfHour?[] _cells; // by ReportDimension

    // A partial hour is counted per key number in an array, then each key counted once into the answer: a dictionary
    // increment per cell (hashing its key's text) was most of a new range's own cost at ten million rooms.
    private sealed record ReportCellsOfHour(long[] Ts, int[] KeyNumbers, ReportKey[] Keys);

    private HourRooms(long version, long[] ts, StatusCounts[] statusBefore, ReportCellsOfHour?[] cells) =>
        (Version, _ts, _statusBefore, _cells) = (version, ts, statusBefore, cells);

    public long Version { get; }

    public static HourRooms Of(long version, List<StoredRoom> rooms)
    {
        var ts = new long[rooms.Count];
        var statusBefore = new StatusCounts[rooms.Count + 1];
        statusBefore[0] = StatusCounts.None;
        var reports = Enum.GetValues<ReportDimension>();
        var cells = new (List<long> Ts, List<int> KeyNumbers, Dictionary<ReportKey, int> Numbers)[(int)reports.Max() + 1];
        foreach (var report in reports)
            cells[(int)report] = ([], [], []);
        for (var i = 0; i < rooms.Count; i++) // in ts order, so each report's list is too
        {
            var room = rooms[i];
            ts[i] = room.TsMs;
            statusBefore[i + 1] = statusBefore[i] + new StatusCounts(1, room.IsOpen, room.IsQueued, room.IsOnHold, room.IsClosed);
            ReportKey.ForEach(room.KeySource, (report, key) =>
            {
                var (cellTs, keyNumbers, numbers) = cells[(int)report];
                ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(numbers, key, out var known);
                if (!known)
                    number = numbers.Count - 1;
                cellTs.Add(room.TsMs);
                keyNumbers.Add(number);
            });
        }
        return new(version, ts, statusBefore, Array.ConvertAll(cells, c => c.Ts is null ? null
            : new ReportCellsOfHour(c.Ts.ToArray(), c.KeyNumbers.ToArray(), c.Numbers.OrderBy(n => n.Value).Select(n => n.Key).ToArray())));
    }

    /// <summary>The statuses of the rooms with from &lt;= ts &lt; to (Unix milliseconds within this hour).</summary>
    public StatusCounts Statuses(long from, long to)
    {
        var (a, b) = (FirstAtOrAfter(_ts, from), FirstAtOrAfter(_ts, to));
        return a < b ? _statusBefore[b] - _statusBefore[a] : StatusCounts.None;
    }

    /// <summary>Adds the cells of the rooms with from &lt;= ts &lt; to (Unix milliseconds within this hour) to a report's cells.</summary>
    internal void AddCells(ReportDimension report, long from, long to, Dictionary<ReportKey, long> cells)
    {
        var (ts, keyNumbers, keys) = _cells[(int)report]!;
        var (first, end) = (FirstAtOrAfter(ts, from), FirstAtOrAfter(ts, to));
        if (first >= end)
            return;
        Span<int> counts = keys.Length <= 1024 ? stackalloc int[keys.Length] : new int[keys.Length]; // zeroed
        foreach (var number in keyNumbers.AsSpan(first, end - first))
            counts[number]++;
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] != 0)
                CollectionsMarshal.GetValueRefOrAddDefault(cells, keys[k], out _) += counts[k];
        }
    }

    /// <summary>The ts of the first room at or after this instant; null when no room of the hour is.</summary>
    public long? FirstRoomAtOrAfter(long instant) => FirstAtOrAfter(_ts, instant) is var at && at < _ts.Length ? _ts[at] : null;

    /// <summary>The ts of the last room before this instant; null when no room of the hour is.</summary>
    public long? LastRoomBefore(long instant) => FirstAtOrAfter(_ts, instant) is var at && at > 0 ? _ts[at - 1] : null;

    private static int FirstAtOrAfter(long[] ts, long value)
    {
        var at = Array.BinarySearch(ts, value);
        if (at < 0)
            return ~at;
        while (at > 0 && ts[at - 1] == value) // equal instants: the search may land on any of them
            at--;
        return at;
    }
}
