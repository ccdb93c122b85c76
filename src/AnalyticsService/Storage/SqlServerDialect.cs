using System.Data;
using System.Text.RegularExpressions;
using Dapper;

namespace AnalyticsService.Storage;

/// <summary>
/// SQL Server (2016 or later, compatibility level 130+ for OPENJSON): instants as datetime2(3) in UTC, and every
/// batch as one JSON parameter read with OPENJSON, so a batch of thousands of rows is one round trip of
/// set-based statements.
/// </summary>
public sealed partial class SqlServerDialect : SqlDialect
{
    static SqlServerDialect() =>
        // Dapper sends DateTime as datetime by default, which rounds to 1/300 s; the columns are datetime2(3).
        SqlMapper.AddTypeMap(typeof(DateTime), DbType.DateTime2);

    public override string MigrationFolder => "migrations/SqlServer/";

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex BatchSeparator();

    public override IReadOnlyList<string> SplitBatches(string script) =>
        BatchSeparator().Split(script).Where(batch => batch.Trim().Length > 0).ToList();

    public override SqlStatement<NoParameters> MigrationLock { get; } = new(
        "EXEC sp_getapplock @Resource = N'analytics-schema-migrations', @LockMode = N'Exclusive', @LockOwner = N'Transaction'");

    public override SqlStatement<NoParameters> CreateMigrationsTable { get; } = new("""
        IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NULL
            CREATE TABLE dbo.schema_migrations (
                version    int           NOT NULL CONSTRAINT pk_schema_migrations PRIMARY KEY,
                name       varchar(200)  NOT NULL,
                applied_at datetime2(3)  NOT NULL
            )
        """);

    public override object Instant(DateTimeOffset value) => value.UtcDateTime;

    public override SqlStatement<NoParameters> ReadinessCheck { get; } =
        new("SELECT " + string.Join(", ", ReadTables.Select(table => $"(SELECT TOP 1 1 FROM dbo.{table})")));

