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
    private readonly ConcurrentLru<long, PeriodRooms> _hours = new(64);

    /// <summary>The rooms of this hour (hours since the Unix epoch) at this version; null when the store moved on while they were read.</summary>
    public ValueTask<PeriodRooms?> AtAsync(long hour, long version, CancellationToken cancellationToken) =>
        PeriodRooms.HeldAsync(_hours, hour, version, () => store.QueryAsync(forReports: true, async connection => (await connection.QueryAsync<StoredRoom>(
            store.Command(store.Dialect.RoomsInRange, store.Dialect.Period(hour, RangeSplit.HourMilliseconds), cancellationToken: cancellationToken))).AsList(),
            cancellationToken), versions, cancellationToken);

    /// <summary>The hours holding a range's partial hours at this version (none where an edge is whole); null when the store moved on.</summary>
    public async ValueTask<RangeEdges?> OfAsync(RangeSplit split, long version, CancellationToken cancellationToken)
    {
        PeriodRooms? head = null, tail = null;
        if (split.Start < split.HeadEnd && (head = await AtAsync(split.FirstHour - 1, version, cancellationToken)) is null)
            return null;
        if (split.TailStart < split.End && (tail = await AtAsync(split.EndHour, version, cancellationToken)) is null)
            return null;
        return new RangeEdges(split.Start, split.HeadEnd, head, split.TailStart, split.End, tail);
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
