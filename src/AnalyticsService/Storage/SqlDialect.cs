namespace AnalyticsService.Storage;

/// <summary>
/// Everything that differs between the SQL engines: the statements' text and how values are stored.
/// The Dapper calls that use them are shared, so both engines run the same code with the same parameters.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>Folder of this engine's migrations among the embedded resources ("migrations/Sqlite/").</summary>
    public abstract string MigrationFolder { get; }

    public abstract string CreateMigrationsTable { get; }

    /// <summary>Run once at start-up, before the migrations and outside any transaction.</summary>
    public virtual string? Startup => null;

    /// <summary>How an instant is stored.</summary>
    public abstract object Instant(DateTimeOffset value);

    /// <summary>Counts per status of omnichannel rooms with Start &lt;= ts &lt; End. Parameters: Start, End.</summary>
    public abstract string CountByStatus { get; }

    /// <summary>The same, limited to the rooms of some units. Parameters: Start, End, Units.</summary>
    public abstract string CountByStatusInUnits { get; }

    public abstract string UpsertRoom { get; }
    public abstract string UpsertUser { get; }
    public abstract string UpsertRole { get; }
    public abstract string UpsertDepartment { get; }
    public abstract string UpsertUnitMonitor { get; }
}

public sealed class SqliteDialect : SqlDialect
{
    public override string MigrationFolder => "migrations/Sqlite/";

    public override string CreateMigrationsTable => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at TEXT    NOT NULL
        )
        """;

    // Write-ahead logging: readers never wait for a writer (an import), and a writer waits for no reader.
    public override string Startup => "PRAGMA journal_mode = WAL";

    public override object Instant(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private const string CountColumns = """
        SELECT COUNT(*) AS Total,
               COALESCE(SUM(r.open = 1 AND r.on_hold = 0 AND r.served_by_id IS NOT NULL), 0) AS Open,
               COALESCE(SUM(r.open = 1 AND r.served_by_id IS NULL), 0) AS Queued,
               COALESCE(SUM(r.on_hold = 1), 0) AS OnHold,
               COALESCE(SUM(r.chat_duration IS NOT NULL AND r.chat_duration <> 0), 0) AS Closed
        FROM rooms r
        WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End
        """;

    public override string CountByStatus => CountColumns;

    public override string CountByStatusInUnits => CountColumns + """

          AND (r.department_id IN @Units
               OR EXISTS (SELECT 1 FROM room_department_ancestors a WHERE a.room_id = r.id AND a.department_id IN @Units))
        """;

    public override string UpsertRoom => """
        INSERT INTO rooms (id, t, ts, open, on_hold, served_by_id, served_by_username, served_by_ts, chat_duration, closed_at, department_id, source_type)
        VALUES (@Id, @Type, @Ts, @Open, @OnHold, @ServedById, @ServedByUsername, @ServedByTs, @ChatDuration, @ClosedAt, @DepartmentId, @SourceType)
        ON CONFLICT (id) DO UPDATE SET
            t = excluded.t, ts = excluded.ts, open = excluded.open, on_hold = excluded.on_hold,
            served_by_id = excluded.served_by_id, served_by_username = excluded.served_by_username, served_by_ts = excluded.served_by_ts,
            chat_duration = excluded.chat_duration, closed_at = excluded.closed_at,
            department_id = excluded.department_id, source_type = excluded.source_type
        """;

    public override string UpsertUser => """
        INSERT INTO users (id, username, name, active) VALUES (@Id, @Username, @Name, @Active)
        ON CONFLICT (id) DO UPDATE SET username = excluded.username, name = excluded.name, active = excluded.active
        """;

    public override string UpsertRole => """
        INSERT INTO roles (id, name, scope) VALUES (@Id, @Name, @Scope)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, scope = excluded.scope
        """;

    public override string UpsertDepartment => """
        INSERT INTO departments (id, name, type) VALUES (@Id, @Name, @Type)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type
        """;

    public override string UpsertUnitMonitor => """
        INSERT INTO unit_monitors (id, unit_id, monitor_id, username) VALUES (@Id, @UnitId, @MonitorId, @Username)
        ON CONFLICT (id) DO UPDATE SET unit_id = excluded.unit_id, monitor_id = excluded.monitor_id, username = excluded.username
        """;
}
