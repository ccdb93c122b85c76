using System.Data.Common;
using Dapper;

namespace AnalyticsService.Storage;

/// <summary>
/// How many documents of a batch were new, how many replaced a stored one, how many removed a stored one (a room no
/// longer omnichannel) and how many were not kept (a room never stored that is not omnichannel).
/// </summary>
public readonly record struct UpsertCounts(int Inserted, int Updated, int Removed = 0, int Skipped = 0)
{
    public static UpsertCounts operator +(UpsertCounts a, UpsertCounts b) =>
        new(a.Inserted + b.Inserted, a.Updated + b.Updated, a.Removed + b.Removed, a.Skipped + b.Skipped);
}

/// <summary>
/// Writes Rocket.Chat documents, upserted by _id. A document replaces what was stored for it, including its lists
/// (a user's roles and tokens, a room's department ancestors, a permission's roles).
/// </summary>
public sealed class StoreWriter(Store store)
{
    /// <summary>A transaction for many batches: nothing is visible until <see cref="WriteSession.CommitAsync"/>.</summary>
    public async Task<WriteSession> BeginAsync(CancellationToken cancellationToken = default)
    {
        var connection = await store.OpenAsync(cancellationToken);
        try
        {
            if (store.Dialect.BeforeBatches is { } setup)
                await connection.ExecuteAsync(store.Command(setup, cancellationToken: cancellationToken));
            return new WriteSession(store, connection, await connection.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task UpsertRoomsAsync(IEnumerable<RoomRecord> rooms, CancellationToken cancellationToken = default) =>
        InOneTransactionAsync((session, ct) => session.UpsertRoomsAsync(rooms.ToList(), ct), cancellationToken);

    public Task UpsertUsersAsync(IEnumerable<UserRecord> users, CancellationToken cancellationToken = default) =>
        InOneTransactionAsync((session, ct) => session.UpsertUsersAsync(users.ToList(), ct), cancellationToken);

    public Task UpsertPermissionsAsync(IEnumerable<PermissionRecord> permissions, CancellationToken cancellationToken = default) =>
        InOneTransactionAsync((session, ct) => session.UpsertPermissionsAsync(permissions.ToList(), ct), cancellationToken);

    public Task UpsertRolesAsync(IEnumerable<RoleRecord> roles, CancellationToken cancellationToken = default) =>
        InOneTransactionAsync((session, ct) => session.UpsertRolesAsync(roles.ToList(), ct), cancellationToken);

    public Task UpsertDepartmentsAsync(IEnumerable<DepartmentRecord> departments, CancellationToken cancellationToken = default) =>
        InOneTransactionAsync((session, ct) => session.UpsertDepartmentsAsync(departments.ToList(), ct), cancellationToken);

    public Task UpsertUnitMonitorsAsync(IEnumerable<UnitMonitorRecord> monitors, CancellationToken cancellationToken = default) =>
        InOneTransactionAsync((session, ct) => session.UpsertUnitMonitorsAsync(monitors.ToList(), ct), cancellationToken);

    public Task UpsertDepartmentAgentsAsync(IEnumerable<DepartmentAgentRecord> agents, CancellationToken cancellationToken = default) =>
        InOneTransactionAsync((session, ct) => session.UpsertDepartmentAgentsAsync(agents.ToList(), ct), cancellationToken);

    /// <summary>Adds one login token to a user, as a login does, keeping only its newest <paramref name="keep"/> tokens.</summary>
    public Task AddLoginTokenAsync(string userId, LoginTokenRecord token, int keep, CancellationToken cancellationToken = default) =>
        InOneTransactionAsync(async (session, ct) =>
        {
            await session.AddLoginTokenAsync(userId, token, ct);
            await session.PruneLoginTokensAsync(userId, keep, ct);
        }, cancellationToken);

    private async Task InOneTransactionAsync(Func<WriteSession, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(cancellationToken);
        await work(session, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }
}

/// <summary>
/// One open transaction of <see cref="StoreWriter"/>; disposed without commit, it leaves the store as it was.
/// Each batch is a few set-based statements whatever its size (see BatchRows.cs).
/// </summary>
public sealed class WriteSession(Store store, DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private SqlDialect Sql => store.Dialect;

    /// <summary>
    /// Writes rooms and, in the same transaction, what they change in room_counts and room_counts_hourly: the only way
    /// rooms are written. The store keeps omnichannel rooms only: a room of another type is not stored, and removes
    /// the stored room of its id (a room that stopped being omnichannel stops counting).
    /// </summary>
    public Task<UpsertCounts> UpsertRoomsAsync(IReadOnlyList<RoomRecord> rooms, CancellationToken cancellationToken) =>
        UpsertRoomRowsAsync(rooms.Select(RoomRow.Of).ToList(), cancellationToken);

    /// <summary>The same for rooms already in their stored form (an import makes them on its reading thread).</summary>
    public async Task<UpsertCounts> UpsertRoomRowsAsync(IReadOnlyList<RoomRow> rooms, CancellationToken cancellationToken)
    {
        var countAtCommit = await CountsAtCommitAsync(cancellationToken); // asked before the first write
        // The last document of an id wins, as in MongoDB; each room must enter the counts once.
        var rows = rooms as List<RoomRow> ?? rooms.ToList();
        if (rows.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count() != rows.Count)
            rows = rows.GroupBy(r => r.Id, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var mayBeStored = countAtCommit ? rows.Where(r => _writtenIds?.MayContain(r.Id) == true).ToList() : rows;
        var stored = mayBeStored.Count == 0 ? []
            : (await connection.QueryAsync<StoredRoom>(store.Command(Sql.StoredRooms, Ids(mayBeStored.Select(r => r.Id)), transaction, cancellationToken))).AsList();
        var storedIds = stored.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var kept = rows.Where(r => r.T == "l").ToList();
        var removed = rows.Where(r => r.T != "l" && storedIds.Contains(r.Id)).Select(r => r.Id).ToList();
        await ExecuteAsync(Sql.UpsertRooms, kept, cancellationToken);
        if (removed.Count > 0)
            await connection.ExecuteAsync(store.Command(Sql.DeleteIds(StoreTable.Rooms), Ids(removed), transaction, cancellationToken));

        if (countAtCommit)
        {
            foreach (var room in kept)
            {
                _roomDays.Add(RangeSplit.PeriodOf(room.Ts, RangeSplit.DayMilliseconds));
                (_writtenIds ??= new()).Add(room.Id);
            }
        }
        else
        {
            Recount(stored, kept);
            if (_countChanges.Sum(c => c.Changes.Cells) + _reportChanges.Cells + _sourceChanges.Cells > MaxPendingCells)
                await WriteCountChangesAsync(cancellationToken);
        }
        var updated = kept.Count(r => storedIds.Contains(r.Id));
        return new UpsertCounts(kept.Count - updated, updated + rooms.Count - rows.Count, removed.Count, rows.Count - kept.Count - removed.Count);
    }

    /// <summary>
    /// Deletes documents Rocket.Chat deleted (found in its trash): each stored document of the id, with its lists, and a
    /// room with its place in every count. Ids not stored are counted as skipped.
    /// </summary>
    public async Task<UpsertCounts> DeleteAsync(IReadOnlyList<DeletedDocument> deleted, CancellationToken cancellationToken)
    {
        var counts = default(UpsertCounts);
        foreach (var group in deleted.GroupBy(d => d.Kind))
        {
            var ids = group.Select(d => d.Id).Distinct(StringComparer.Ordinal).ToList();
            var removed = group.Key switch
            {
                DocumentKind.Room => await DeleteRoomsAsync(ids, cancellationToken),
                DocumentKind.User => await DeleteDocumentsAsync(StoreTable.Users, ids, [ChildTable.UserRoles, ChildTable.LoginTokens], cancellationToken),
                DocumentKind.Role => await DeleteDocumentsAsync(StoreTable.Roles, ids, [], cancellationToken),
                DocumentKind.Department => await DeleteDocumentsAsync(StoreTable.Departments, ids, [ChildTable.DepartmentAncestors], cancellationToken),
                DocumentKind.UnitMonitor => await DeleteDocumentsAsync(StoreTable.UnitMonitors, ids, [], cancellationToken),
                DocumentKind.DepartmentAgent => await DeleteDocumentsAsync(StoreTable.DepartmentAgents, ids, [], cancellationToken),
                _ => await DeletePermissionsAsync(ids, cancellationToken),
            };
            counts += new UpsertCounts(0, 0, removed, group.Count() - removed);
        }
        return counts;
    }

    // A session whose first room write finds the store without rooms (a first import, a full load from MongoDB into a new
    // store) does not count batch by batch: it counts its rooms once, at commit, a day at a time in ts order, so each cell
    // is written once, complete, where the batches' changes wrote the same cells again at every flush (a million rooms:
    // 7.5 million cell writes for 3.3 million cells). Only where the session's transaction has held the store's one write
    // lock since it began (OneWriterAtATime), so that the rooms it counts are its own.
    private bool? _countsAtCommit;
    private readonly HashSet<long> _roomDays = []; // the days of the rooms it wrote (one far from the others adds one day, not a span)

    // Such a session's rooms can only be stored when it wrote them itself: only the ids it may have written are looked up
    // (a million rooms: 3.2 s of lookups, each of which found nothing).
    private WrittenIds? _writtenIds;

    private async Task<bool> CountsAtCommitAsync(CancellationToken cancellationToken) =>
        _countsAtCommit ??= Sql.OneWriterAtATime
            && await connection.ExecuteScalarAsync<long>(store.Command(Sql.AnyRoom, transaction, cancellationToken)) == 0;

    /// <summary>
    /// Counts every room the session wrote into every counts table, a day of rooms at a time. A day's rooms are added up
    /// here while another thread writes the day before's cells, which are complete, then reads the next day's rooms: SQLite
    /// runs on one thread at a time (two threads stepping on the one connection made a million-room import 13 s slower).
    /// </summary>
    private async Task CountRoomsOnceAsync(CancellationToken cancellationToken)
    {
        // Only on SQLite (OneWriterAtATime), whose rows are read here without Dapper: most of the reading's time was Dapper's.
        using var reader = new SqliteRowReader<RangeParameters, StoredRoom>((Microsoft.Data.Sqlite.SqliteConnection)connection, Sql.RoomsInRange.Text);
        List<StoredRoom> Rooms(long day) => reader.Read(Sql.Period(day, RangeSplit.DayMilliseconds));
        var days = _roomDays.Order().ToList();
        if (days.Count == 0)
            return;
        var rooms = Rooms(days[0]);
        CellChanges? cells = null;
        for (var i = 0; i < days.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (before, next) = (cells, i + 1 < days.Count ? days[i + 1] : (long?)null);
            var sqlite = Task.Run(async () =>
            {
                if (before is not null)
                    await WriteAsync(before, cancellationToken);
                return next is { } day ? Rooms(day) : [];
            }, cancellationToken);
            try
            {
                Count(rooms);
                cells = TakeCountChanges();
            }
            finally
            {
                await Task.WhenAny(sqlite); // never leave it running on a connection about to be used or disposed
            }
            rooms = await sqlite;
        }
        await WriteAsync(cells!, cancellationToken);
    }

    /// <summary>Rooms leave the cells of their stored state and enter those of their new one, in every counts table.</summary>
    private void Recount(List<StoredRoom> leaving, List<RoomRow> entering)
    {
        foreach (var (_, _, changes) in _countChanges)
        {
            leaving.ForEach(changes.Remove);
            entering.ForEach(changes.Add);
        }
        leaving.ForEach(_reportChanges.Remove);
        entering.ForEach(_reportChanges.Add);
        leaving.ForEach(_sourceChanges.Remove);
        entering.ForEach(_sourceChanges.Add);
    }

    /// <summary>Stored rooms entering the cells, in every counts table.</summary>
    private void Count(List<StoredRoom> rooms)
    {
        foreach (var (_, _, changes) in _countChanges)
            rooms.ForEach(changes.Add);
        rooms.ForEach(_reportChanges.Add);
        rooms.ForEach(_sourceChanges.Add);
    }

    private async Task<int> DeleteRoomsAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var stored = (await connection.QueryAsync<StoredRoom>(store.Command(Sql.StoredRooms, Ids(ids), transaction, cancellationToken))).AsList();
        if (stored.Count == 0)
            return 0;
        if (!await CountsAtCommitAsync(cancellationToken))
            Recount(stored, []);
        await connection.ExecuteAsync(store.Command(Sql.DeleteIds(StoreTable.Rooms), Ids(stored.Select(r => r.Id)), transaction, cancellationToken));
        return stored.Count;
    }

    private async Task<int> DeleteDocumentsAsync(StoreTable table, List<string> ids, ChildTable[] lists, CancellationToken cancellationToken)
    {
        var existing = await ExistingIdsAsync(table, ids, cancellationToken);
        if (existing.Count == 0)
            return 0;
        foreach (var list in lists)
            await DeleteChildrenAsync(list, existing, cancellationToken);
        await connection.ExecuteAsync(store.Command(Sql.DeleteIds(table), Ids(existing), transaction, cancellationToken));
        return existing.Count;
    }

    // A permission is its list of roles (see UpsertPermissionsAsync): deleting it empties the list.
    private async Task<int> DeletePermissionsAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var existing = (await connection.QueryAsync<string>(store.Command(Sql.ExistingPermissions, Ids(ids), transaction, cancellationToken)))
            .ToHashSet(StringComparer.Ordinal);
        await DeleteChildrenAsync(ChildTable.PermissionRoles, existing, cancellationToken);
        return existing.Count;
    }

    public async Task<UpsertCounts> UpsertUsersAsync(IReadOnlyList<UserRecord> users, CancellationToken cancellationToken)
    {
        var existing = await ExistingIdsAsync(StoreTable.Users, users.Select(u => u.Id), cancellationToken);
        await ExecuteAsync(Sql.UpsertUsers, Batch(users.Select(u => new UserRow(u.Id, u.Username, u.Name, u.Active))), cancellationToken);
        await ReplaceChildrenAsync(ChildTable.UserRoles, existing, users.SelectMany(u => u.Roles.Select(r => new ChildRow(u.Id, r))), cancellationToken);
        await DeleteChildrenAsync(ChildTable.LoginTokens, existing, cancellationToken);
        await ExecuteAsync(Sql.InsertLoginTokens, Batch(users.SelectMany(u =>
            u.LoginTokens.Select(t => new LoginTokenRow(u.Id, t.HashedToken, Ms(t.When))))), cancellationToken);
        return Counts(users.Count, existing);
    }

    public Task AddLoginTokenAsync(string userId, LoginTokenRecord token, CancellationToken cancellationToken) =>
        ExecuteAsync(Sql.InsertLoginTokens, Batch([new LoginTokenRow(userId, token.HashedToken, Ms(token.When))]), cancellationToken);

    public Task PruneLoginTokensAsync(string userId, int keep, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(store.Command(Sql.PruneLoginTokens, new PruneTokensParameters(userId, keep), transaction, cancellationToken));

    public async Task<UpsertCounts> UpsertPermissionsAsync(IReadOnlyList<PermissionRecord> permissions, CancellationToken cancellationToken)
    {
        // A permission is only its list of roles: it "exists" when some role holds it.
        var existing = (await connection.QueryAsync<string>(store.Command(Sql.ExistingPermissions,
            Ids(permissions.Select(p => p.Id).Distinct()), transaction, cancellationToken))).ToHashSet(StringComparer.Ordinal);
        await DeleteChildrenAsync(ChildTable.PermissionRoles, permissions.Select(p => p.Id).ToHashSet(StringComparer.Ordinal), cancellationToken);
        await ExecuteAsync(Sql.InsertChildren(ChildTable.PermissionRoles),
            Batch(permissions.SelectMany(p => p.Roles.Select(r => new ChildRow(p.Id, r)))), cancellationToken);
        return Counts(permissions.Count, existing);
    }

    public async Task<UpsertCounts> UpsertRolesAsync(IReadOnlyList<RoleRecord> roles, CancellationToken cancellationToken)
    {
        var existing = await ExistingIdsAsync(StoreTable.Roles, roles.Select(r => r.Id), cancellationToken);
        await ExecuteAsync(Sql.UpsertRoles, Batch(roles.Select(r => new RoleRow(r.Id, r.Name, r.Scope))), cancellationToken);
        return Counts(roles.Count, existing);
    }

    public async Task<UpsertCounts> UpsertDepartmentsAsync(IReadOnlyList<DepartmentRecord> departments, CancellationToken cancellationToken)
    {
        var existing = await ExistingIdsAsync(StoreTable.Departments, departments.Select(d => d.Id), cancellationToken);
        await ExecuteAsync(Sql.UpsertDepartments, Batch(departments.Select(d => new DepartmentRow(d.Id, d.Name, d.Type))), cancellationToken);
        await ReplaceChildrenAsync(ChildTable.DepartmentAncestors, existing,
            departments.SelectMany(d => (d.Ancestors ?? []).Select(a => new ChildRow(d.Id, a))), cancellationToken);
        return Counts(departments.Count, existing);
    }

    public async Task<UpsertCounts> UpsertUnitMonitorsAsync(IReadOnlyList<UnitMonitorRecord> monitors, CancellationToken cancellationToken)
    {
        var existing = await ExistingIdsAsync(StoreTable.UnitMonitors, monitors.Select(m => m.Id), cancellationToken);
        await ExecuteAsync(Sql.UpsertUnitMonitors, Batch(monitors.Select(m => new UnitMonitorRow(m.Id, m.UnitId, m.MonitorId, m.Username))), cancellationToken);
        return Counts(monitors.Count, existing);
    }

    public async Task<UpsertCounts> UpsertDepartmentAgentsAsync(IReadOnlyList<DepartmentAgentRecord> agents, CancellationToken cancellationToken)
    {
        var existing = await ExistingIdsAsync(StoreTable.DepartmentAgents, agents.Select(a => a.Id), cancellationToken);
        await ExecuteAsync(Sql.UpsertDepartmentAgents,
            Batch(agents.Select(a => new DepartmentAgentRow(a.Id, a.AgentId, a.DepartmentId, a.Username, a.DepartmentEnabled))), cancellationToken);
        return Counts(agents.Count, existing);
    }

    // What the session's room writes change in room_counts and room_counts_hourly, added up over its batches and
    // written before it commits: a cell many batches touch is written once (measured, a million rooms in random time
    // order: 15.9 s, where writing both tables' cells per batch took 24.0 s and the daily ones alone 18.5 s). Bounded,
    // for sessions of any size (peak resident memory of that import: 345 MB; 324 MB with 50,000; 280 MB per batch).
    // Each with its table per period alone (room_counts_all, room_counts_all_hourly, which unrestricted callers read),
    // whose changes are the per-department ones added up per period as they are written.
    private readonly (BatchStatement<CountDeltaRow> ByDepartment, BatchStatement<PeriodCountDeltaRow> ByPeriod, CountChanges Changes)[] _countChanges =
    [
        (store.Dialect.AddToRoomCounts, store.Dialect.AddToAllRoomCounts, new CountChanges(RangeSplit.DayMilliseconds)),
        (store.Dialect.AddToHourlyRoomCounts, store.Dialect.AddToAllHourlyRoomCounts, new CountChanges(RangeSplit.HourMilliseconds)),
    ];
    private const int MaxPendingCells = 200_000;

    // The same for the other four reports' cells (report_counts, report_counts_hourly).
    private readonly ReportCountChanges _reportChanges = new(RangeSplit.DayMilliseconds, RangeSplit.HourMilliseconds);
    private readonly BatchStatement<ReportCountDeltaRow>[] _reportStatements = [store.Dialect.AddToReportCounts, store.Dialect.AddToHourlyReportCounts];

    // The by-source cells per department of restricted callers (source_counts), by day only.
    private readonly SourceCountChanges _sourceChanges = new();

    /// <summary>
    /// Counts rooms already stored into the report cells, as if they were being written now: how migration 8 fills
    /// report_counts for a store made before it, in that migration's transaction.
    /// </summary>
    public Task CountStoredRoomsIntoReportCellsAsync(CancellationToken cancellationToken) =>
        CountStoredRoomsAsync(_reportChanges.Add, () => _reportChanges.Cells, cancellationToken);

    /// <summary>The same into source_counts: how migration 11 fills it.</summary>
    public Task CountStoredRoomsIntoSourceCellsAsync(CancellationToken cancellationToken) =>
        CountStoredRoomsAsync(_sourceChanges.Add, () => _sourceChanges.Cells, cancellationToken);

    private async Task CountStoredRoomsAsync(Action<StoredRoom> add, Func<int> pending, CancellationToken cancellationToken)
    {
        var after = "";
        while (true)
        {
            var page = (await connection.QueryAsync<StoredRoom>(store.Command(Sql.StoredRoomsPage, new PageParameters(after, 5_000), transaction,
                cancellationToken))).AsList();
            if (page.Count == 0)
                break;
            page.ForEach(add);
            after = page[^1].Id;
            if (pending() > MaxPendingCells)
                await WriteCountChangesAsync(cancellationToken); // only the cells counted into have changes to write
        }
        await WriteCountChangesAsync(cancellationToken);
        ReleaseStatements(); // the migrator owns the connection and transaction, and keeps using them
    }

    private void ReleaseStatements()
    {
        foreach (var statement in _prepared.Values)
            statement.Dispose();
        _prepared.Clear();
    }

    /// <summary>The cells of every counts table with pending changes, taken: the changes are no longer pending.</summary>
    private sealed record CellChanges(List<ReportCountDeltaRow>[] Reports, List<SourceCountDeltaRow> Sources, List<CountDeltaRow>[] Status);

    private CellChanges TakeCountChanges() => new(
        [.. _reportStatements.Select((_, period) => _reportChanges.TakeRows(period))], _sourceChanges.TakeRows(), Array.ConvertAll(_countChanges, c => c.Changes.TakeRows()));

    private async Task WriteAsync(CellChanges cells, CancellationToken cancellationToken)
    {
        NoteChangedDays(cells);
        for (var i = 0; i < _reportStatements.Length; i++)
            await ExecuteAsync(_reportStatements[i], cells.Reports[i], cancellationToken);
        await ExecuteAsync(Sql.AddToSourceCounts, cells.Sources, cancellationToken);
        for (var i = 0; i < _countChanges.Length; i++)
        {
            await ExecuteAsync(_countChanges[i].ByDepartment, cells.Status[i], cancellationToken);
            await ExecuteAsync(_countChanges[i].ByPeriod, PeriodCountDeltaRow.Totals(cells.Status[i]), cancellationToken);
        }
    }

    private Task WriteCountChangesAsync(CancellationToken cancellationToken) => WriteAsync(TakeCountChanges(), cancellationToken);

    // The days whose cells the session changed in any counts table (an hour's cells change with its day's), recorded under
    // its version at commit: a service holding the totals in memory then reads those days again, not every cell.
    private readonly SortedSet<long> _changedDays = [];

    /// <summary>
    /// How many versions' changed days the store keeps (count_change_days): a service whose totals are older than that
    /// reads every cell again. Ten thousand commits: some hours of a busy sync, and a few hundred kilobytes.
    /// </summary>
    public const long KeptChangeVersions = 10_000;

    private void NoteChangedDays(CellChanges cells)
    {
        foreach (var row in cells.Reports[0])
            _changedDays.Add(row.Period);
        foreach (var row in cells.Reports[1])
            _changedDays.Add(RangeSplit.DayOfHour(row.Period));
        foreach (var row in cells.Sources)
            _changedDays.Add(row.Period);
        foreach (var row in cells.Status[0])
            _changedDays.Add(row.Period);
        foreach (var row in cells.Status[1])
            _changedDays.Add(RangeSplit.DayOfHour(row.Period));
    }

    /// <summary>Records where a stream has got to: committed with the changes of this session, or not at all.</summary>
    public Task SaveSyncStateAsync(string stream, string? resumeToken, long? watermark, DateTimeOffset appliedAt, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(store.Command(Sql.SaveSyncState, new SyncStateParameters(stream, resumeToken, watermark, appliedAt.ToUnixTimeMilliseconds()),
            transaction, cancellationToken));

    /// <summary>Commits, with a new store version so that readers know their kept answers are out of date.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_countsAtCommit == true)
            await CountRoomsOnceAsync(cancellationToken);
        await WriteCountChangesAsync(cancellationToken);
        await connection.ExecuteAsync(store.Command(Sql.BumpStoreVersion, transaction, cancellationToken));
        if (_changedDays.Count > 0)
            await connection.ExecuteAsync(store.Command(Sql.RecordChangedDays,
                new ChangedDaysParameters(BatchJson.Serialize(_changedDays.ToList()), KeptChangeVersions), transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseStatements();
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private static UpsertCounts Counts(int batch, HashSet<string> existing) => new(batch - existing.Count, existing.Count);

    private static long? Ms(DateTimeOffset? instant) => instant?.ToUnixTimeMilliseconds();

    private static List<T> Batch<T>(IEnumerable<T> rows) => rows.ToList();

    private static IdsParameters Ids(IEnumerable<string> ids) => new(BatchJson.Serialize(ids.ToList()));

    private async Task<HashSet<string>> ExistingIdsAsync(StoreTable table, IEnumerable<string> ids, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<string>(store.Command(Sql.ExistingIds(table), Ids(ids.Distinct()), transaction, cancellationToken)))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Replaces the lists of a batch's documents: the stored ones' old entries go, the new entries come.</summary>
    private async Task ReplaceChildrenAsync(ChildTable table, HashSet<string> existingParents, IEnumerable<ChildRow> rows, CancellationToken cancellationToken)
    {
        await DeleteChildrenAsync(table, existingParents, cancellationToken);
        await ExecuteAsync(Sql.InsertChildren(table), Batch(rows), cancellationToken);
    }

    private Task DeleteChildrenAsync(ChildTable table, HashSet<string> parents, CancellationToken cancellationToken) =>
        parents.Count == 0 ? Task.CompletedTask : connection.ExecuteAsync(store.Command(Sql.DeleteChildren(table), Ids(parents), transaction, cancellationToken));

    /// <summary>Runs a batch statement for rows: all at once as one JSON parameter, or prepared once and run per row.</summary>
    private async Task ExecuteAsync<T>(BatchStatement<T> statement, List<T> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        if (statement.AsJsonBatch)
        {
            await connection.ExecuteAsync(store.Command(new SqlStatement<BatchParameters>(statement.Text), new BatchParameters(BatchJson.Serialize(rows)),
                transaction, cancellationToken));
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        // Only SQLite's statements run per row (an in-process engine: one prepared statement per row beats any batch
        // parameter there); SQL Server's take their batch as one JSON parameter.
        if (!_prepared.TryGetValue(statement.Text, out var prepared))
            _prepared[statement.Text] = prepared = new SqliteRowStatement<T>((Microsoft.Data.Sqlite.SqliteConnection)connection, statement.Text);
        ((SqliteRowStatement<T>)prepared).Run(rows);
    }

    private readonly Dictionary<string, IDisposable> _prepared = new(StringComparer.Ordinal);
}
