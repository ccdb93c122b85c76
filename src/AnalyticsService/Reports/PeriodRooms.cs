using System.Runtime.InteropServices;
using AnalyticsService.Storage;
using BitFaster.Caching.Lru;

namespace AnalyticsService.Reports;

/// <summary>
/// A range's two partial periods, [Start, HeadEnd) and [TailStart, End), counted from the rooms of the period each lies in
/// (an hour for EdgeHours, a day for ScopeEdgeDays); null where that part is empty.
/// </summary>
public readonly record struct RangeEdges(long Start, long HeadEnd, PeriodRooms? Head, long TailStart, long End, PeriodRooms? Tail)
{
    public StatusCounts Statuses() =>
        (Head?.Statuses(Start, HeadEnd) ?? StatusCounts.None) + (Tail?.Statuses(TailStart, End) ?? StatusCounts.None);

    /// <summary>The partial periods' cells of a report, in a dictionary made for <paramref name="keys"/> keys (the whole periods' are added to it).</summary>
    public Dictionary<ReportKey, long> Cells(ReportDimension report, int keys)
    {
        var cells = new Dictionary<ReportKey, long>(keys);
        Head?.AddCells(report, Start, HeadEnd, cells);
        Tail?.AddCells(report, TailStart, End, cells);
        return cells;
    }
}

/// <summary>
/// One period's omnichannel rooms (an hour's, or a day's a restricted caller sees) at one store version, in ts order:
/// their ts with the running count of each status before each room, and per report each cell a room counts in with the
/// room's ts and the number of its key among the period's.
/// </summary>
public sealed class PeriodRooms
{
    private readonly long[] _ts;
    private readonly StatusCounts[] _statusBefore; // [i]: the statuses of the rooms before the i-th
    private readonly ReportCellsOfPeriod?[] _cells; // by ReportDimension

    // A partial period is counted per key number in an array, then each key counted once into the answer: a dictionary
    // increment per cell (hashing its key's text) was most of a new range's own cost at ten million rooms.
    private sealed record ReportCellsOfPeriod(long[] Ts, int[] KeyNumbers, ReportKey[] Keys);

    private PeriodRooms(long version, long[] ts, StatusCounts[] statusBefore, ReportCellsOfPeriod?[] cells) =>
        (Version, _ts, _statusBefore, _cells) = (version, ts, statusBefore, cells);

    public long Version { get; }

    /// <summary>
    /// The rooms of a period held in <paramref name="held"/> under <paramref name="key"/> at this version, else read (by
    /// <paramref name="read"/>) and held: what the edge hours and a scope's edge days share. Null when the store moved on
    /// while they were read (read committed: a commit during the read shows as a new version, and the rooms may mix two
    /// states of the store), and then nothing is held.
    /// </summary>
    public static async ValueTask<PeriodRooms?> HeldAsync<TKey>(ConcurrentLru<TKey, PeriodRooms> held, TKey key, long version,
        Func<Task<List<StoredRoom>>> read, StoreVersionReader versions, CancellationToken cancellationToken) where TKey : notnull
    {
        if (held.TryGet(key, out var rooms) && rooms.Version == version)
            return rooms;
        var fresh = await read();
        if (await versions.ReadAsync(cancellationToken) != version)
            return null;
        rooms = Of(version, fresh);
        held.AddOrUpdate(key, rooms);
        return rooms;
    }

    public static PeriodRooms Of(long version, List<StoredRoom> rooms)
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
            statusBefore[i + 1] = statusBefore[i] + room.Statuses;
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
            : new ReportCellsOfPeriod(c.Ts.ToArray(), c.KeyNumbers.ToArray(), c.Numbers.OrderBy(n => n.Value).Select(n => n.Key).ToArray())));
    }

    /// <summary>The statuses of the rooms with from &lt;= ts &lt; to (Unix milliseconds within this period).</summary>
    public StatusCounts Statuses(long from, long to)
    {
        var (a, b) = (FirstAtOrAfter(_ts, from), FirstAtOrAfter(_ts, to));
        return a < b ? _statusBefore[b] - _statusBefore[a] : StatusCounts.None;
    }

    /// <summary>Adds the cells of the rooms with from &lt;= ts &lt; to (Unix milliseconds within this period) to a report's cells.</summary>
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

    /// <summary>The ts of the first room at or after this instant; null when no room of the period is.</summary>
    public long? FirstRoomAtOrAfter(long instant) => FirstAtOrAfter(_ts, instant) is var at && at < _ts.Length ? _ts[at] : null;

    /// <summary>The ts of the last room before this instant; null when no room of the period is.</summary>
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
