using Dapper;

namespace AnalyticsService.Storage;

/// <summary>A user who presented a valid login token, with the global roles it holds.</summary>
public sealed record Caller(string UserId, string? Username, IReadOnlyList<string> Roles)
{
    /// <summary>The roles as one key, for caches of what a set of roles may do.</summary>
    public string RolesKey { get; } = string.Join('\n', Roles.Order(StringComparer.Ordinal));
}

/// <summary>A user id with the login token it presented.</summary>
public readonly record struct Credentials(string UserId, string Token);

/// <summary>Users, login tokens, roles and permissions.</summary>
public sealed class IdentityStore(Store store, AuthCache<Credentials, Caller> callers, AuthCache<(string Permission, string RolesKey), bool> grants)
{
    /// <summary>The user with this id if the hash of the token is one of its login tokens; otherwise null.</summary>
    /// <remarks>
    /// A kept caller is found by the token as presented, so a cached call hashes nothing; the token is held in memory
    /// no longer than the request that carried it already holds it in the server's header table.
    /// </remarks>
    public ValueTask<Caller?> FindCallerAsync(Credentials credentials, CancellationToken cancellationToken) =>
        callers.TryGet(credentials, out var caller) ? ValueTask.FromResult<Caller?>(caller) : LoadCallerAsync(credentials, cancellationToken);

    private async ValueTask<Caller?> LoadCallerAsync(Credentials credentials, CancellationToken cancellationToken)
    {
        var parameters = new CallerParameters(credentials.UserId, LoginTokens.Hash(credentials.Token));
        var rows = await store.QueryAsync(forReports: false, async connection => (await connection.QueryAsync<(string? Username, string? RoleId)>(
            store.Command(store.Dialect.FindCaller, parameters, cancellationToken: cancellationToken))).AsList(), cancellationToken);
        if (rows.Count == 0)
            return null;
        var caller = new Caller(credentials.UserId, rows[0].Username, rows.Where(r => r.RoleId is not null).Select(r => r.RoleId!).ToArray());
        callers.Keep(credentials, caller);
        return caller;
    }

    /// <summary>Whether any of the roles holds the permission (rocketchat_permissions).</summary>
    public ValueTask<bool> AnyRoleHoldsAsync(Caller caller, string permission, CancellationToken cancellationToken)
    {
        if (caller.Roles.Count == 0)
            return ValueTask.FromResult(false);
        return grants.TryGet((permission, caller.RolesKey), out var holds)
            ? ValueTask.FromResult(holds)
            : LoadAnyRoleHoldsAsync(caller, permission, cancellationToken);
    }

    private async ValueTask<bool> LoadAnyRoleHoldsAsync(Caller caller, string permission, CancellationToken cancellationToken)
    {
        var holds = await store.QueryAsync(forReports: false, connection => connection.ExecuteScalarAsync<long>(store.Command(
            store.Dialect.AnyRoleHolds, new PermissionParameters(permission, BatchJson.Serialize(caller.Roles.ToList())), cancellationToken: cancellationToken)),
            cancellationToken) > 0;
        grants.Keep((permission, caller.RolesKey), holds);
        return holds;
    }
}
