using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Dapper;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>The embedded store: versioned migrations, and a store that cannot be reached.</summary>
public sealed class StoreTests
{
    [Fact]
    public async Task Migrations_are_recorded_once_and_a_second_run_changes_nothing()
    {
        await using var factory = new AnalyticsFactory();
        await factory.RestAsync(); // the host migrated at start-up
        var migrator = factory.Services.GetRequiredService<SchemaMigrator>();

        Assert.Equal(0, await migrator.MigrateAsync(CancellationToken.None));

        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        var versions = await connection.QueryAsync<(long Version, string Name)>("SELECT version, name FROM schema_migrations ORDER BY version");
        var expected = SchemaMigrator.Load(new SqliteDialect()).Select(m => ((long)m.Version, m.Name));
        Assert.Equal(expected, versions);
        Assert.Equal((1L, "0001_initial"), versions.First());
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        Assert.Equal(["count_change_days", "department_agents", "department_ancestors", "departments", "login_tokens", "permission_roles", "report_counts", "report_counts_hourly", "roles", "room_counts", "room_counts_all", "room_counts_all_hourly", "room_counts_hourly",
            "rooms", "schema_migrations", "source_counts", "store_version", "sync_state", "unit_monitors", "user_roles", "users"], tables);
    }

    [Fact]
    public async Task Each_write_that_changes_counts_records_its_days_under_its_version_and_only_the_last_versions_are_kept()
    {
        await using var factory = new AnalyticsFactory();
        await factory.RestAsync();
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        var start = await connection.ExecuteScalarAsync<long>("SELECT version FROM store_version");
        Assert.InRange(await connection.ExecuteScalarAsync<long>("SELECT changes_from FROM store_version"), 0, start); // migration 12's version
        async Task<List<(long, long)>> Days() =>
            (await connection.QueryAsync<(long, long)>("SELECT version - @start, day FROM count_change_days ORDER BY 1, 2", new { start })).AsList();

        var (day, room) = (Rooms.At("2020-09-10T10:20:00Z"), Rooms.Open(Rooms.At("2020-09-10T10:20:00Z")));
        await factory.AddRoomsAsync(room, Rooms.Closed(day.AddDays(2)));                  // 18515 and 18517
        await factory.Writer.UpsertUsersAsync([new UserRecord("u1", "u1", ["user"], [])]);  // no count changes
        await factory.AddRoomsAsync(room with { Ts = day.AddHours(5) });                   // another hour of the same day
        await factory.AddRoomsAsync(room with { Ts = day.AddHours(5) });                   // the same state again: nothing changes
        Assert.Equal([(1L, 18515L), (1L, 18517L), (3L, 18515L)], await Days());
        Assert.Equal(start + 4, await connection.ExecuteScalarAsync<long>("SELECT version FROM store_version"));

        // Keeping the last two versions' days: the older go, and changes_from says after which version all are kept.
        await connection.ExecuteAsync("UPDATE store_version SET version = version + 1");
        await connection.ExecuteAsync(new SqliteDialect().RecordChangedDays.Text, new ChangedDaysParameters("[18600]", 2));
        Assert.Equal([(5L, 18600L)], await Days());
        Assert.Equal(start + 3, await connection.ExecuteScalarAsync<long>("SELECT changes_from FROM store_version"));
    }

    [Fact]
    public async Task Migration_11_counts_the_rooms_stored_before_it_into_the_by_source_cells_per_department_as_the_writes_do()
    {
        await using var factory = new AnalyticsFactory();
        var ts = Rooms.At("2020-09-10T10:20:00Z");
        await factory.AddRoomsAsync(
            Rooms.Closed(ts) with { SourceType = "widget", DepartmentId = "d1", DepartmentAncestors = ["u1"] },
            Rooms.Open(ts.AddHours(3)) with { SourceType = "widget", DepartmentId = "d1", DepartmentAncestors = ["u1"] },
            Rooms.Open(ts.AddHours(4)) with { SourceType = "app", SourceAlias = "Bot", DepartmentField = FieldKind.Null },
            Rooms.Queued(ts.AddDays(2)) with { SourceType = "widget", SourceAlias = null, SourceAliasField = FieldKind.Null },
            Rooms.Queued(ts.AddDays(2)) with { SourceField = FieldKind.Absent });
        const string Cells = """
            SELECT day, department_kind, department_id, department_ancestors, k1_kind, k1, k2_kind, k2, total FROM source_counts WHERE total <> 0
            ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
            """;
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        var written = (await connection.QueryAsync<(long, long, string, string, long, string, long, string, long)>(Cells)).ToList();
        // Two widget rooms of d1 in one cell; a room without a source field in none.
        Assert.Equal([
            (18515L, 1L, "", "", 2L, "app", 2L, "Bot", 1L),
            (18515L, 2L, "d1", """["u1"]""", 2L, "widget", 0L, "", 2L),
            (18517L, 0L, "", "", 2L, "widget", 1L, "", 1L),
        ], written);
        await connection.ExecuteAsync("DROP TABLE source_counts; DELETE FROM schema_migrations WHERE version = 11");

        Assert.Equal(1, await factory.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None));

