using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// A store written by the previous release (schema version 4, its rows as that release wrote them) opens, migrates,
/// says in one line that a re-import is needed, and after a re-import of the same export answers with the current rules.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private readonly TempDirectory _root = new("analytics-upgrade-");
    private string Database => _root.Combine("analytics.db");
    private const string AdminToken = "admin-token-77aa01";
    private const long Ts = 999_518_400_000; // 2001-09-03T12:00:00Z

    public void Dispose() => _root.Dispose();

    /// <summary>Migrations 1 to 4, with rooms written between the first and the rest, as the previous release left them.</summary>
    private async Task WritePreviousReleaseStoreAsync()
    {
        var dialect = new SqliteDialect();
        await using var connection = new SqliteConnection($"Data Source={Database}");
        await connection.OpenAsync();
        await connection.ExecuteAsync(dialect.CreateMigrationsTable.Text);
        foreach (var migration in SchemaMigrator.Load(dialect).Where(m => m.Version <= 4))
        {
            await connection.ExecuteAsync(migration.Sql);
            await connection.ExecuteAsync(dialect.RecordMigration.Text, new MigrationParameters(migration.Version, migration.Name, DateTime.UtcNow));
            if (migration.Version != 1)
                continue;
            // That release stored servedBy null, {} and a servedBy without _id as '', and a missing or null departmentId as NULL.
            await connection.ExecuteAsync("""
                INSERT INTO rooms (id, t, ts, open, on_hold, served_by_id, chat_duration, department_id, department_ancestors) VALUES
                    ('r-served-null',  'l', @Ts, 1, 0, '',   NULL, NULL,    NULL),
                    ('r-served-empty', 'l', @Ts, 1, 0, '',   NULL, NULL,    NULL),
                    ('r-agent',        'l', @Ts, 1, 0, 'a1', NULL, 'dep-a', '["unit-a"]'),
                    ('r-on-hold',      'l', @Ts, 1, 1, 'a1', NULL, 'dep-a', '["unit-a"]'),
                    ('r-no-dep',       'l', @Ts, 0, 0, 'a1', 60,   NULL,    NULL),
                    ('r-null-dep',     'l', @Ts, 0, 0, 'a1', 0,    NULL,    NULL);
                INSERT INTO users (id, username) VALUES ('u-admin', 'boss');
                INSERT INTO user_roles (user_id, role_id) VALUES ('u-admin', 'admin');
                INSERT INTO login_tokens (user_id, hashed_token) VALUES ('u-admin', @Hash);
                INSERT INTO permission_roles (permission_id, role_id) VALUES ('view-livechat-reports', 'admin');
                """, new { Ts, Hash = LoginTokens.Hash(AdminToken) });
        }
        SqlitePools.Release(Database);
    }

    private async Task<(string Day, string Minutes)> BodiesAsync(AnalyticsFactory factory)
    {
        var client = await factory.RestAsync();
        var admin = new TestUser("u-admin", AdminToken);
        var (_, _, day) = await client.SendAsync(admin.Get($"{ConversationsByStatusPath}?start=2001-09-03&end=2001-09-04")).ReadAsync();
        var (_, _, minutes) = await client.SendAsync(admin.Get($"{ConversationsByStatusPath}?start=2001-09-03T11:59:00Z&end=2001-09-03T12:01:00Z")).ReadAsync();
        return (day, minutes);
    }

    private AnalyticsFactory Service() => new AnalyticsFactory().WithoutDefaults().With("ConnectionStrings:Analytics", $"Data Source={Database}");

    [Fact]
    public async Task A_previous_release_store_migrates_asks_for_a_re_import_and_is_exact_after_it()
    {
        await WritePreviousReleaseStoreAsync();

        string warning;
        await using (var factory = Service())
        {
            // Until the re-import, the rooms it could not tell apart keep the previous reading (served), from the
            // counts and from the rooms alike.
            var before = Bodies.Counts(6, ("Open", 3), ("Closed", 1), ("On_Hold", 1), ("Queued", 0));
            Assert.Equal((before, before), await BodiesAsync(factory));
            warning = Assert.Single(factory.Logs, line => line.Contains("import rocketchat_room.json again"));
        }
        Assert.Equal("Warning: 6 rooms were stored by an earlier release, which did not keep all the reports need (servedBy null or {}, " +
            "departmentId null or missing, source.alias, tags): import rocketchat_room.json again to count them exactly.", warning);

        // The same rooms, exported from MongoDB, imported again.
        var export = _root.Combine("export");
        Directory.CreateDirectory(export);
        File.WriteAllText(Path.Combine(export, "rocketchat_room.json"), string.Join("\n",
            """{"_id":"r-served-null","t":"l","ts":{"$date":"2001-09-03T12:00:00.000Z"},"open":true,"servedBy":null}""",
            """{"_id":"r-served-empty","t":"l","ts":{"$date":"2001-09-03T12:00:00.000Z"},"open":true,"servedBy":{}}""",
            """{"_id":"r-agent","t":"l","ts":{"$date":"2001-09-03T12:00:00.000Z"},"open":true,"servedBy":{"_id":"a1"},"departmentId":"dep-a","departmentAncestors":["unit-a"]}""",
            """{"_id":"r-on-hold","t":"l","ts":{"$date":"2001-09-03T12:00:00.000Z"},"open":true,"onHold":true,"servedBy":{"_id":"a1"},"departmentId":"dep-a","departmentAncestors":["unit-a"]}""",
            """{"_id":"r-no-dep","t":"l","ts":{"$date":"2001-09-03T12:00:00.000Z"},"servedBy":{"_id":"a1"},"metrics":{"chatDuration":60}}""",
            """{"_id":"r-null-dep","t":"l","ts":{"$date":"2001-09-03T12:00:00.000Z"},"servedBy":{"_id":"a1"},"metrics":{"chatDuration":0},"departmentId":null}"""));
        Assert.Equal(0, (await ImportCommand.RunAsync(export, Database)).Exit);

        await using (var factory = Service())
        {
            var after = Bodies.Counts(6, ("Open", 2), ("Closed", 1), ("Queued", 1), ("On_Hold", 1));
            Assert.Equal((after, after), await BodiesAsync(factory));
            Assert.DoesNotContain(factory.Logs, line => line.Contains("import rocketchat_room.json again"));
        }
        await using var connection = new SqliteConnection($"Data Source={Database}");
        Assert.Equal([("r-agent", 2L, 2L), ("r-no-dep", 2L, 0L), ("r-null-dep", 2L, 1L), ("r-on-hold", 2L, 2L), ("r-served-empty", 2L, 0L), ("r-served-null", 1L, 0L)],
            await connection.QueryAsync<(string, long, long)>("SELECT id, served_by_kind, department_kind FROM rooms ORDER BY id"));
    }

    [Fact]
    public async Task A_store_of_the_current_release_asks_for_nothing()
    {
        await using var factory = Service();
        await factory.RestAsync();
        await factory.AddRoomsAsync(Rooms.Queued(Rooms.At("2001-09-03T12:00:00Z")));

        Assert.DoesNotContain(factory.Logs, line => line.Contains("import rocketchat_room.json again"));
        Assert.Contains(factory.Logs, line => line == "Information: Applied schema migration 5 0005_truthiness_and_restriction");
    }

    /// <summary>
    /// Migration 13 keys the report cells by their period first (a first import's inserts then land at the tables' end):
    /// every cell of a store at migration 12 is there after it, and the service answers from them.
    /// </summary>
    [Fact]
    public async Task Migration_13_keys_the_report_cells_by_period_first_and_keeps_every_cell()
    {
        var dialect = new SqliteDialect();
        const string Cells = "SELECT report, day, k1_kind, k1, k2_kind, k2, total FROM report_counts ORDER BY report, day, k1, k2";
        const string HourCells = "SELECT report, hour, k1_kind, k1, k2_kind, k2, total FROM report_counts_hourly ORDER BY report, hour, k1, k2";
        List<(long, long, long, string, long, string, long)> days, hours;
        await using (var connection = new SqliteConnection($"Data Source={Database}"))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync(dialect.CreateMigrationsTable.Text);
            foreach (var migration in SchemaMigrator.Load(dialect).Where(m => m.Version <= 12))
            {
                await connection.ExecuteAsync(migration.Sql);
                await connection.ExecuteAsync(dialect.RecordMigration.Text, new MigrationParameters(migration.Version, migration.Name, DateTime.UtcNow));
            }
            // Cells of every report over two days and their hours, as migration 12's tables hold them (report first).
            await connection.ExecuteAsync("""
                INSERT INTO report_counts (report, day, k1_kind, k1, k2_kind, k2, total) VALUES
                    (4, 11568, 2, 'a1', 0, '', 3), (1, 11569, 2, 'widget', 0, '', 2), (3, 11568, 2, 'vip', 0, '', 5),
                    (2, 11568, 0, '', 0, '', 1), (4, 11569, 2, 'a2', 0, '', 1), (1, 11568, 2, 'app', 2, 'MyApp', 4);
                INSERT INTO report_counts_hourly (report, hour, k1_kind, k1, k2_kind, k2, total) VALUES
                    (4, 277644, 2, 'a1', 0, '', 3), (1, 277656, 2, 'widget', 0, '', 2), (3, 277644, 2, 'vip', 0, '', 5),
                    (2, 277632, 0, '', 0, '', 1), (4, 277656, 2, 'a2', 0, '', 1), (1, 277645, 2, 'app', 2, 'MyApp', 4);
                INSERT INTO users (id, username) VALUES ('u-admin', 'boss');
                INSERT INTO user_roles (user_id, role_id) VALUES ('u-admin', 'admin');
                INSERT INTO login_tokens (user_id, hashed_token) VALUES ('u-admin', @Hash);
                INSERT INTO permission_roles (permission_id, role_id) VALUES ('view-livechat-reports', 'admin');
                """, new { Hash = LoginTokens.Hash(AdminToken) });
            (days, hours) = ((await connection.QueryAsync<(long, long, long, string, long, string, long)>(Cells)).AsList(),
                (await connection.QueryAsync<(long, long, long, string, long, string, long)>(HourCells)).AsList());
        }
        SqlitePools.Release(Database);

        await using (var factory = Service())
        {
            var client = await factory.RestAsync();
            var (status, _, body) = await client.SendAsync(new TestUser("u-admin", AdminToken)
                .Get("/api/v1/livechat/analytics/dashboards/conversations-by-source?start=2001-09-03&end=2001-09-05")).ReadAsync();
            Assert.Equal((200, """{"total":6,"data":[{"label":"MyApp","value":4},{"label":"widget","value":2}],"success":true}"""), ((int)status, body));
            Assert.Contains(factory.Logs, line => line == "Information: Applied schema migration 13 0013_report_counts_period_first");
        }
        await using var migrated = new SqliteConnection($"Data Source={Database}");
        Assert.Equal(days, await migrated.QueryAsync<(long, long, long, string, long, string, long)>(Cells));
        Assert.Equal(hours, await migrated.QueryAsync<(long, long, long, string, long, string, long)>(HourCells));
        Assert.Equal(["day", "report", "k1_kind", "k1", "k2_kind", "k2"],
            await migrated.QueryAsync<string>("SELECT name FROM pragma_table_info('report_counts') WHERE pk > 0 ORDER BY pk"));
        Assert.Equal(["hour", "report", "k1_kind", "k1", "k2_kind", "k2"],
            await migrated.QueryAsync<string>("SELECT name FROM pragma_table_info('report_counts_hourly') WHERE pk > 0 ORDER BY pk"));
    }
}
