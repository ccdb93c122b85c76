using Dapper;

namespace AnalyticsService.Storage;

/// <summary>A user who presented a valid login token, with the global roles it holds.</summary>
public sealed record Caller(string UserId, string? Username, IReadOnlyList<string> Roles)
{
    /// <summary>The roles as one key, for caches of what a set of roles may do.</summary>
    public string RolesKey { get; } = string.Join('\n', Roles.Order(StringComparer.Ordinal));
}

/// <summary>Users, login tokens, roles and permissions.</summary>
public sealed class IdentityStore(Store store, AuthCache cache)
{
    /// <summary>The user with this id if one of its login tokens has this hash; otherwise null.</summary>
    public ValueTask<Caller?> FindCallerAsync(string userId, string hashedToken, CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync((nameof(FindCallerAsync), userId, hashedToken), () => LoadCallerAsync(userId, hashedToken, cancellationToken), caller => caller is not null);

    private async Task<Caller?> LoadCallerAsync(string userId, string hashedToken, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync(forReports: false, async connection => (await connection.QueryAsync<(string? Username, string? RoleId)>(
            store.Command(store.Dialect.FindCaller, new CallerParameters(userId, hashedToken), cancellationToken: cancellationToken))).AsList(), cancellationToken);
        if (rows.Count == 0)
            return null;
        var roles = rows.Where(r => r.RoleId is not null).Select(r => r.RoleId!).ToArray();
        return new Caller(userId, rows[0].Username, roles);
    }

    /// <summary>Whether any of the roles holds the permission (rocketchat_permissions).</summary>
    public async Task<bool> AnyRoleHoldsAsync(Caller caller, string permission, CancellationToken cancellationToken)
    {
        if (caller.Roles.Count == 0)
            return false;
        return await cache.GetOrLoadAsync((nameof(AnyRoleHoldsAsync), permission, caller.RolesKey),
            () => LoadAnyRoleHoldsAsync(caller.Roles, permission, cancellationToken), _ => true);
    }

    private async Task<bool> LoadAnyRoleHoldsAsync(IReadOnlyList<string> roles, string permission, CancellationToken cancellationToken)
    {
        return await store.QueryAsync(forReports: false, connection => connection.ExecuteScalarAsync<long>(store.Command(
            store.Dialect.AnyRoleHolds, new PermissionParameters(permission, BatchJson.Serialize(roles.ToList())), cancellationToken: cancellationToken)),
            cancellationToken) > 0;
    }
}