        Assert.Equal(written, await connection.QueryAsync<(long, long, string, string, long, string, long, string, long)>(Cells));
    }

    [Fact]
    public async Task Migration_8_counts_the_rooms_stored_before_it_into_the_report_cells_as_the_writes_do()
    {
        await using var factory = new AnalyticsFactory();
        var ts = Rooms.At("2020-09-10T10:20:00Z");
        await factory.AddRoomsAsync(
            Rooms.Closed(ts) with { SourceType = "widget", DepartmentId = "d1", Tags = ["a", "b", "a"], ServedById = "u1" },
            Rooms.Open(ts.AddHours(3)) with { SourceType = "app", SourceAlias = "Bot", Tags = [], ServedById = null, ServedByField = FieldKind.Null },
            Rooms.Queued(ts.AddDays(2)) with { Tags = ["b", null], DepartmentField = FieldKind.Null, SourceField = FieldKind.Null },
            Rooms.Queued(ts.AddDays(2)) with { TagsField = FieldKind.Null });
        const string Cells = """
            SELECT 'day' AS p, report, day AS period, k1_kind, k1, k2_kind, k2, total FROM report_counts WHERE total <> 0
            UNION ALL SELECT 'hour', report, hour, k1_kind, k1, k2_kind, k2, total FROM report_counts_hourly WHERE total <> 0
            ORDER BY 1, 2, 3, 4, 5, 6, 7
            """;
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        var written = (await connection.QueryAsync<(string, long, long, long, string, long, string, long)>(Cells)).ToList();
        // Days and hours alike: 3 source cells, 3 department cells, 5 tag cells (a null tag has its own), 3 agent cells.
        Assert.Equal(28, written.Count);
        await connection.ExecuteAsync("DROP TABLE report_counts; DROP TABLE report_counts_hourly; DELETE FROM schema_migrations WHERE version = 8");

        Assert.Equal(1, await factory.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None));

        Assert.Equal(written, await connection.QueryAsync<(string, long, long, long, string, long, string, long)>(Cells));
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_answers_503_over_rest_and_unavailable_over_grpc()
    {
        var directory = Directory.CreateTempSubdirectory("analytics-gone-").FullName;
        await using var factory = new AnalyticsFactory()
            .With("ConnectionStrings:Analytics", $"Data Source={Path.Combine(directory, "analytics.db")};Pooling=False");
        var user = await factory.CreateUserAsync("admin");
        var client = await factory.RestAsync();
        var grpc = await factory.GrpcAsync();
        Assert.Equal(200, (await client.SendAsync(user.Get($"{ConversationsByStatusPath}?start=2020-01-01&end=2020-02-01")).ReadAsync()).Status);

        Directory.Move(directory, directory + "-moved"); // the file's folder disappears: SQLite cannot open it
        try
        {
            Assert.Equal((503, "application/json", Bodies.StoreUnavailable),
                await client.SendAsync(user.Get($"{ConversationsByStatusPath}?start=2020-01-01&end=2020-02-01")).ReadAsync());
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
                await grpc.GetConversationsByStatusAsync(new() { Start = "2020-01-01", End = "2020-02-01" }, user.Headers));
            Assert.Equal((StatusCode.Unavailable, "The analytics store is unavailable. Try again later."), (error.StatusCode, error.Status.Detail));
        }
        finally
        {
            Directory.Delete(directory + "-moved", recursive: true);
        }
    }

    [Fact]
    public async Task Report_queries_go_to_the_read_only_connection_and_authentication_to_the_primary()
    {
        // Two copies of a store: the "secondary" holds one room more, so the answer shows where it was read.
        var directory = Directory.CreateTempSubdirectory("analytics-replica-").FullName;
        var secondary = Path.Combine(directory, "secondary.db");
        try
        {
            await using (var replica = new AnalyticsFactory().With("ConnectionStrings:Analytics", $"Data Source={secondary}"))
            {
                await replica.RestAsync();
                await replica.AddRoomsAsync(Rooms.Closed(Rooms.At("2001-01-10T12:00:00Z")), Rooms.Closed(Rooms.At("2001-01-10T13:00:00Z")));
            }
            await using var factory = new AnalyticsFactory().With("ConnectionStrings:AnalyticsReadOnly", $"Data Source={secondary};Mode=ReadOnly");
            var admin = await factory.CreateUserAsync("admin"); // exists on the primary only
            await factory.AddRoomsAsync(Rooms.Closed(Rooms.At("2001-01-10T12:00:00Z")));
            var client = await factory.RestAsync();

            var (status, _, body) = await client.SendAsync(admin.Get($"{ConversationsByStatusPath}?start=2001-01-10&end=2001-01-11")).ReadAsync();

            Assert.Equal((200, """{"total":2,"data":[{"label":"Closed","value":2},{"label":"Open","value":0},{"label":"Queued","value":0},{"label":"On_Hold","value":0}],"success":true}"""), (status, body));
        }
        finally
        {
            SqlitePools.ReleaseConnectionString($"Data Source={secondary};Mode=ReadOnly");
            Directory.Delete(directory, recursive: true);
        }
    }

    // What lets a session that began on a store without rooms count them at commit (SqlDialect.OneWriterAtATime): no other
    // writer can add rooms between its first look and its commit.
    [Fact]
    public async Task A_write_session_holds_the_store_s_write_lock_from_its_start_before_it_writes_anything()
    {
        await using var factory = new AnalyticsFactory();
        await factory.RestAsync();
        await using var other = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await other.OpenAsync();
        await other.ExecuteAsync("PRAGMA busy_timeout = 0");
        int TryToWrite() // SQLite's own call: Microsoft.Data.Sqlite would retry a busy store for its command timeout
        {
            var result = SQLitePCL.raw.sqlite3_exec(other.Handle, "BEGIN IMMEDIATE");
            if (result == SQLitePCL.raw.SQLITE_OK)
                SQLitePCL.raw.sqlite3_exec(other.Handle, "ROLLBACK");
            return result;
        }

        await using (await factory.Services.GetRequiredService<StoreWriter>().BeginAsync())
            Assert.Equal(SQLitePCL.raw.SQLITE_BUSY, TryToWrite());

        Assert.Equal(SQLitePCL.raw.SQLITE_OK, TryToWrite());
    }
}
