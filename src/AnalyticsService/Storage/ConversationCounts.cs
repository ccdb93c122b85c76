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
        var sql = scope.Units is null ? store.Dialect.CountByStatus : store.Dialect.CountByStatusInUnits;
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<StatusCounts>(store.Command(sql, new
        {
            Start = store.Dialect.Instant(start),
            End = store.Dialect.Instant(end),
            Units = scope.Units is null ? null : BatchJson.Serialize(scope.Units.ToList()),
        }, cancellationToken: cancellationToken));
    }
}
