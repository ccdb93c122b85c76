using System.Data.Common;
using AnalyticsService.Storage;
using BitFaster.Caching.Lru;
using Dapper;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Reports;

/// <summary>
/// The rooms a restricted caller sees in the days at the edges of its recent ranges, held per scope and store version, so
/// that a range's partial days are counted in memory beside its scope's day totals (<see cref="ScopeTotals"/>): a
/// dashboard asks for ranges ending "now" on every refresh, so its next range has the same edge days with other
/// milliseconds. The first range at a day reads that day's rooms of the scope (some 14,000 rooms at ten million rooms
/// over two years, fewer for a scope that sees part of them); any committed write makes the held days stale, as it does
/// the edge hours (<see cref="EdgeHours"/>). Two days per scope whose totals are kept (Analytics:RestrictedTotalsScopes).
/// </summary>
public sealed class ScopeEdgeDays(Store store, StoreVersionReader versions, IOptions<Hosting.AnalyticsOptions> options)
{
    private readonly ConcurrentLru<(string Scope, long Day), PeriodRooms> _days = new(Math.Max(3, 2 * options.Value.RestrictedTotalsScopes));

    /// <summary>The rooms the scope sees on this day (days since the Unix epoch) at this version; null when the store moved on while they were read.</summary>
    public ValueTask<PeriodRooms?> AtAsync(RoomScope scope, long day, long version, CancellationToken cancellationToken) =>
        PeriodRooms.HeldAsync(_days, (scope.Key!, day), version, () => store.QueryAsync(forReports: true, async connection =>
        {
            using var rooms = new ScopeDayRooms(store, connection);
            return await rooms.ReadAsync(scope, day, cancellationToken);
        }, cancellationToken), versions, cancellationToken);

    /// <summary>The days holding a range's partial days at this version (<see cref="RangeSplit.WholeDays"/>); null when the store moved on.</summary>
    public async ValueTask<RangeEdges?> OfAsync(RoomScope scope, RangeSplit split, long version, CancellationToken cancellationToken)
    {
        var (daysStart, daysEnd) = split.WholeDays;
        PeriodRooms? head = null, tail = null;
        if (split.Start < daysStart
            && (head = await AtAsync(scope, RangeSplit.PeriodOf(split.Start, RangeSplit.DayMilliseconds), version, cancellationToken)) is null)
            return null;
        if (daysEnd < split.End
            && (tail = await AtAsync(scope, RangeSplit.PeriodOf(daysEnd, RangeSplit.DayMilliseconds), version, cancellationToken)) is null)
            return null;
        return new RangeEdges(split.Start, daysStart, head, daysEnd, split.End, tail);
    }
}

/// <summary>
/// The rooms a scope sees, read a day at a time on one connection, in ts order: what its partial days and its day totals
/// are counted from. On SQLite through one statement prepared for every day and read without Dapper, whose mapping of a
/// room's eighteen columns was most of a scope's load (about 5 µs a room; docs/performance.md, "Import").
/// </summary>
public sealed class ScopeDayRooms(Store store, DbConnection connection) : IDisposable
{
    private readonly SqliteRowReader<RestrictedRangeParameters, StoredRoom>? _sqlite = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
        ? new(sqlite, store.Dialect.RoomsInRangeRestricted.Text) : null;

    public async Task<List<StoredRoom>> ReadAsync(RoomScope scope, long day, CancellationToken cancellationToken)
    {
        var (start, end) = store.Dialect.Period(day, RangeSplit.DayMilliseconds);
        var rooms = new RestrictedRangeParameters(start, end, scope.UnitsJson!, scope.DepartmentsJson!);
        if (_sqlite is not null)
            return _sqlite.Read(rooms);
        return (await connection.QueryAsync<StoredRoom>(store.Command(store.Dialect.RoomsInRangeRestricted, rooms, cancellationToken: cancellationToken))).AsList();
    }

    public void Dispose() => _sqlite?.Dispose();
}
