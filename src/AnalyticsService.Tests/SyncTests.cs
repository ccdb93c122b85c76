using System.Text.Json;
using AnalyticsService.Import;
using AnalyticsService.Storage;
using AnalyticsService.Sync;
using AnalyticsService.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// Following Rocket.Chat's MongoDB, from the driver's boundary inward: change events written as a change stream emits
/// them (Extended JSON, fullDocument looked up for updates) applied to the store through the importer's readers and the
/// one write path, with the resume token in the same transaction.
/// </summary>
public sealed class SyncTests
{
    private static int _clusterTime;

    /// <summary>A change event as MongoDB writes it: _id (the resume token), operationType, ns, documentKey, fullDocument.</summary>
    private static string Event(string operation, string collection, string id, string? fullDocument, string? extra = null)
    {
        var t = Interlocked.Increment(ref _clusterTime);
        return "{\"_id\":{\"_data\":\"8265" + t.ToString("D8") + "000000012B0229296E04\"},\"operationType\":\"" + operation + "\"," +
            "\"clusterTime\":{\"$timestamp\":{\"t\":1700000000,\"i\":" + t + "}},\"wallTime\":{\"$date\":\"2023-11-14T22:13:" + (t % 60).ToString("D2") + ".000Z\"}," +
            (fullDocument is null ? "" : "\"fullDocument\":" + fullDocument + ",") + extra +
            "\"ns\":{\"db\":\"rocketchat\",\"coll\":\"" + collection + "\"},\"documentKey\":{\"_id\":\"" + id + "\"}}";
    }

