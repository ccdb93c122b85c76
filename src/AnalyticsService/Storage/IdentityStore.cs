using Dapper;

namespace AnalyticsService.Storage;

/// <summary>A user who presented a valid login token, with the global roles it holds.</summary>
public sealed record Caller(string UserId, string? Username, IReadOnlyList<string> Roles);

/// <summary>Users, login tokens, roles and permissions.</summary>
public sealed class IdentityStore(Store store)
{
    /// <summary>The user with this id if one of its login tokens has this hash; otherwise null.</summary>
    public async Task<Caller?> FindCallerAsync(string userId, string hashedToken, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string? Username, string? RoleId)>(store.Command("""
            SELECT u.username AS Username, ur.role_id AS RoleId
            FROM users u
            JOIN login_tokens t ON t.user_id = u.id AND t.hashed_token = @HashedToken
            LEFT JOIN user_roles ur ON ur.user_id = u.id
            WHERE u.id = @UserId
            """, new { UserId = userId, HashedToken = hashedToken }, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
            return null;
        var roles = rows.Where(r => r.RoleId is not null).Select(r => r.RoleId!).ToArray();
        return new Caller(userId, rows[0].Username, roles);
    }

    /// <summary>Whether any of the roles holds the permission (rocketchat_permissions).</summary>
    public async Task<bool> AnyRoleHoldsAsync(IReadOnlyList<string> roles, string permission, CancellationToken cancellationToken)
    {
        if (roles.Count == 0)
            return false;
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(store.Command(
            "SELECT COUNT(*) FROM permission_roles WHERE permission_id = @Permission AND role_id IN @Roles",
            new { Permission = permission, Roles = roles }, cancellationToken: cancellationToken)) > 0;
    }
}
