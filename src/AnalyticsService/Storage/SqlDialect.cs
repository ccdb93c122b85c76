using System.Reflection;

namespace AnalyticsService.Storage;

/// <summary>
/// Everything that differs between the SQL engines: every statement the service sends, and how values are stored.
/// The code that runs them is shared, so both engines run the same calls with the same parameters.
/// Statements here that are plain SQL are written once, for both.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>Folder of this engine's migrations among the embedded resources ("migrations/Sqlite/").</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>Splits a migration script into the batches the engine takes one at a time (T-SQL's GO).</summary>
    public virtual IReadOnlyList<string> SplitBatches(string script) => [script];

    /// <summary>Run once at start-up, before the migrations and outside any transaction.</summary>
    public virtual SqlStatement<NoParameters>? Startup => null;

    /// <summary>Run on a connection before it writes batches (outside the transaction).</summary>
    public virtual SqlStatement<NoParameters>? BeforeBatches => null;

    /// <summary>
    /// Whether a write transaction holds the store's one write lock from its start (SQLite's BEGIN IMMEDIATE), so that no
    /// other writer's rooms can arrive while it runs: what lets a session started on a store without rooms count its
    /// rooms once at commit (WriteSession).
    /// </summary>
    public virtual bool OneWriterAtATime => false;

    /// <summary>1 when the store holds a room, else 0.</summary>
    public SqlStatement<NoParameters> AnyRoom { get; } = new("SELECT CASE WHEN EXISTS (SELECT 1 FROM rooms) THEN 1 ELSE 0 END");

    /// <summary>Taken first in each migration's transaction, so that instances starting together migrate one at a time.</summary>
    public virtual SqlStatement<NoParameters>? MigrationLock => null;

    public abstract SqlStatement<NoParameters> CreateMigrationsTable { get; }

    public SqlStatement<VersionParameters> MigrationApplied { get; } =
        new("SELECT COUNT(*) FROM schema_migrations WHERE version = @Version");

    public SqlStatement<MigrationParameters> RecordMigration { get; } =
        new("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)");

    /// <summary>
    /// Reads one row of every table the reports and the pipeline read: it fails when any of them cannot be read (a
    /// store truncated or replaced under the service), which SELECT 1 would not notice.
    /// </summary>
    public abstract SqlStatement<NoParameters> ReadinessCheck { get; }

    /// <summary>The tables <see cref="ReadinessCheck"/> reads.</summary>
    protected static readonly string[] ReadTables =
    [
        "rooms", "room_counts", "room_counts_hourly", "room_counts_all", "room_counts_all_hourly", "report_counts", "report_counts_hourly", "store_version", "users", "user_roles",
        "login_tokens", "permission_roles", "departments", "department_ancestors", "unit_monitors", "department_agents",
    ];

    /// <summary>The store's version: it changes with every committed write.</summary>
    public SqlStatement<NoParameters> StoreVersion { get; } = new("SELECT version FROM store_version WHERE id = 1");

    public SqlStatement<NoParameters> BumpStoreVersion { get; } = new("UPDATE store_version SET version = version + 1 WHERE id = 1");

    /// <summary>
    /// Stops the command running on an open connection when the token is cancelled (the call's client went away or its
    /// deadline passed). Disposing the registration ends it, before the connection goes back to the pool. Providers that
    /// honour a command's token themselves need nothing here.
    /// </summary>
    public virtual CancellationTokenRegistration StopCommandsOnCancel(System.Data.Common.DbConnection connection, CancellationToken cancellationToken) => default;

    /// <summary>Where a connection string points, for messages (a file; a server and database), without its credentials.</summary>
    public abstract string Location(string connectionString);

    /// <summary>How an instant is sent and stored.</summary>
    public abstract object Instant(DateTimeOffset value);

    /// <summary>The same for an instant in Unix milliseconds.</summary>
    public object Instant(long unixMilliseconds) => Instant(DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds));

    /// <summary>One period (an hour, a day: the period-th since the Unix epoch) as a range of instants.</summary>
    public RangeParameters Period(long period, long periodMilliseconds) =>
        new(Instant(period * periodMilliseconds), Instant((period + 1) * periodMilliseconds));

    /// <summary>A split range as its statements take it.</summary>
    public SplitRangeParameters Split(RangeSplit split) => new(Instant(split.Start), Instant(split.HeadEnd), Instant(split.TailStart),
        Instant(split.End), split.FirstHour, split.HeadHourEnd, split.TailHourStart, split.EndHour, split.FirstDay, split.EndDay);

    /// <summary>
    /// Counts per status of omnichannel rooms with Start &lt;= ts &lt; End: the whole days from room_counts, the whole
    /// hours around them from room_counts_hourly, the partial hours at the edges from rooms.
    /// </summary>
    public abstract SqlStatement<SplitRangeParameters> CountByStatus { get; }

    /// <summary>The same, limited to the rooms a restricted caller sees (<see cref="RoomScope"/>).</summary>
    public abstract SqlStatement<RestrictedSplitRangeParameters> CountByStatusRestricted { get; }

    /// <summary>
    /// What a split range (<see cref="SplitRangeParameters"/>) is counted from, joined by UNION ALL: cells(table, alias,
    /// period column, from, to) selects counts cells, rooms(from, to) the status columns of rooms, in the dialect's words.
    /// A restricted caller's cells are those kept per department (room_counts, room_counts_hourly); everyone else's
    /// those kept per period alone (room_counts_all, room_counts_all_hourly), one cell a day or an hour.
    /// </summary>
    protected static string SplitRangeParts(Func<string, string, string, string, string, string> cells, Func<string, string, string> rooms,
        bool restricted)
    {
        var (days, hours) = restricted ? ("room_counts", "room_counts_hourly") : ("room_counts_all", "room_counts_all_hourly");
        return $"""
        {cells(days, "dc", "day", "@FirstDay", "@EndDay")}
                UNION ALL
                {cells(hours, "hc", "hour", "@FirstHour", "@HeadHourEnd")}
                UNION ALL
                {cells(hours, "hc", "hour", "@TailHourStart", "@EndHour")}
                UNION ALL
                {rooms("@Start", "@HeadEnd")}
                UNION ALL
                {rooms("@TailStart", "@End")}
        """;
    }

    /// <summary>The plain way: every room of the range read, for comparison (benchmarks, tests).</summary>
    public abstract SqlStatement<RangeParameters> ScanByStatus { get; }

    public abstract SqlStatement<RestrictedRangeParameters> ScanByStatusRestricted { get; }

    // The other reports of the Reports page (docs/behaviour.md, "The other reports"): omnichannel rooms with
    // Start <= ts < End, unrestricted or as a restricted caller sees them.

    /// <summary>
    /// Rooms per (source.type, source.alias), each held as absent, null or a value (<see cref="SourceCountRow"/>), counted from
    /// the rooms: the plain way, for comparison (benchmarks); the report reads cells.
    /// </summary>
    public abstract SqlStatement<RangeParameters> CountBySource { get; }

    /// <summary>
    /// The by-department cells (<see cref="ReportKey"/>, as <c>ReportCellRow</c>) of the rooms a restricted caller sees in a
    /// split range, from the status counts kept per department (room_counts, room_counts_hourly: their cells are keyed by
    /// everything both the department report and the visibility rule read) and the partial hours' rooms.
    /// </summary>
    public abstract SqlStatement<RestrictedSplitRangeParameters> DepartmentCellsRestricted { get; }

    /// <summary>
    /// Rooms per department name, and (Unspecified = 1) those without a departmentId field (<see cref="LabelCountRow"/>),
    /// counted from the rooms: the plain way, for comparison (benchmarks); the report reads cells.
    /// </summary>
    public abstract SqlStatement<RangeParameters> CountByDepartment { get; }

    /// <summary>Tag uses per tag, and (Unspecified = 1) the rooms with no tags field or an empty one (<see cref="LabelCountRow"/>).</summary>
    public abstract SqlStatement<RangeParameters> CountByTags { get; }
    public abstract SqlStatement<RestrictedRangeParameters> CountByTagsRestricted { get; }

    /// <summary>Rooms per servedBy._id with the agent's name, and (Unspecified = 1) those without servedBy (<see cref="AgentCountRow"/>).</summary>
    public abstract SqlStatement<RangeParameters> CountByAgent { get; }
    public abstract SqlStatement<RestrictedRangeParameters> CountByAgentRestricted { get; }

    /// <summary>The user's username and roles (one row per role) if it holds a login token with that hash.</summary>
    public SqlStatement<CallerParameters> FindCaller { get; } = new("""
        SELECT u.username AS Username, ur.role_id AS RoleId
        FROM users u
        JOIN login_tokens t ON t.user_id = u.id AND t.hashed_token = @HashedToken
        LEFT JOIN user_roles ur ON ur.user_id = u.id
        WHERE u.id = @UserId
        """);

    /// <summary>How many of Roles hold Permission.</summary>
    public abstract SqlStatement<PermissionParameters> AnyRoleHolds { get; }

    public SqlStatement<NoParameters> CountUnits { get; } = new("SELECT COUNT(*) FROM departments WHERE type = 'u'");

    /// <summary>What restricts a user: the units it monitors and the departments it is an agent of.</summary>
    public SqlStatement<UserParameters> RestrictingIds { get; } = new("""
        SELECT unit_id FROM unit_monitors WHERE monitor_id = @UserId
        UNION
        SELECT department_id FROM department_agents WHERE agent_id = @UserId
        """);

    /// <summary>The stored departments that are among Units or have one of Units among their ancestors.</summary>
    public abstract SqlStatement<UnitsParameters> DepartmentsReachedBy { get; }

    /// <summary>Rooms an earlier release stored without what the current rules need: a re-import makes them exact.</summary>
    public SqlStatement<NoParameters> CountRoomsNeedingReimport { get; } = new("SELECT COUNT(*) FROM rooms WHERE needs_reimport = 1");

    /// <summary>Removes a user's login tokens but the newest Keep (by when they were made).</summary>
    public abstract SqlStatement<PruneTokensParameters> PruneLoginTokens { get; }

    public SqlStatement<UsernameParameters> UserIdByUsername { get; } = new("SELECT id FROM users WHERE username = @Username");

    public SqlStatement<NoParameters> CountRoomsAndUsers { get; } = new("SELECT (SELECT COUNT(*) FROM rooms) + (SELECT COUNT(*) FROM users)");

    // Batched writes, with the rows of BatchRows.cs.

    /// <summary>Ids among Ids already stored in a table.</summary>
    public abstract SqlStatement<IdsParameters> ExistingIds(StoreTable table);

    /// <summary>Permissions among Ids that some role holds.</summary>
    public abstract SqlStatement<IdsParameters> ExistingPermissions { get; }

    /// <summary>The next ids stored of a kind of document after one, in id order: the store read page by page.</summary>
    public abstract SqlStatement<IdPageParameters> StoredIds(DocumentKind kind);

    /// <summary>The stored state of the rooms among Ids, read before they are written again (and, where the engine can, locked).</summary>
    public abstract SqlStatement<IdsParameters> StoredRooms { get; }

    /// <summary>
    /// A report's cells over a range for a caller who sees every room, one row per key (<see cref="ReportKey"/>): whole days
    /// from report_counts, the whole hours around them from report_counts_hourly, the partial hours from rooms.
    /// </summary>
    public SqlStatement<SplitRangeParameters> ReportCells(ReportDimension report) =>
        (_reportCells ??= Enum.GetValues<ReportDimension>().ToDictionary(r => r, r => new SqlStatement<SplitRangeParameters>(ReportCellsSql(r, days: true))))[report];

    /// <summary>The same without the whole days, for when those are added up in memory (ReportTotals).</summary>
    public SqlStatement<HourRangeParameters> ReportEdgeCells(ReportDimension report) =>
        (_reportEdgeCells ??= Enum.GetValues<ReportDimension>().ToDictionary(r => r, r => new SqlStatement<HourRangeParameters>(ReportCellsSql(r, days: false))))[report];

    /// <summary>Only the partial hours' rooms, for when the whole hours and days are added up in memory too.</summary>
    public SqlStatement<PartialHourParameters> ReportPartialHourCells(ReportDimension report) =>
        (_reportPartialHourCells ??= Enum.GetValues<ReportDimension>().ToDictionary(r => r, r => new SqlStatement<PartialHourParameters>(ReportPartialHoursSql(r))))[report];

    private Dictionary<ReportDimension, SqlStatement<PartialHourParameters>>? _reportPartialHourCells;
    private Dictionary<ReportDimension, SqlStatement<SplitRangeParameters>>? _reportCells;
    private Dictionary<ReportDimension, SqlStatement<HourRangeParameters>>? _reportEdgeCells;

    /// <summary>How a dialect writes the pieces of a report-cells statement, whose shape is the same in both.</summary>
    protected sealed record ReportCellsShape(
        string Schema,                                               // "dbo." or ""
        Func<ReportDimension, string, string, bool, string> RoomKeys, // the cells of the rooms in [from, to), restricted or not
        Func<string, string, string, string> Visible,                 // whether (kind, id, ancestors) is seen by a restricted caller
        string One,                                                  // a room's count: 1 in the cells' type
        string Select,                                         // the outer select list
        string GroupBy);                                       // the outer grouping

    protected abstract ReportCellsShape ReportCellsIn { get; }

    /// <summary>
    /// The by-source cells (<see cref="ReportKey"/>, as <c>ReportCellRow</c>) of the rooms a restricted caller sees: the whole
    /// days from source_counts, the partial days at the edges from rooms.
    /// </summary>
    public SqlStatement<RestrictedDaySplitParameters> SourceCellsRestricted => _sourceCellsRestricted ??= new(SourceCellsRestrictedSql());

    private SqlStatement<RestrictedDaySplitParameters>? _sourceCellsRestricted;

    private string SourceCellsRestrictedSql() => CellsAddedUp(
        $"""
        SELECT c.k1_kind, c.k1, c.k2_kind, c.k2, c.total FROM {ReportCellsIn.Schema}source_counts c
                WHERE c.day >= @FirstDay AND c.day < @EndDay AND {ReportCellsIn.Visible("c.department_kind", "c.department_id", "NULLIF(c.department_ancestors, '')")}
        """,
        RoomCells(ReportDimension.Source, "@Start", "@HeadEnd", restricted: true),
        RoomCells(ReportDimension.Source, "@TailStart", "@End", restricted: true));

    /// <summary>A report-cells statement: its parts (each selecting k1_kind, k1, k2_kind, k2, total) added up per key.</summary>
    private string CellsAddedUp(params string[] parts) => $"""
        SELECT {ReportCellsIn.Select}
        FROM (
            {string.Join("\n    UNION ALL\n    ", parts)}
        ) AS s
        GROUP BY {ReportCellsIn.GroupBy}
        """;

    /// <summary>A report's cells of the rooms in [from, to), one per room and key, as a report-cells statement adds them up.</summary>
    private string RoomCells(ReportDimension report, string from, string to, bool restricted) =>
        $"SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, {ReportCellsIn.One} AS total FROM ({ReportCellsIn.RoomKeys(report, from, to, restricted)}) k";

    /// <summary>Adds to source_counts' cells (a restricted caller's by-source days).</summary>
    public abstract BatchStatement<SourceCountDeltaRow> AddToSourceCounts { get; }

    private string ReportPartialHoursSql(ReportDimension report) =>
        CellsAddedUp(RoomCells(report, "@Start", "@HeadEnd", restricted: false), RoomCells(report, "@TailStart", "@End", restricted: false));

    private string ReportCellsSql(ReportDimension report, bool days)
    {
        string Cells(string table, string period, string from, string to) => $"""
            SELECT {period[0]}.k1_kind, {period[0]}.k1, {period[0]}.k2_kind, {period[0]}.k2, {period[0]}.total FROM {ReportCellsIn.Schema}{table} {period[0]}
                WHERE {period[0]}.report = {(int)report} AND {period[0]}.{period} >= {from} AND {period[0]}.{period} < {to}
            """;
        return CellsAddedUp([
            .. days ? [Cells("report_counts", "day", "@FirstDay", "@EndDay")] : Array.Empty<string>(),
            Cells("report_counts_hourly", "hour", "@FirstHour", "@HeadHourEnd"),
            Cells("report_counts_hourly", "hour", "@TailHourStart", "@EndHour"),
            RoomCells(report, "@Start", "@HeadEnd", restricted: false),
            RoomCells(report, "@TailStart", "@End", restricted: false)]);
    }

    /// <summary>
    /// The omnichannel rooms created in [Start, End), in ts order, with everything their counts are keyed by: one hour of
    /// them is what EdgeHours holds to count a range's partial hours in memory, and a session that counts its rooms at
    /// commit reads them a day at a time.
    /// </summary>
    public abstract SqlStatement<RangeParameters> RoomsInRange { get; }

    /// <summary>
    /// The same rooms, only those a restricted caller sees: a day of them is what a scope's day totals are counted from
    /// (ReportTotals.ForScope), and what ScopeEdgeDays holds to count a range's partial days in memory.
    /// </summary>
    public abstract SqlStatement<RestrictedRangeParameters> RoomsInRangeRestricted { get; }

    /// <summary>
    /// room_counts_all's cells (the status counts per day, whatever the departments) of the days [From, To): what
    /// StatusTotals loads, all of them or the days writes changed.
    /// </summary>
    public SqlStatement<PeriodSpanParameters> StatusDayCells { get; } = new(StatusCells("room_counts_all", "day"));

    /// <summary>room_counts_all_hourly's cells (per hour) of the hours [From, To): what StatusTotals loads with the days.</summary>
    public SqlStatement<PeriodSpanParameters> StatusHourCells { get; } = new(StatusCells("room_counts_all_hourly", "hour"));

    private static string StatusCells(string table, string period) => $"""
        SELECT CAST({period} AS bigint) AS Period, CAST(total AS bigint) AS Total, CAST([open] AS bigint) AS [Open], CAST(queued AS bigint) AS Queued,
               CAST(on_hold AS bigint) AS OnHold, CAST(closed AS bigint) AS Closed
        FROM {table} WHERE {period} >= @From AND {period} < @To AND total <> 0
        """;

    /// <summary>Every non-zero cell of report_counts of the days [From, To): what ReportTotals loads.</summary>
    public abstract SqlStatement<PeriodSpanParameters> ReportDayCells { get; }

    /// <summary>Every non-zero cell of report_counts_hourly of the hours [From, To) (its hour as Day): what ReportTotals loads after the days.</summary>
    public abstract SqlStatement<PeriodSpanParameters> ReportHourCells { get; }

    /// <summary>The reports of report_counts, as the condition that lets a day or hour range seek its primary key (report first).</summary>
    protected static string AllReports { get; } = string.Join(", ", Enum.GetValues<ReportDimension>().Select(r => (int)r));

    /// <summary>
    /// Records, after the version bump of a write that changed counts, the days it changed (@Days) under its version, and
    /// keeps only the last @Keep versions' days (store_version.changes_from: migration 12).
    /// </summary>
    public abstract SqlStatement<ChangedDaysParameters> RecordChangedDays { get; }

    /// <summary>The version after which every write's changed days are recorded.</summary>
    public SqlStatement<NoParameters> ChangesFrom { get; } = new("SELECT changes_from FROM store_version WHERE id = 1");

    /// <summary>The days the writes committed after a version changed in the counts tables.</summary>
    public SqlStatement<SinceVersionParameters> ChangedDaysSince { get; } = new("SELECT DISTINCT day FROM count_change_days WHERE version > @Version");

    /// <summary>Departments' ids and names, to label the by-department cells.</summary>
    public SqlStatement<NoParameters> DepartmentNames { get; } = new("SELECT id AS Id, name AS Name FROM departments");

    /// <summary>Users' names by id, to label the by-agent cells.</summary>
    public abstract SqlStatement<IdsParameters> UserNames { get; }

    public abstract BatchStatement<ReportCountDeltaRow> AddToReportCounts { get; }

    /// <summary>Where following MongoDB has got to on one stream (sync_state), or nothing.</summary>
    public SqlStatement<StreamParameters> ReadSyncState { get; } =
        new("SELECT stream AS Stream, resume_token AS ResumeToken, watermark AS Watermark, applied_at AS AppliedAt FROM sync_state WHERE stream = @Stream");

    /// <summary>Records where a stream has got to, in the transaction of the changes it covers.</summary>
    public abstract SqlStatement<SyncStateParameters> SaveSyncState { get; }

    public abstract BatchStatement<ReportCountDeltaRow> AddToHourlyReportCounts { get; }

    /// <summary>Stored rooms in id order after @After, @Size of them: how migration 8 fills the report cells.</summary>
    public abstract SqlStatement<PageParameters> StoredRoomsPage { get; }

    /// <summary>Adds changes to room_counts' cells (Period: the day), creating the cells that do not exist yet.</summary>
    public abstract BatchStatement<CountDeltaRow> AddToRoomCounts { get; }

    /// <summary>The same for room_counts_hourly (Period: the hour).</summary>
    public abstract BatchStatement<CountDeltaRow> AddToHourlyRoomCounts { get; }

    /// <summary>Adds changes to room_counts_all's cells (Period: the day), whatever the rooms' departments.</summary>
    public abstract BatchStatement<PeriodCountDeltaRow> AddToAllRoomCounts { get; }

    /// <summary>The same for room_counts_all_hourly (Period: the hour).</summary>
    public abstract BatchStatement<PeriodCountDeltaRow> AddToAllHourlyRoomCounts { get; }

    public abstract BatchStatement<RoomRow> UpsertRooms { get; }

    /// <summary>Removes the rooms among Ids (a room no longer omnichannel); their counts are taken out by the caller.</summary>
    /// <summary>Deletes the documents among Ids (their lists are deleted with DeleteChildren).</summary>
    public abstract SqlStatement<IdsParameters> DeleteIds(StoreTable table);
    public abstract BatchStatement<UserRow> UpsertUsers { get; }
    public abstract BatchStatement<RoleRow> UpsertRoles { get; }
    public abstract BatchStatement<DepartmentRow> UpsertDepartments { get; }
    public abstract BatchStatement<UnitMonitorRow> UpsertUnitMonitors { get; }
    public abstract BatchStatement<DepartmentAgentRow> UpsertDepartmentAgents { get; }
    public abstract BatchStatement<LoginTokenRow> InsertLoginTokens { get; }

    /// <summary>Deletes the list entries of the parents in Ids.</summary>
    public abstract SqlStatement<IdsParameters> DeleteChildren(ChildTable table);

    /// <summary>Inserts (parent, child) pairs into a list table, ignoring pairs already there.</summary>
    public abstract BatchStatement<ChildRow> InsertChildren(ChildTable table);

    /// <summary>A statement the dialect can send, with the parameters its callers pass.</summary>
    public sealed record Statement(string Name, string Text, Type Parameters, bool AsJsonBatch);

    /// <summary>Every statement of this dialect, for the checks that read them all (the T-SQL catalog test).</summary>
    public IEnumerable<Statement> AllStatements()
    {
        foreach (var property in GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (Describe(property.Name, property.GetValue(this)) is { } statement)
                yield return statement;
        }
        foreach (var table in Enum.GetValues<StoreTable>())
        {
            yield return Describe($"{nameof(ExistingIds)}({table})", ExistingIds(table))!;
            yield return Describe($"{nameof(DeleteIds)}({table})", DeleteIds(table))!;
        }
        foreach (var kind in Enum.GetValues<DocumentKind>())
            yield return Describe($"{nameof(StoredIds)}({kind})", StoredIds(kind))!;
        foreach (var report in Enum.GetValues<ReportDimension>())
        {
            yield return Describe($"{nameof(ReportCells)}({report})", ReportCells(report))!;
            yield return Describe($"{nameof(ReportEdgeCells)}({report})", ReportEdgeCells(report))!;
            yield return Describe($"{nameof(ReportPartialHourCells)}({report})", ReportPartialHourCells(report))!;
        }
        foreach (var table in Enum.GetValues<ChildTable>())
        {
            yield return Describe($"{nameof(DeleteChildren)}({table})", DeleteChildren(table))!;
            yield return Describe($"{nameof(InsertChildren)}({table})", InsertChildren(table))!;
        }
    }

    private static Statement? Describe(string name, object? value)
    {
        var type = value?.GetType();
        if (type is not { IsGenericType: true })
            return null;
        var argument = type.GetGenericArguments()[0];
        if (type.GetGenericTypeDefinition() == typeof(SqlStatement<>))
            return new Statement(name, (string)type.GetProperty("Text")!.GetValue(value)!, argument, false);
        if (type.GetGenericTypeDefinition() == typeof(BatchStatement<>))
            return new Statement(name, (string)type.GetProperty("Text")!.GetValue(value)!, argument, (bool)type.GetProperty("AsJsonBatch")!.GetValue(value)!);
        return null;
    }
}

