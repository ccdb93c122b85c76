using Dapper;

namespace AnalyticsService.Storage;

/// <summary>Conversations in a range per status, with Rocket.Chat's rules (spec section 4).</summary>
public sealed record StatusCounts(long Total, long Open, long Queued, long OnHold, long Closed)
{
    public static StatusCounts None { get; } = new(0, 0, 0, 0, 0);
}

/// <summary>Which rooms a caller sees: all of them, or only those of some units (a monitor's).</summary>
public sealed record RoomScope(IReadOnlyList<string>? Units)
{
    public static RoomScope All { get; } = new((IReadOnlyList<string>?)null);

    public static RoomScope OfUnits(IReadOnlyList<string> units) => new(units);
}

public sealed class ConversationCounts(Store store)
{
    /// <summary>Counts omnichannel rooms created in [start, end), read fresh from the store on every call.</summary>
    public async Task<StatusCounts> CountByStatusAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, CancellationToken cancellationToken)
    {
        if (scope.Units is { Count: 0 })
            return StatusCounts.None;
        var sql = store.Dialect;
        var (from, to) = (sql.Instant(start), sql.Instant(end));
        // A report: it may be read from a readable secondary, as Rocket.Chat reads its reports.
        return await store.QueryAsync(forReports: true, connection => connection.QuerySingleAsync<StatusCounts>(scope.Units is null
            ? store.Command(sql.CountByStatus, new RangeParameters(from, to), cancellationToken: cancellationToken)
            : store.Command(sql.CountByStatusInUnits, new ScopedRangeParameters(from, to, BatchJson.Serialize(scope.Units.ToList())), cancellationToken: cancellationToken)),
            cancellationToken);
    }
}