    public override string Location(string connectionString) =>
        new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString) is var builder ? $"{builder.DataSource}/{builder.InitialCatalog}" : "";

    // Unix milliseconds (how batches carry instants) to datetime2(3), exact for any instant of years 0001 to 9999.
    private static string FromMilliseconds(string column) =>
        $"DATEADD(millisecond, {column} % 86400000, DATEADD(day, {column} / 86400000, CAST('19700101' AS datetime2(3))))";

    private const string UnitIds = "SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$')";

    /// <summary>Whether a row (of rooms, or a counts cell) is visible to a restricted caller (see the SQLite dialect).</summary>
    private static string Visible(string kind, string departmentId, string ancestors) => $"""
        ({kind} = 0
                 OR ({kind} = 2 AND {departmentId} IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
                 OR EXISTS (SELECT 1 FROM OPENJSON({ancestors}) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN ({UnitIds})))
        """;

    private static string Counts(bool restricted)
    {
        string Cells(string table, string c, string period, string from, string to) => $"""
            SELECT {c}.total AS total, {c}.[open] AS is_open, {c}.queued AS is_queued, {c}.on_hold AS is_on_hold, {c}.closed AS is_closed
                FROM dbo.{table} {c}
                WHERE {c}.{period} >= {from} AND {c}.{period} < {to}{(restricted ? " AND " + Visible($"{c}.department_kind", $"{c}.department_id", $"NULLIF({c}.department_ancestors, '')") : "")}
            """;
        string Rooms(string from, string to) => $"""
            SELECT CAST(1 AS bigint), CAST(r.is_open AS bigint), CAST(r.is_queued AS bigint), CAST(r.is_on_hold AS bigint), CAST(r.is_closed AS bigint)
                FROM dbo.rooms r
                WHERE {RoomsIn(from, to, restricted)}
            """;
        return $"""
            SELECT COALESCE(SUM(s.total), 0) AS Total, COALESCE(SUM(s.is_open), 0) AS [Open], COALESCE(SUM(s.is_queued), 0) AS Queued,
                   COALESCE(SUM(s.is_on_hold), 0) AS OnHold, COALESCE(SUM(s.is_closed), 0) AS Closed
            FROM (
                {SplitRangeParts(Cells, Rooms, restricted)}
            ) AS s
            """;
    }

    public override SqlStatement<SplitRangeParameters> CountByStatus { get; } = new(Counts(restricted: false));

    public override SqlStatement<RestrictedSplitRangeParameters> CountByStatusRestricted { get; } = new(Counts(restricted: true));

    private static string Scan(bool restricted) => $"""
        SELECT COUNT_BIG(*) AS Total, COALESCE(SUM(CAST(r.is_open AS bigint)), 0) AS [Open], COALESCE(SUM(CAST(r.is_queued AS bigint)), 0) AS Queued,
               COALESCE(SUM(CAST(r.is_on_hold AS bigint)), 0) AS OnHold, COALESCE(SUM(CAST(r.is_closed AS bigint)), 0) AS Closed
        FROM dbo.rooms r
        WHERE {InRange(restricted)}
        """;

    public override SqlStatement<RangeParameters> ScanByStatus { get; } = new(Scan(restricted: false));

    public override SqlStatement<RestrictedRangeParameters> ScanByStatusRestricted { get; } = new(Scan(restricted: true));

    /// <summary>The omnichannel rooms r with from &lt;= ts &lt; to, only those a restricted caller sees when it is one.</summary>
    private static string RoomsIn(string from, string to, bool restricted) =>
        $"r.t = 'l' AND r.ts >= {from} AND r.ts < {to}" + (restricted ? " AND " + Visible("r.department_kind", "r.department_id", "r.department_ancestors") : "");

    private static string InRange(bool restricted) => RoomsIn("@Start", "@End", restricted);

    // Labels are grouped by their bytes: MongoDB tells "Sales" from "sales" and "a" from "a ", which the default
    // collation and SQL's trailing-space rule would merge.
    private static string ByBytes(string column) => $"CONVERT(varbinary(8000), {column})";

    private static string BySource() => $"""
        SELECT r.source_type_kind AS TypeKind, MIN(r.source_type) AS Type, r.source_alias_kind AS AliasKind, MIN(r.source_alias) AS Alias,
               COUNT_BIG(*) AS Total
        FROM dbo.rooms r
        WHERE {InRange(false)} AND r.source_kind <> 0
        GROUP BY r.source_type_kind, {ByBytes("r.source_type")}, r.source_alias_kind, {ByBytes("r.source_alias")}
        """;

    public override SqlStatement<RangeParameters> CountBySource { get; } = new(BySource());

    private static string ByDepartment() => $"""
        SELECT 0 AS Unspecified, MIN(d.name) AS Label, COUNT_BIG(*) AS Total
        FROM dbo.rooms r JOIN dbo.departments d ON d.id = r.department_id
        WHERE {InRange(false)} AND r.department_kind = 2
        GROUP BY {ByBytes("d.name")}
        UNION ALL
        SELECT 1, NULL, COUNT_BIG(*) FROM dbo.rooms r WHERE {InRange(false)} AND r.department_kind = 0
        """;

    // A department cell as ReportKey.ForEach makes it: the id when it is a value, unspecified when absent, none when null.
    private static string DepartmentCells()
    {
        string Cells(string table, string c, string period, string from, string to) => $"""
            SELECT CAST({c}.department_kind AS bigint) AS department_kind, {c}.department_id AS department_id, CAST({c}.total AS bigint) AS total
                FROM dbo.{table} {c}
                WHERE {c}.{period} >= {from} AND {c}.{period} < {to} AND {Visible($"{c}.department_kind", $"{c}.department_id", $"NULLIF({c}.department_ancestors, '')")}
            """;
        string Rooms(string from, string to) => $"""
            SELECT CAST(r.department_kind AS bigint), COALESCE(r.department_id, ''), CAST(1 AS bigint)
                FROM dbo.rooms r
                WHERE {RoomsIn(from, to, true)}
            """;
        return $"""
            SELECT s.department_kind AS K1Kind, MIN(s.department_id) AS K1, CAST(0 AS bigint) AS K2Kind, '' AS K2, SUM(s.total) AS Total
            FROM (
                {SplitRangeParts(Cells, Rooms, restricted: true)}
            ) AS s
            WHERE s.department_kind <> 1
            GROUP BY s.department_kind, {ByBytes("s.department_id")}
            """;
    }

    public override SqlStatement<RestrictedSplitRangeParameters> DepartmentCellsRestricted { get; } = new(DepartmentCells());

    public override SqlStatement<RangeParameters> CountByDepartment { get; } = new(ByDepartment());

    private static string ByTags(bool restricted) => $"""
        SELECT 0 AS Unspecified, MIN(j.tag) AS Label, COUNT_BIG(*) AS Total
        FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j
        WHERE {InRange(restricted)} AND r.tags_kind = 2
        GROUP BY {ByBytes("j.tag")}
        UNION ALL
        SELECT 1, NULL, COUNT_BIG(*) FROM dbo.rooms r WHERE {InRange(restricted)} AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))
        """;

    public override SqlStatement<RangeParameters> CountByTags { get; } = new(ByTags(restricted: false));
    public override SqlStatement<RestrictedRangeParameters> CountByTagsRestricted { get; } = new(ByTags(restricted: true));

    private static string ByAgent(bool restricted) => $"""
        SELECT 0 AS Unspecified, MIN(r.served_by_id) AS AgentId, MIN(u.name) AS Name, COUNT_BIG(*) AS Total
        FROM dbo.rooms r LEFT JOIN dbo.users u ON u.id = r.served_by_id
        WHERE {InRange(restricted)} AND r.served_by_kind <> 0
        GROUP BY {ByBytes("r.served_by_id")}
        UNION ALL
        SELECT 1, NULL, NULL, COUNT_BIG(*) FROM dbo.rooms r WHERE {InRange(restricted)} AND r.served_by_kind = 0
        """;

    public override SqlStatement<RangeParameters> CountByAgent { get; } = new(ByAgent(restricted: false));
    public override SqlStatement<RestrictedRangeParameters> CountByAgentRestricted { get; } = new(ByAgent(restricted: true));

    /// <summary>The report cells of the omnichannel rooms r in [from, to), values as nvarchar like the cells': see the SQLite dialect.</summary>
    private static string RoomKeys(ReportDimension report, string from, string to, bool restricted) => report switch
    {
        ReportDimension.Source => $"""
            SELECT r.source_type_kind AS k1_kind, CAST(COALESCE(r.source_type, '') AS nvarchar(4000)) AS k1, r.source_alias_kind AS k2_kind,
                   CAST(COALESCE(r.source_alias, N'') AS nvarchar(4000)) AS k2
                FROM dbo.rooms r WHERE {RoomsIn(from, to, restricted)} AND r.source_kind <> 0
            """,
        ReportDimension.Department => $"""
            SELECT r.department_kind AS k1_kind, CAST(COALESCE(r.department_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind,
                   CAST(N'' AS nvarchar(4000)) AS k2
                FROM dbo.rooms r WHERE {RoomsIn(from, to, restricted)} AND r.department_kind <> 1
            """,
        ReportDimension.Tags => $"""
            SELECT CAST(CASE WHEN j.tag IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind, COALESCE(j.tag, N'') AS k1, CAST(0 AS tinyint) AS k2_kind,
                   CAST(N'' AS nvarchar(4000)) AS k2
                FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j WHERE {RoomsIn(from, to, restricted)} AND r.tags_kind = 2
            UNION ALL
            SELECT CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000)), CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000))
                FROM dbo.rooms r WHERE {RoomsIn(from, to, restricted)} AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))
            """,
        ReportDimension.Agent => $"""
            SELECT CAST(CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind,
                   CAST(COALESCE(r.served_by_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind, CAST(N'' AS nvarchar(4000)) AS k2
                FROM dbo.rooms r WHERE {RoomsIn(from, to, restricted)}
            """,
        _ => throw new ArgumentOutOfRangeException(nameof(report)),
    };

    protected override ReportCellsShape ReportCellsIn { get; } = new("dbo.", RoomKeys, Visible, "CAST(1 AS bigint)",
        "CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total", $"s.k1_kind, {ByBytes("s.k1")}, s.k2_kind, {ByBytes("s.k2")}");

    public override SqlStatement<PeriodSpanParameters> ReportDayCells { get; } = new($"""
        SELECT CAST(c.report AS bigint) AS Report, CAST(c.day AS bigint) AS Day, CAST(c.k1_kind AS bigint) AS K1Kind, c.k1 AS K1,
               CAST(c.k2_kind AS bigint) AS K2Kind, c.k2 AS K2, c.total AS Total
        FROM dbo.report_counts c WHERE c.report IN ({AllReports}) AND c.day >= @From AND c.day < @To AND c.total <> 0
        """);

    public override SqlStatement<ChangedDaysParameters> RecordChangedDays { get; } = new("""
        INSERT INTO dbo.count_change_days (version, day)
        SELECT v.version, d.day FROM dbo.store_version v CROSS JOIN OPENJSON(@Days) WITH (day int '$') AS d WHERE v.id = 1;
        DELETE FROM dbo.count_change_days WHERE version <= (SELECT version - @Keep FROM dbo.store_version WHERE id = 1);
        UPDATE dbo.store_version SET changes_from = version - @Keep WHERE id = 1 AND changes_from < version - @Keep;
        """);

    public override SqlStatement<SyncStateParameters> SaveSyncState { get; } = new("""
        UPDATE dbo.sync_state WITH (UPDLOCK, HOLDLOCK) SET resume_token = @ResumeToken, watermark = @Watermark, applied_at = @AppliedAt
        WHERE stream = @Stream;
        IF @@ROWCOUNT = 0
            INSERT INTO dbo.sync_state (stream, resume_token, watermark, applied_at) VALUES (@Stream, @ResumeToken, @Watermark, @AppliedAt);
        """);

    public override SqlStatement<PeriodSpanParameters> ReportHourCells { get; } = new($"""
        SELECT CAST(h.report AS bigint) AS Report, CAST(h.hour AS bigint) AS Day, CAST(h.k1_kind AS bigint) AS K1Kind, h.k1 AS K1,
               CAST(h.k2_kind AS bigint) AS K2Kind, h.k2 AS K2, h.total AS Total
        FROM dbo.report_counts_hourly h WHERE h.report IN ({AllReports}) AND h.hour >= @From AND h.hour < @To AND h.total <> 0
        """);

    public override SqlStatement<IdsParameters> UserNames { get; } = new(
        "SELECT u.id AS Id, u.name AS Name FROM dbo.users u WHERE u.id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))");

    // A report key as one value of fixed length (values of any length then fit a primary key); DATALENGTH, not LEN, which
    // ignores trailing spaces; nvarchar(max) first, so that CONCAT does not stop at 4,000 characters.
    private static string KeyHash(string row) =>
        $"HASHBYTES('SHA2_256', CONCAT(CAST({row}.k1_kind AS nvarchar(max)), N'|', {row}.k2_kind, N'|', DATALENGTH({row}.k1) / 2, N'|', {row}.k1, {row}.k2))";

    private static string AddToReportCountsSql(string table, string period) => $"""
        DECLARE @cells TABLE (
            report tinyint NOT NULL, period int NOT NULL, key_hash binary(32) NOT NULL,
            k1_kind tinyint NOT NULL, k1 nvarchar(4000) NOT NULL, k2_kind tinyint NOT NULL, k2 nvarchar(4000) NOT NULL, total bigint NOT NULL,
            PRIMARY KEY (report, period, key_hash));
        INSERT INTO @cells (report, period, key_hash, k1_kind, k1, k2_kind, k2, total)
        SELECT j.report, j.period,
               {KeyHash("j")},
               j.k1_kind, j.k1, j.k2_kind, j.k2, j.total
        FROM OPENJSON(@Batch) WITH (
            report tinyint '$.report', period int '$.period', k1_kind tinyint '$.k1Kind',
            k1 nvarchar(4000) '$.k1', k2_kind tinyint '$.k2Kind', k2 nvarchar(4000) '$.k2', total bigint '$.total') AS j;
        UPDATE c SET total = c.total + d.total
        FROM dbo.{table} c WITH (UPDLOCK, HOLDLOCK)
        JOIN @cells d ON d.report = c.report AND d.period = c.{period} AND d.key_hash = c.key_hash;
        INSERT INTO dbo.{table} (report, {period}, key_hash, k1_kind, k1, k2_kind, k2, total)
        SELECT d.report, d.period, d.key_hash, d.k1_kind, d.k1, d.k2_kind, d.k2, d.total
        FROM @cells d
        WHERE NOT EXISTS (SELECT 1 FROM dbo.{table} c WITH (UPDLOCK, HOLDLOCK)
                          WHERE c.report = d.report AND c.{period} = d.period AND c.key_hash = d.key_hash);
        """;

    public override BatchStatement<ReportCountDeltaRow> AddToReportCounts { get; } = new(AddToReportCountsSql("report_counts", "day"), AsJsonBatch: true);

    public override BatchStatement<ReportCountDeltaRow> AddToHourlyReportCounts { get; } =
        new(AddToReportCountsSql("report_counts_hourly", "hour"), AsJsonBatch: true);

    public override BatchStatement<SourceCountDeltaRow> AddToSourceCounts { get; } = new($"""
        DECLARE @cells TABLE (
            day int NOT NULL, department_kind tinyint NOT NULL, department_id varchar(64) NOT NULL, department_ancestors varchar(1000) NOT NULL,
            key_hash binary(32) NOT NULL, k1_kind tinyint NOT NULL, k1 nvarchar(4000) NOT NULL, k2_kind tinyint NOT NULL, k2 nvarchar(4000) NOT NULL,
            total bigint NOT NULL,
            PRIMARY KEY (day, department_kind, department_id, department_ancestors, key_hash));
        INSERT INTO @cells (day, department_kind, department_id, department_ancestors, key_hash, k1_kind, k1, k2_kind, k2, total)
        SELECT j.period, j.department_kind, j.department_id, j.department_ancestors,
               {KeyHash("j")},
               j.k1_kind, j.k1, j.k2_kind, j.k2, j.total
        FROM OPENJSON(@Batch) WITH (
            period int '$.period', department_kind tinyint '$.departmentKind', department_id varchar(64) '$.departmentId',
            department_ancestors varchar(1000) '$.departmentAncestors', k1_kind tinyint '$.k1Kind', k1 nvarchar(4000) '$.k1',
            k2_kind tinyint '$.k2Kind', k2 nvarchar(4000) '$.k2', total bigint '$.total') AS j;
        UPDATE c SET total = c.total + d.total
        FROM dbo.source_counts c WITH (UPDLOCK, HOLDLOCK)
        JOIN @cells d ON d.day = c.day AND d.department_kind = c.department_kind AND d.department_id = c.department_id
                     AND d.department_ancestors = c.department_ancestors AND d.key_hash = c.key_hash;
        INSERT INTO dbo.source_counts (day, department_kind, department_id, department_ancestors, key_hash, k1_kind, k1, k2_kind, k2, total)
        SELECT d.day, d.department_kind, d.department_id, d.department_ancestors, d.key_hash, d.k1_kind, d.k1, d.k2_kind, d.k2, d.total
        FROM @cells d
        WHERE NOT EXISTS (SELECT 1 FROM dbo.source_counts c WITH (UPDLOCK, HOLDLOCK)
                          WHERE c.day = d.day AND c.department_kind = d.department_kind AND c.department_id = d.department_id
                            AND c.department_ancestors = d.department_ancestors AND c.key_hash = d.key_hash);
        """, AsJsonBatch: true);

    public override SqlStatement<UnitsParameters> DepartmentsReachedBy { get; } = new($"""
        SELECT d.id FROM dbo.departments d WHERE d.id IN ({UnitIds})
        UNION
        SELECT a.department_id FROM dbo.department_ancestors a WHERE a.ancestor_id IN ({UnitIds})
        """);

    public override SqlStatement<PruneTokensParameters> PruneLoginTokens { get; } = new("""
        DELETE FROM dbo.login_tokens WHERE user_id = @UserId AND hashed_token NOT IN (
            SELECT TOP (@Keep) t.hashed_token FROM dbo.login_tokens t WHERE t.user_id = @UserId ORDER BY t.created_at DESC)
        """);

    public override SqlStatement<PermissionParameters> AnyRoleHolds { get; } = new("""
        SELECT COUNT(*) FROM dbo.permission_roles
        WHERE permission_id = @Permission AND role_id IN (SELECT role_id FROM OPENJSON(@Roles) WITH (role_id varchar(64) '$'))
        """);

    public override SqlStatement<IdsParameters> ExistingIds(StoreTable table) =>
        new($"SELECT id FROM dbo.{StoreTables.Name(table)} WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))");

    public override SqlStatement<IdPageParameters> StoredIds(DocumentKind kind)
    {
        var (table, id) = StoreTables.Of(kind);
        return new($"SELECT DISTINCT TOP (@Take) {id} FROM dbo.{table} WHERE {id} > @After ORDER BY {id}");
    }

    public override SqlStatement<IdsParameters> ExistingPermissions { get; } = new("""
        SELECT DISTINCT permission_id FROM dbo.permission_roles
        WHERE permission_id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(128) '$'))
        """);

    // UPDLOCK, HOLDLOCK: the rows stay locked until the transaction ends, so two writers of one room cannot both
    // take its old state out of room_counts.
    private const string StoredRoomColumns = """
        r.id AS Id, r.t AS T, DATEDIFF_BIG(millisecond, '19700101', r.ts) AS TsMs, CAST(r.is_open AS bigint) AS IsOpen,
               CAST(r.is_queued AS bigint) AS IsQueued, CAST(r.is_on_hold AS bigint) AS IsOnHold, CAST(r.is_closed AS bigint) AS IsClosed,
               CAST(r.department_kind AS bigint) AS DepartmentKind, r.department_id AS DepartmentId, r.department_ancestors AS DepartmentAncestors,
               CAST(r.source_kind AS bigint) AS SourceKind, CAST(r.source_type_kind AS bigint) AS SourceTypeKind, r.source_type AS SourceType,
               CAST(r.source_alias_kind AS bigint) AS SourceAliasKind, r.source_alias AS SourceAlias, CAST(r.tags_kind AS bigint) AS TagsKind,
               r.tags AS Tags, CAST(r.served_by_kind AS bigint) AS ServedByKind, r.served_by_id AS ServedById
        """;

    public override SqlStatement<RangeParameters> RoomsInRange { get; } = new(Rooms(restricted: false));

    public override SqlStatement<RestrictedRangeParameters> RoomsInRangeRestricted { get; } = new(Rooms(restricted: true));

    private static string Rooms(bool restricted) => $"""
        SELECT r.t AS T, DATEDIFF_BIG(millisecond, '19700101', r.ts) AS TsMs, CAST(r.is_open AS bigint) AS IsOpen, CAST(r.is_queued AS bigint) AS IsQueued,
               CAST(r.is_on_hold AS bigint) AS IsOnHold, CAST(r.is_closed AS bigint) AS IsClosed, CAST(r.department_kind AS bigint) AS DepartmentKind,
               r.department_id AS DepartmentId, r.department_ancestors AS DepartmentAncestors, CAST(r.source_kind AS bigint) AS SourceKind, CAST(r.source_type_kind AS bigint) AS SourceTypeKind,
               r.source_type AS SourceType, CAST(r.source_alias_kind AS bigint) AS SourceAliasKind, r.source_alias AS SourceAlias,
               CAST(r.tags_kind AS bigint) AS TagsKind, r.tags AS Tags, CAST(r.served_by_kind AS bigint) AS ServedByKind, r.served_by_id AS ServedById
        FROM dbo.rooms r
        WHERE {InRange(restricted)} ORDER BY r.ts
        """;

    public override SqlStatement<IdsParameters> StoredRooms { get; } = new($"""
        SELECT {StoredRoomColumns}
        FROM dbo.rooms r WITH (UPDLOCK, HOLDLOCK)
        WHERE r.id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))
        """);

    public override SqlStatement<PageParameters> StoredRoomsPage { get; } = new($"""
        SELECT TOP (@Size) {StoredRoomColumns}
        FROM dbo.rooms r
        WHERE r.id > @After ORDER BY r.id
        """);

    private static string AddToCounts(string table, string period) => $"""
        DECLARE @cells TABLE (
            period int NOT NULL, department_kind tinyint NOT NULL, department_id varchar(64) NOT NULL, department_ancestors varchar(1000) NOT NULL,
            total bigint NOT NULL, [open] bigint NOT NULL, queued bigint NOT NULL, on_hold bigint NOT NULL, closed bigint NOT NULL,
            PRIMARY KEY (period, department_kind, department_id, department_ancestors));
        INSERT INTO @cells (period, department_kind, department_id, department_ancestors, total, [open], queued, on_hold, closed)
        SELECT j.period, j.department_kind, j.department_id, j.department_ancestors, j.total, j.[open], j.queued, j.on_hold, j.closed
        FROM OPENJSON(@Batch) WITH (
            period int '$.period', department_kind tinyint '$.departmentKind', department_id varchar(64) '$.departmentId',
            department_ancestors varchar(1000) '$.departmentAncestors',
            total bigint '$.total', [open] bigint '$.open', queued bigint '$.queued', on_hold bigint '$.onHold', closed bigint '$.closed') AS j;
        UPDATE c SET total = c.total + d.total, [open] = c.[open] + d.[open], queued = c.queued + d.queued,
                     on_hold = c.on_hold + d.on_hold, closed = c.closed + d.closed
        FROM dbo.{table} c WITH (UPDLOCK, HOLDLOCK)
        JOIN @cells d ON d.period = c.{period} AND d.department_kind = c.department_kind AND d.department_id = c.department_id
                     AND d.department_ancestors = c.department_ancestors;
        INSERT INTO dbo.{table} ({period}, department_kind, department_id, department_ancestors, total, [open], queued, on_hold, closed)
        SELECT d.period, d.department_kind, d.department_id, d.department_ancestors, d.total, d.[open], d.queued, d.on_hold, d.closed
        FROM @cells d
        WHERE NOT EXISTS (SELECT 1 FROM dbo.{table} c WITH (UPDLOCK, HOLDLOCK)
                          WHERE c.{period} = d.period AND c.department_kind = d.department_kind AND c.department_id = d.department_id
                            AND c.department_ancestors = d.department_ancestors);
        """;

    public override BatchStatement<CountDeltaRow> AddToRoomCounts { get; } = new(AddToCounts("room_counts", "day"), AsJsonBatch: true);

    public override BatchStatement<CountDeltaRow> AddToHourlyRoomCounts { get; } = new(AddToCounts("room_counts_hourly", "hour"), AsJsonBatch: true);

    private static string AddToPeriodCounts(string table, string period) => $"""
        DECLARE @cells TABLE (
            period int NOT NULL PRIMARY KEY,
            total bigint NOT NULL, [open] bigint NOT NULL, queued bigint NOT NULL, on_hold bigint NOT NULL, closed bigint NOT NULL);
        INSERT INTO @cells (period, total, [open], queued, on_hold, closed)
        SELECT j.period, j.total, j.[open], j.queued, j.on_hold, j.closed
        FROM OPENJSON(@Batch) WITH (
            period int '$.period', total bigint '$.total', [open] bigint '$.open', queued bigint '$.queued', on_hold bigint '$.onHold',
            closed bigint '$.closed') AS j;
        UPDATE c SET total = c.total + d.total, [open] = c.[open] + d.[open], queued = c.queued + d.queued,
                     on_hold = c.on_hold + d.on_hold, closed = c.closed + d.closed
        FROM dbo.{table} c WITH (UPDLOCK, HOLDLOCK)
        JOIN @cells d ON d.period = c.{period};
        INSERT INTO dbo.{table} ({period}, total, [open], queued, on_hold, closed)
        SELECT d.period, d.total, d.[open], d.queued, d.on_hold, d.closed
        FROM @cells d
        WHERE NOT EXISTS (SELECT 1 FROM dbo.{table} c WITH (UPDLOCK, HOLDLOCK) WHERE c.{period} = d.period);
        """;

    public override BatchStatement<PeriodCountDeltaRow> AddToAllRoomCounts { get; } = new(AddToPeriodCounts("room_counts_all", "day"), AsJsonBatch: true);

    public override BatchStatement<PeriodCountDeltaRow> AddToAllHourlyRoomCounts { get; } =
        new(AddToPeriodCounts("room_counts_all_hourly", "hour"), AsJsonBatch: true);

    // Each upsert: UPDATE the rows that exist, then INSERT the others, from one OPENJSON read of the batch
    // (UPDATE/INSERT rather than MERGE, whose concurrency and trigger caveats are well known).
    public override BatchStatement<RoomRow> UpsertRooms { get; } = new($"""
        DECLARE @rows TABLE (
            id varchar(64) NOT NULL PRIMARY KEY, t varchar(8) NOT NULL, ts datetime2(3) NOT NULL, [open] bit NOT NULL, on_hold bit NOT NULL,
            served_by_kind tinyint NOT NULL, served_by_id varchar(64) NULL, served_by_username nvarchar(255) NULL, served_by_ts datetime2(3) NULL,
            chat_duration float NULL, closed_at datetime2(3) NULL, department_kind tinyint NOT NULL, department_id varchar(64) NULL,
            department_ancestors varchar(1000) NULL, source_type varchar(32) NULL,
            is_open bit NOT NULL, is_queued bit NOT NULL, is_on_hold bit NOT NULL, is_closed bit NOT NULL,
            source_kind tinyint NOT NULL, source_type_kind tinyint NOT NULL, source_alias_kind tinyint NOT NULL, source_alias nvarchar(255) NULL,
            tags_kind tinyint NOT NULL, tags nvarchar(max) NULL);
        INSERT INTO @rows (id, t, ts, [open], on_hold, served_by_kind, served_by_id, served_by_username, served_by_ts, chat_duration, closed_at,
                           department_kind, department_id, department_ancestors, source_type, is_open, is_queued, is_on_hold, is_closed,
                           source_kind, source_type_kind, source_alias_kind, source_alias, tags_kind, tags)
        SELECT j.id, j.t, {FromMilliseconds("j.ts")}, j.[open], j.on_hold, j.served_by_kind, j.served_by_id, j.served_by_username,
               {FromMilliseconds("j.served_by_ts")}, j.chat_duration, {FromMilliseconds("j.closed_at")},
               j.department_kind, j.department_id, j.department_ancestors, j.source_type, j.is_open, j.is_queued, j.is_on_hold, j.is_closed,
               j.source_kind, j.source_type_kind, j.source_alias_kind, j.source_alias, j.tags_kind, j.tags
        FROM OPENJSON(@Batch) WITH (
            id varchar(64) '$.id', t varchar(8) '$.t', ts bigint '$.ts', [open] bit '$.open', on_hold bit '$.onHold',
            served_by_kind tinyint '$.servedByKind', served_by_id varchar(64) '$.servedById', served_by_username nvarchar(255) '$.servedByUsername',
            served_by_ts bigint '$.servedByTs', chat_duration float '$.chatDuration', closed_at bigint '$.closedAt',
            department_kind tinyint '$.departmentKind', department_id varchar(64) '$.departmentId',
            department_ancestors varchar(1000) '$.departmentAncestors', source_type varchar(32) '$.sourceType',
            is_open bit '$.isOpen', is_queued bit '$.isQueued', is_on_hold bit '$.isOnHold', is_closed bit '$.isClosed',
            source_kind tinyint '$.sourceKind', source_type_kind tinyint '$.sourceTypeKind', source_alias_kind tinyint '$.sourceAliasKind',
            source_alias nvarchar(255) '$.sourceAlias', tags_kind tinyint '$.tagsKind', tags nvarchar(max) '$.tags') AS j;
        UPDATE r SET t = s.t, ts = s.ts, [open] = s.[open], on_hold = s.on_hold, served_by_kind = s.served_by_kind, served_by_id = s.served_by_id,
                     served_by_username = s.served_by_username, served_by_ts = s.served_by_ts, chat_duration = s.chat_duration,
                     closed_at = s.closed_at, department_kind = s.department_kind, department_id = s.department_id,
                     department_ancestors = s.department_ancestors, source_type = s.source_type, is_open = s.is_open, is_queued = s.is_queued,
                     is_on_hold = s.is_on_hold, is_closed = s.is_closed, needs_reimport = 0, source_kind = s.source_kind,
                     source_type_kind = s.source_type_kind, source_alias_kind = s.source_alias_kind, source_alias = s.source_alias,
                     tags_kind = s.tags_kind, tags = s.tags
        FROM dbo.rooms r JOIN @rows s ON s.id = r.id;
        INSERT INTO dbo.rooms (id, t, ts, [open], on_hold, served_by_kind, served_by_id, served_by_username, served_by_ts, chat_duration, closed_at,
                               department_kind, department_id, department_ancestors, source_type, is_open, is_queued, is_on_hold, is_closed,
                               source_kind, source_type_kind, source_alias_kind, source_alias, tags_kind, tags)
        SELECT s.id, s.t, s.ts, s.[open], s.on_hold, s.served_by_kind, s.served_by_id, s.served_by_username, s.served_by_ts, s.chat_duration,
               s.closed_at, s.department_kind, s.department_id, s.department_ancestors, s.source_type, s.is_open, s.is_queued, s.is_on_hold, s.is_closed,
               s.source_kind, s.source_type_kind, s.source_alias_kind, s.source_alias, s.tags_kind, s.tags
        FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.rooms r WHERE r.id = s.id);
        """, AsJsonBatch: true);

    public override SqlStatement<IdsParameters> DeleteIds(StoreTable table) =>
        new($"DELETE FROM dbo.{StoreTables.Name(table)} WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))");

    public override BatchStatement<UserRow> UpsertUsers { get; } = new("""
        DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, username nvarchar(255) NULL, name nvarchar(255) NULL, active bit NOT NULL);
        INSERT INTO @rows (id, username, name, active)
        SELECT j.id, j.username, j.name, j.active
        FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', username nvarchar(255) '$.username', name nvarchar(255) '$.name', active bit '$.active') AS j;
        UPDATE u SET username = s.username, name = s.name, active = s.active FROM dbo.users u JOIN @rows s ON s.id = u.id;
        INSERT INTO dbo.users (id, username, name, active)
        SELECT s.id, s.username, s.name, s.active FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.users u WHERE u.id = s.id);
        """, AsJsonBatch: true);

    public override BatchStatement<RoleRow> UpsertRoles { get; } = new("""
        DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, name nvarchar(255) NOT NULL, scope varchar(32) NULL);
        INSERT INTO @rows (id, name, scope)
        SELECT j.id, j.name, j.scope FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', name nvarchar(255) '$.name', scope varchar(32) '$.scope') AS j;
        UPDATE r SET name = s.name, scope = s.scope FROM dbo.roles r JOIN @rows s ON s.id = r.id;
        INSERT INTO dbo.roles (id, name, scope)
        SELECT s.id, s.name, s.scope FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.roles r WHERE r.id = s.id);
        """, AsJsonBatch: true);

    public override BatchStatement<DepartmentRow> UpsertDepartments { get; } = new("""
        DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, name nvarchar(255) NULL, type varchar(8) NULL);
        INSERT INTO @rows (id, name, type)
        SELECT j.id, j.name, j.type FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', name nvarchar(255) '$.name', type varchar(8) '$.type') AS j;
        UPDATE d SET name = s.name, type = s.type FROM dbo.departments d JOIN @rows s ON s.id = d.id;
        INSERT INTO dbo.departments (id, name, type)
        SELECT s.id, s.name, s.type FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.departments d WHERE d.id = s.id);
        """, AsJsonBatch: true);

    public override BatchStatement<UnitMonitorRow> UpsertUnitMonitors { get; } = new("""
        DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, unit_id varchar(64) NOT NULL, monitor_id varchar(64) NOT NULL, username nvarchar(255) NULL);
        INSERT INTO @rows (id, unit_id, monitor_id, username)
        SELECT j.id, j.unit_id, j.monitor_id, j.username
        FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', unit_id varchar(64) '$.unitId', monitor_id varchar(64) '$.monitorId', username nvarchar(255) '$.username') AS j;
        UPDATE m SET unit_id = s.unit_id, monitor_id = s.monitor_id, username = s.username FROM dbo.unit_monitors m JOIN @rows s ON s.id = m.id;
        INSERT INTO dbo.unit_monitors (id, unit_id, monitor_id, username)
        SELECT s.id, s.unit_id, s.monitor_id, s.username FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.unit_monitors m WHERE m.id = s.id);
        """, AsJsonBatch: true);

    public override BatchStatement<DepartmentAgentRow> UpsertDepartmentAgents { get; } = new("""
        DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, agent_id varchar(64) NOT NULL, department_id varchar(64) NOT NULL,
                             username nvarchar(255) NULL, department_enabled bit NOT NULL);
        INSERT INTO @rows (id, agent_id, department_id, username, department_enabled)
        SELECT j.id, j.agent_id, j.department_id, j.username, j.department_enabled
        FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', agent_id varchar(64) '$.agentId', department_id varchar(64) '$.departmentId',
                                    username nvarchar(255) '$.username', department_enabled bit '$.departmentEnabled') AS j;
        UPDATE a SET agent_id = s.agent_id, department_id = s.department_id, username = s.username, department_enabled = s.department_enabled
        FROM dbo.department_agents a JOIN @rows s ON s.id = a.id;
        INSERT INTO dbo.department_agents (id, agent_id, department_id, username, department_enabled)
        SELECT s.id, s.agent_id, s.department_id, s.username, s.department_enabled
        FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.department_agents a WHERE a.id = s.id);
        """, AsJsonBatch: true);

    public override BatchStatement<LoginTokenRow> InsertLoginTokens { get; } = new($"""
        INSERT INTO dbo.login_tokens (user_id, hashed_token, created_at)
        SELECT DISTINCT j.user_id, j.hashed_token, {FromMilliseconds("j.created_at")}
        FROM OPENJSON(@Batch) WITH (user_id varchar(64) '$.userId', hashed_token varchar(64) '$.hashedToken', created_at bigint '$.createdAt') AS j
        WHERE NOT EXISTS (SELECT 1 FROM dbo.login_tokens t WHERE t.user_id = j.user_id AND t.hashed_token = j.hashed_token);
        """, AsJsonBatch: true);

    public override SqlStatement<IdsParameters> DeleteChildren(ChildTable table)
    {
        var (name, parent, _) = StoreTables.Columns(table);
        return new($"DELETE FROM dbo.{name} WHERE {parent} IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(128) '$'))");
    }

    public override BatchStatement<ChildRow> InsertChildren(ChildTable table)
    {
        var (name, parent, child) = StoreTables.Columns(table);
        return new($"""
            INSERT INTO dbo.{name} ({parent}, {child})
            SELECT DISTINCT j.parent, j.child FROM OPENJSON(@Batch) WITH (parent varchar(128) '$.parent', child varchar(128) '$.child') AS j
            WHERE NOT EXISTS (SELECT 1 FROM dbo.{name} x WHERE x.{parent} = j.parent AND x.{child} = j.child);
            """, AsJsonBatch: true);
    }
}