/// <summary>Tables whose rows are documents with an id column.</summary>
public enum StoreTable { Rooms, Users, Roles, Departments, UnitMonitors, DepartmentAgents }

/// <summary>Tables that hold a document's list; rows are (parent, child).</summary>
public enum ChildTable { UserRoles, LoginTokens, PermissionRoles, DepartmentAncestors }

public static class StoreTables
{
    public static string Name(StoreTable table) => table switch
    {
        StoreTable.Rooms => "rooms",
        StoreTable.Users => "users",
        StoreTable.Roles => "roles",
        StoreTable.Departments => "departments",
        StoreTable.UnitMonitors => "unit_monitors",
        StoreTable.DepartmentAgents => "department_agents",
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    /// <summary>Where a kind of document is stored, by its id: a permission is only its list of roles.</summary>
    public static (string Table, string Id) Of(DocumentKind kind) => kind switch
    {
        DocumentKind.Room => ("rooms", "id"),
        DocumentKind.User => ("users", "id"),
        DocumentKind.Role => ("roles", "id"),
        DocumentKind.Permission => ("permission_roles", "permission_id"),
        DocumentKind.Department => ("departments", "id"),
        DocumentKind.UnitMonitor => ("unit_monitors", "id"),
        DocumentKind.DepartmentAgent => ("department_agents", "id"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static (string Table, string Parent, string Child) Columns(ChildTable table) => table switch
    {
        ChildTable.UserRoles => ("user_roles", "user_id", "role_id"),
        ChildTable.LoginTokens => ("login_tokens", "user_id", "hashed_token"),
        ChildTable.PermissionRoles => ("permission_roles", "permission_id", "role_id"),
        ChildTable.DepartmentAncestors => ("department_ancestors", "department_id", "ancestor_id"),
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };
}
