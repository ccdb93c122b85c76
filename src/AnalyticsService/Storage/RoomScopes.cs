using Dapper;

namespace AnalyticsService.Storage;

/// <summary>
/// Which rooms a caller may count, as Rocket.Chat's 8.x line restricts them (docs/behaviour.md, "Who sees which
/// rooms"): in a workspace with units, a livechat-monitor or livechat-agent who is neither admin nor livechat-manager
/// is restricted to the units it monitors and the departments it is an agent of; everyone else sees every room.
/// </summary>
public sealed class RoomScopes(Store store, AuthCache<string, RoomScope> restrictedScopes)
{
    public static readonly string[] UnrestrictedRoles = ["admin", "livechat-manager"];
    public static readonly string[] RestrictedRoles = ["livechat-monitor", "livechat-agent"];

    public ValueTask<RoomScope> ForAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!MayBeRestricted(caller))
            return ValueTask.FromResult(RoomScope.All);
        return restrictedScopes.TryGet(caller.UserId, out var scope) ? ValueTask.FromResult(scope) : LoadAsync(caller, cancellationToken);
    }

    private static bool MayBeRestricted(Caller caller)
    {
        var restricted = false;
        foreach (var role in caller.Roles)
        {
            if (Array.IndexOf(UnrestrictedRoles, role) >= 0)
                return false;
            restricted |= Array.IndexOf(RestrictedRoles, role) >= 0;
        }
        return restricted;
    }

    private async ValueTask<RoomScope> LoadAsync(Caller caller, CancellationToken cancellationToken)
    {
        var sql = store.Dialect;
        var scope = await store.QueryAsync(forReports: false, async connection =>
        {
            var workspaceHasUnits = await connection.ExecuteScalarAsync<long>(store.Command(sql.CountUnits, cancellationToken: cancellationToken)) > 0;
            if (!workspaceHasUnits)
                return RoomScope.All;
            var units = (await connection.QueryAsync<string>(store.Command(sql.RestrictingIds, new UserParameters(caller.UserId),
                cancellationToken: cancellationToken))).AsList();
            IEnumerable<string> departments = units.Count == 0 ? [] : await connection.QueryAsync<string>(store.Command(sql.DepartmentsReachedBy,
                new UnitsParameters(BatchJson.Serialize(units)), cancellationToken: cancellationToken));
            return RoomScope.Restricted(units, departments);
        }, cancellationToken);
        restrictedScopes.Keep(caller.UserId, scope);
        return scope;
    }
}