    private static ChangeEvent Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ChangeEvent.Parse(document.RootElement);
    }

    [Fact]
    public async Task Inserts_updates_replaces_deletes_and_trash_documents_leave_the_store_as_MongoDB_has_it()
    {
        await using var factory = new AnalyticsFactory();
        var admin = await factory.CreateUserAsync("admin");
        var applier = new ChangeApplier(factory.Writer, TimeProvider.System);
        string[] events =
        [
            Event("insert", "rocketchat_room", "r1", """{"_id":"r1","t":"l","ts":{"$date":"2020-09-10T10:00:00.000Z"},"open":true}"""),
            Event("insert", "rocketchat_room", "r2", """{"_id":"r2","t":"l","ts":{"$date":"2020-09-10T11:00:00.000Z"},"open":true,"servedBy":{"_id":"a1","username":"ann"},"source":{"type":"widget"},"tags":["t1"]}"""),
            Event("update", "rocketchat_room", "r1", """{"_id":"r1","t":"l","ts":{"$date":"2020-09-10T10:00:00.000Z"},"open":true,"servedBy":{"_id":"a1","username":"ann"}}""",
                """ "updateDescription":{"updatedFields":{"servedBy":{"_id":"a1","username":"ann"}},"removedFields":[],"truncatedArrays":[]},"""),
            Event("replace", "rocketchat_room", "r2", """{"_id":"r2","t":"l","ts":{"$date":"2020-09-10T11:00:00.000Z"},"servedBy":{"_id":"a1"},"source":{"type":"widget"},"tags":["t1"],"metrics":{"chatDuration":300},"closedAt":{"$date":"2020-09-10T11:05:00.000Z"}}"""),
            Event("insert", "rocketchat_room", "r3", """{"_id":"r3","t":"l","ts":{"$date":"2020-09-10T12:00:00.000Z"},"open":true}"""),
            Event("delete", "rocketchat_room", "r3", null),
            Event("update", "rocketchat_room", "r4", null, """ "updateDescription":{"updatedFields":{"open":false},"removedFields":[]},"""), // gone since
            Event("insert", "rocketchat_message", "m1", """{"_id":"m1","rid":"r1","msg":"hello"}"""),
            Event("insert", "rocketchat_room", "r5", """{"_id":"r5","t":"l","ts":{"$date":"2020-09-10T12:30:00.000Z"},"open":true}"""),
            Event("insert", "rocketchat__trash", "r5", """{"_id":"r5","t":"l","__collection__":"rocketchat_room","_deletedAt":{"$date":"2023-11-14T22:13:30.000Z"}}"""),
            Event("insert", "users", "u1", """{"_id":"u1","username":"ann","name":"Ann","roles":["livechat-agent"]}"""),
            Event("insert", "rocketchat__trash", "u1", """{"_id":"u1","__collection__":"users","_deletedAt":{"$date":"2023-11-14T22:13:40.000Z"}}"""),
            // The stream ends (a database dropped or renamed): its token is kept, to watch again after it (startAfter).
            """{"_id":{"_data":"82650000009900000001"},"operationType":"invalidate","clusterTime":{"$timestamp":{"t":1700000000,"i":99}},"wallTime":{"$date":"2023-11-14T22:14:00.000Z"}}""",
        ];

        var applied = await applier.ApplyAsync("rocketchat", events.Select(Parse).ToList(), CancellationToken.None);

        // r1 and r2 kept; r3 and r5 inserted then deleted; u1 inserted then moved to the trash; the update of a document
        // gone since, the message and the invalidate event passed over.
        Assert.Equal((new UpsertCounts(Inserted: 5, Updated: 2, Removed: 3), 3, 0), (applied.Counts, applied.Ignored, applied.Invalid.Count));
        var client = await factory.RestAsync();
        async Task<string> Body(string report) =>
            (await client.SendAsync(admin.Get($"/api/v1/livechat/analytics/dashboards/{report}?start=2020-09-10&end=2020-09-11")).ReadAsync()).Body;
        Assert.Equal("""{"total":2,"data":[{"label":"Open","value":1},{"label":"Closed","value":1},{"label":"Queued","value":0},{"label":"On_Hold","value":0}],"success":true}""",
            await Body("conversations-by-status"));
        Assert.Equal("""{"total":2,"data":[{"label":"a1","value":2}],"unspecified":0,"success":true}""", await Body("conversations-by-agent"));
        Assert.Equal("""{"total":1,"data":[{"label":"widget","value":1}],"success":true}""", await Body("conversations-by-source"));
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE id = 'u1'"));
        Assert.Equal("""{"_data":"82650000009900000001"}""", await connection.ExecuteScalarAsync<string>("SELECT resume_token FROM sync_state WHERE stream = 'rocketchat'"));
    }

    [Fact]
    public async Task A_batch_that_does_not_commit_leaves_both_its_changes_and_the_resume_token_as_they_were()
    {
        await using var factory = new AnalyticsFactory();
        await factory.RestAsync();
        var applier = new ChangeApplier(factory.Writer, TimeProvider.System);
        var first = Parse(Event("insert", "rocketchat_room", "r1", """{"_id":"r1","t":"l","ts":{"$date":"2020-09-10T10:00:00.000Z"},"open":true}"""));
        await applier.ApplyAsync("rocketchat", [first], CancellationToken.None);

        // The second batch stops before its commit, as a process killed between its writes would.
        using var stopping = new CancellationTokenSource();
        var second = new[]
        {
            Parse(Event("insert", "rocketchat_room", "r2", """{"_id":"r2","t":"l","ts":{"$date":"2020-09-10T11:00:00.000Z"},"open":true}""")),
            Parse(Event("insert", "rocketchat_room", "r3", """{"_id":"r3","t":"l","ts":{"$date":"2020-09-10T12:00:00.000Z"},"open":true}""")),
        };
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => applier.ApplyAsync("rocketchat", second, stopping.Token));

        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        Assert.Equal(["r1"], await connection.QueryAsync<string>("SELECT id FROM rooms ORDER BY id"));
        Assert.Equal(first.ResumeToken, await connection.ExecuteScalarAsync<string>("SELECT resume_token FROM sync_state WHERE stream = 'rocketchat'"));
    }

    [Fact]
    public async Task A_store_fed_only_by_events_equals_a_store_fed_by_an_import_of_the_same_final_state()
    {
        var random = new Random(20261126);
        var final = new Dictionary<(string Collection, string Id), string?>();
        var events = new List<string>();
        string[] agents = ["a1", "a2", "a3"];
        string[] tagNames = ["vip", "sales", "bug"];
        string Room(string id)
        {
            var ts = DateTimeOffset.Parse("2020-09-08T00:00:00Z").AddMinutes(random.Next(5 * 24 * 60)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
            var fields = new List<string> { $"\"_id\":\"{id}\"", "\"t\":\"l\"", $"\"ts\":{{\"$date\":\"{ts}\"}}" };
            if (random.Next(2) == 0) fields.Add("\"open\":true");
            if (random.Next(4) == 0) fields.Add("\"onHold\":true");
            switch (random.Next(3))
            {
                case 0: fields.Add($"\"servedBy\":{{\"_id\":\"{agents[random.Next(agents.Length)]}\"}}"); break;
                case 1: fields.Add("\"servedBy\":null"); break;
            }
            if (random.Next(2) == 0) fields.Add($"\"departmentId\":\"d{random.Next(3)}\"");
            if (random.Next(2) == 0) fields.Add($"\"tags\":[{string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => $"\"{tagNames[random.Next(tagNames.Length)]}\""))}]");
            if (random.Next(2) == 0) fields.Add($"\"source\":{{\"type\":\"{(random.Next(2) == 0 ? "widget" : "email")}\"}}");
            if (random.Next(3) == 0) fields.Add("\"metrics\":{\"chatDuration\":120}");
            return "{" + string.Join(",", fields) + "}";
        }
        string User(string id) => $$"""{"_id":"{{id}}","username":"{{id}}","name":"Name {{random.Next(100)}}","roles":["livechat-agent"]}""";
        string Department(string id) => $$"""{"_id":"{{id}}","name":"Department {{random.Next(3)}}"{{(random.Next(2) == 0 ? ",\"ancestors\":[\"u1\"]" : "")}}}""";
        string Role(string id) => $$"""{"_id":"{{id}}","name":"{{id}}","scope":"Users"}""";
        string Permission(string id) => $$"""{"_id":"{{id}}","roles":["admin"{{(random.Next(2) == 0 ? ",\"livechat-monitor\"" : "")}}]}""";
        string UnitMonitor(string id) => $$"""{"_id":"{{id}}","unitId":"u1","monitorId":"{{agents[random.Next(agents.Length)]}}","username":"m"}""";
        string DepartmentAgent(string id) => $$"""{"_id":"{{id}}","agentId":"{{agents[random.Next(agents.Length)]}}","departmentId":"d{{random.Next(3)}}","username":"a"}""";

        for (var i = 0; i < 600; i++)
        {
            var (collection, id, make) = random.Next(14) switch
            {
                < 7 => ("rocketchat_room", $"r{random.Next(40)}", (Func<string, string>)Room),
                < 9 => ("users", agents[random.Next(agents.Length)], User),
                9 => ("rocketchat_livechat_department", $"d{random.Next(3)}", Department),
                10 => ("rocketchat_roles", $"role{random.Next(3)}", Role),
                11 => ("rocketchat_permissions", $"perm{random.Next(3)}", Permission),
                12 => ("rocketchat_livechat_unit_monitors", $"um{random.Next(3)}", UnitMonitor),
                _ => ("rocketchat_livechat_department_agents", $"da{random.Next(4)}", DepartmentAgent),
            };
            var exists = final.TryGetValue((collection, id), out var current) && current is not null;
            switch (random.Next(exists ? 5 : 1))
            {
                case 0:
                case 1:
                    var document = make(id);
                    events.Add(Event(exists ? (random.Next(2) == 0 ? "update" : "replace") : "insert", collection, id, document));
                    final[(collection, id)] = document;
                    break;
                case 2:
                case 3:
                    events.Add(Event("delete", collection, id, null));
                    final[(collection, id)] = null;
                    break;
                default:
                    events.Add(Event("insert", "rocketchat__trash", id,
                        "{\"_id\":\"" + id + "\",\"__collection__\":\"" + collection + "\",\"_deletedAt\":{\"$date\":\"2023-11-14T22:13:00.000Z\"}}"));
                    final[(collection, id)] = null;
                    break;
            }
        }

        await using var byEvents = new AnalyticsFactory().WithoutDefaults();
        await byEvents.RestAsync();
        var applier = new ChangeApplier(byEvents.Writer, TimeProvider.System);
        for (var at = 0; at < events.Count;)
        {
            var size = Math.Min(1 + random.Next(60), events.Count - at);
            await applier.ApplyAsync("rocketchat", events.Skip(at).Take(size).Select(Parse).ToList(), CancellationToken.None);
            at += size;
        }

        using var export = new TempDirectory("analytics-sync-export-");
        foreach (var group in final.Where(f => f.Value is not null).GroupBy(f => f.Key.Collection))
            await File.WriteAllLinesAsync(Path.Combine(export.Path, group.Key + ".json"), group.Select(f => f.Value!));
        await using var byImport = new AnalyticsFactory().WithoutDefaults();
        await byImport.RestAsync();
        await byImport.Services.GetRequiredService<Importer>().ImportAsync(export.Path, skipInvalid: false);

        foreach (var table in new[] { "rooms", "users", "user_roles", "departments", "department_ancestors", "roles", "permission_roles",
                     "unit_monitors", "department_agents", "room_counts", "room_counts_hourly", "room_counts_all", "room_counts_all_hourly",
                     "report_counts", "report_counts_hourly" })
        {
            var (a, b) = (await DumpAsync(byEvents.DatabasePath, table), await DumpAsync(byImport.DatabasePath, table));
            Assert.True(a.SequenceEqual(b), $"{table}: {a.Count} rows from events, {b.Count} from the import; first difference: " +
                $"{a.Except(b).FirstOrDefault()} / {b.Except(a).FirstOrDefault()}");
        }
        Assert.True((await DumpAsync(byEvents.DatabasePath, "rooms")).Count > 10, "the sequence leaves rooms to compare");
    }

    /// <summary>A table's rows as text, sorted; count cells with nothing left in them are no rows.</summary>
    // (A restricted caller's answers follow from these tables; the answers of the reports are compared in the fixture test.)
    private static async Task<List<string>> DumpAsync(string database, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        var rows = (await connection.QueryAsync(table.Contains("counts") ? $"SELECT * FROM {table} WHERE total <> 0" : $"SELECT * FROM {table}"))
            .Select(row => string.Join("|", ((IDictionary<string, object?>)row).Select(kv => $"{kv.Key}={kv.Value}")))
            .Order(StringComparer.Ordinal).ToList();
        SqliteConnection.ClearAllPools();
        return rows;
    }
}
