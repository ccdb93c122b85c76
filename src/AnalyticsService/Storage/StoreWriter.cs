using System.Data.Common;
using Dapper;

namespace AnalyticsService.Storage;

/// <summary>
/// Upserts documents by _id, each batch in one transaction. A document replaces what was stored for it,
/// including its lists (a user's roles and tokens, a room's department ancestors).
/// </summary>
public sealed class StoreWriter(Store store)
{
    private SqlDialect Sql => store.Dialect;

    public Task UpsertRoomsAsync(IEnumerable<RoomRecord> rooms, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var room in rooms)
            {
                await connection.ExecuteAsync(store.Command(Sql.UpsertRoom, new
                {
                    room.Id,
                    room.Type,
                    Ts = Sql.Instant(room.Ts),
                    room.Open,
                    room.OnHold,
                    room.ServedById,
                    room.ServedByUsername,
                    ServedByTs = room.ServedByTs is { } served ? Sql.Instant(served) : null,
                    room.ChatDuration,
                    ClosedAt = room.ClosedAt is { } closed ? Sql.Instant(closed) : null,
                    room.DepartmentId,
                    room.SourceType,
                }, transaction, cancellationToken));
                await ReplaceChildrenAsync(connection, transaction, "room_department_ancestors", "room_id", "department_id",
                    room.Id, room.DepartmentAncestors ?? [], cancellationToken);
            }
        }, cancellationToken);

    public Task UpsertUsersAsync(IEnumerable<UserRecord> users, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var user in users)
            {
                await connection.ExecuteAsync(store.Command(Sql.UpsertUser, new { user.Id, user.Username, user.Name, user.Active }, transaction, cancellationToken));
                await ReplaceChildrenAsync(connection, transaction, "user_roles", "user_id", "role_id", user.Id, user.Roles, cancellationToken);
                await connection.ExecuteAsync(store.Command("DELETE FROM login_tokens WHERE user_id = @Id", new { user.Id }, transaction, cancellationToken));
                await connection.ExecuteAsync(store.Command(
                    "INSERT INTO login_tokens (user_id, hashed_token, created_at) VALUES (@UserId, @HashedToken, @CreatedAt)",
                    user.LoginTokens.DistinctBy(t => t.HashedToken).Select(t => new
                    {
                        UserId = user.Id,
                        t.HashedToken,
                        CreatedAt = t.When is { } when ? Sql.Instant(when) : null,
                    }), transaction, cancellationToken));
            }
        }, cancellationToken);

    /// <summary>Adds one login token to a user, as a login does.</summary>
    public Task AddLoginTokenAsync(string userId, LoginTokenRecord token, CancellationToken cancellationToken = default) =>
        InTransactionAsync((connection, transaction) => connection.ExecuteAsync(store.Command(
            "INSERT INTO login_tokens (user_id, hashed_token, created_at) VALUES (@UserId, @HashedToken, @CreatedAt)",
            new { UserId = userId, token.HashedToken, CreatedAt = token.When is { } when ? Sql.Instant(when) : null },
            transaction, cancellationToken)), cancellationToken);

    public Task UpsertPermissionsAsync(IEnumerable<PermissionRecord> permissions, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var permission in permissions)
                await ReplaceChildrenAsync(connection, transaction, "permission_roles", "permission_id", "role_id", permission.Id, permission.Roles, cancellationToken);
        }, cancellationToken);

    public Task UpsertRolesAsync(IEnumerable<RoleRecord> roles, CancellationToken cancellationToken = default) =>
        InTransactionAsync((connection, transaction) =>
            connection.ExecuteAsync(store.Command(Sql.UpsertRole, roles, transaction, cancellationToken)), cancellationToken);

    public Task UpsertDepartmentsAsync(IEnumerable<DepartmentRecord> departments, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var department in departments)
            {
                await connection.ExecuteAsync(store.Command(Sql.UpsertDepartment, new { department.Id, department.Name, department.Type }, transaction, cancellationToken));
                await ReplaceChildrenAsync(connection, transaction, "department_ancestors", "department_id", "ancestor_id",
                    department.Id, department.Ancestors ?? [], cancellationToken);
            }
        }, cancellationToken);

    public Task UpsertUnitMonitorsAsync(IEnumerable<UnitMonitorRecord> monitors, CancellationToken cancellationToken = default) =>
        InTransactionAsync((connection, transaction) =>
            connection.ExecuteAsync(store.Command(Sql.UpsertUnitMonitor, monitors, transaction, cancellationToken)), cancellationToken);

    // Table and column names come from the callers above, never from input.
    private async Task ReplaceChildrenAsync(DbConnection connection, DbTransaction transaction, string table, string parentColumn, string childColumn,
        string parentId, IEnumerable<string> children, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(store.Command($"DELETE FROM {table} WHERE {parentColumn} = @ParentId", new { ParentId = parentId }, transaction, cancellationToken));
        await connection.ExecuteAsync(store.Command(
            $"INSERT INTO {table} ({parentColumn}, {childColumn}) VALUES (@ParentId, @ChildId)",
            children.Distinct().Select(child => new { ParentId = parentId, ChildId = child }), transaction, cancellationToken));
    }

    private async Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
    }
}
