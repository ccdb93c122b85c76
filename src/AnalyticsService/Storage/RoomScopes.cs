using Dapper;

namespace AnalyticsService.Storage;

/// <summary>
/// Which rooms a caller may count (spec section 4): when the workspace has units, a livechat-monitor who is
/// neither admin nor livechat-manager sees only the rooms of the units it monitors; everyone else sees all.
/// </summary>
public sealed class RoomScopes(Store store, AuthCache cache)
{
    public const string MonitorRole = "livechat-monitor";
    public static readonly string[] UnscopedRoles = ["admin", "livechat-manager"];

    public async Task<RoomScope> ForAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.Roles.Contains(MonitorRole) || caller.Roles.Any(UnscopedRoles.Contains))
            return RoomScope.All;
        return await cache.GetOrLoadAsync((nameof(RoomScopes), caller.UserId), () => LoadUnitsAsync(caller, cancellationToken), _ => true);
    }

    private async Task<RoomScope> LoadUnitsAsync(Caller caller, CancellationToken cancellationToken)
    {
        return await store.QueryAsync(forReports: false, async connection =>
        {
            var workspaceHasUnits = await connection.ExecuteScalarAsync<long>(store.Command(store.Dialect.CountUnits, cancellationToken: cancellationToken)) > 0;
            if (!workspaceHasUnits)
                return RoomScope.All;
            var units = await connection.QueryAsync<string>(store.Command(store.Dialect.MonitorUnits, new MonitorParameters(caller.UserId), cancellationToken: cancellationToken));
            return RoomScope.OfUnits(units.Distinct().ToArray());
        }, cancellationToken);
    }
}
