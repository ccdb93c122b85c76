using Dapper;

namespace AnalyticsService.Storage;

/// <summary>
/// Which rooms a caller may count (spec section 4): when the workspace has units, a livechat-monitor who is
/// neither admin nor livechat-manager sees only the rooms of the units it monitors; everyone else sees all.
/// </summary>
public sealed class RoomScopes(Store store, AuthCache<string, RoomScope> monitorScopes)
{
    public const string MonitorRole = "livechat-monitor";
    public static readonly string[] UnscopedRoles = ["admin", "livechat-manager"];

    public ValueTask<RoomScope> ForAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!IsScoped(caller))
            return ValueTask.FromResult(RoomScope.All);
        return monitorScopes.TryGet(caller.UserId, out var scope) ? ValueTask.FromResult(scope) : LoadUnitsAsync(caller, cancellationToken);
    }

    private static bool IsScoped(Caller caller)
    {
        var monitor = false;
        foreach (var role in caller.Roles)
        {
            if (Array.IndexOf(UnscopedRoles, role) >= 0)
                return false;
            monitor |= role == MonitorRole;
        }
        return monitor;
    }

    private async ValueTask<RoomScope> LoadUnitsAsync(Caller caller, CancellationToken cancellationToken)
    {
        var scope = await store.QueryAsync(forReports: false, async connection =>
        {
            var workspaceHasUnits = await connection.ExecuteScalarAsync<long>(store.Command(store.Dialect.CountUnits, cancellationToken: cancellationToken)) > 0;
            if (!workspaceHasUnits)
                return RoomScope.All;
            var units = await connection.QueryAsync<string>(store.Command(store.Dialect.MonitorUnits, new MonitorParameters(caller.UserId), cancellationToken: cancellationToken));
            return RoomScope.OfUnits(units.Distinct().ToArray());
        }, cancellationToken);
        monitorScopes.Keep(caller.UserId, scope);
        return scope;
    }
}
