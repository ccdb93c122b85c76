using AnalyticsService.Import;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>
/// A random history of the seven collections the store keeps, told as a change stream tells it (inserts, updates with
/// their looked-up document, replaces, deletes, trash documents), with what the collections hold after any number of
/// its events: the state a store fed by those events must equal.
/// </summary>
public sealed class ChangeHistory
{
    private static int _clusterTime;

    /// <summary>Each event, the document it is about, and that document after it (null: deleted).</summary>
    private readonly List<(string Json, string Collection, string Id, string? Document)> _steps = [];

    public IReadOnlyList<string> Events => [.. _steps.Select(s => s.Json)];

    /// <summary>A change event as MongoDB writes it: _id (the resume token), operationType, ns, documentKey, fullDocument.</summary>
    public static string Event(string operation, string collection, string id, string? fullDocument, string? extra = null)
    {
        var t = Interlocked.Increment(ref _clusterTime);
        return "{\"_id\":{\"_data\":\"8265" + t.ToString("D8") + "000000012B0229296E04\"},\"operationType\":\"" + operation + "\"," +
            "\"clusterTime\":{\"$timestamp\":{\"t\":1700000000,\"i\":" + t + "}},\"wallTime\":{\"$date\":\"2023-11-14T22:13:" + (t % 60).ToString("D2") + ".000Z\"}," +
            (fullDocument is null ? "" : "\"fullDocument\":" + fullDocument + ",") + extra +
            "\"ns\":{\"db\":\"rocketchat\",\"coll\":\"" + collection + "\"},\"documentKey\":{\"_id\":\"" + id + "\"}}";
    }

    /// <summary>The resume token of an event (its _id, as the store records it).</summary>
    public static string TokenOf(string eventJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(eventJson);
        return document.RootElement.GetProperty("_id").GetRawText();
    }

    /// <summary>How many events lead up to and include the one with this resume token.</summary>
    public int CountThrough(string resumeToken)
    {
        var at = _steps.FindIndex(s => TokenOf(s.Json) == resumeToken);
        return at < 0 ? throw new ArgumentException($"no event has the token {resumeToken}") : at + 1;
    }

    /// <summary>Each document the collections hold after the first <paramref name="count"/> events.</summary>
    public IEnumerable<(string Collection, string Document)> StateAfter(int count)
    {
        var state = new Dictionary<(string, string), (string Collection, string? Document)>();
        foreach (var step in _steps.Take(count))
            state[(step.Collection, step.Id)] = (step.Collection, step.Document);
        return state.Values.Where(v => v.Document is not null).Select(v => (v.Collection, v.Document!));
    }

    /// <summary>The state after <paramref name="count"/> events as mongoexport writes it: a file per collection.</summary>
    public async Task WriteExportAsync(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        foreach (var group in StateAfter(count).GroupBy(d => d.Collection))
            await File.WriteAllLinesAsync(Path.Combine(directory, group.Key + ".json"), group.Select(d => d.Document));
    }

    /// <summary>
    /// <paramref name="count"/> events over rooms (half of them), users, departments, roles, permissions, unit monitors and
    /// department agents, each inserting, updating, replacing or deleting (by a delete event or a trash document).
    /// </summary>
    public static ChangeHistory Random(int seed, int count)
    {
        var random = new Random(seed);
        var history = new ChangeHistory();
        var exists = new HashSet<(string, string)>();
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
        // u1 is a unit (type "u"): while it exists, agents and monitors who are not managers see only their rooms.
        string Department(string id) => id == "u1" ? """{"_id":"u1","name":"Unit 1","type":"u"}"""
            : $$"""{"_id":"{{id}}","name":"Department {{random.Next(3)}}"{{(random.Next(2) == 0 ? ",\"ancestors\":[\"u1\"]" : "")}}}""";
        string Role(string id) => $$"""{"_id":"{{id}}","name":"{{id}}","scope":"Users"}""";
        string Permission(string id) => $$"""{"_id":"{{id}}","roles":["admin"{{(random.Next(2) == 0 ? ",\"livechat-monitor\"" : "")}}]}""";
        string UnitMonitor(string id) => $$"""{"_id":"{{id}}","unitId":"u1","monitorId":"{{agents[random.Next(agents.Length)]}}","username":"m"}""";
        string DepartmentAgent(string id) => $$"""{"_id":"{{id}}","agentId":"{{agents[random.Next(agents.Length)]}}","departmentId":"d{{random.Next(3)}}","username":"a"}""";

        for (var i = 0; i < count; i++)
        {
            var (collection, id, make) = random.Next(14) switch
            {
                < 7 => ("rocketchat_room", $"r{random.Next(40)}", (Func<string, string>)Room),
                < 9 => ("users", agents[random.Next(agents.Length)], User),
                9 => ("rocketchat_livechat_department", random.Next(4) == 0 ? "u1" : $"d{random.Next(3)}", Department),
                10 => ("rocketchat_roles", $"role{random.Next(3)}", Role),
                11 => ("rocketchat_permissions", $"perm{random.Next(3)}", Permission),
                12 => ("rocketchat_livechat_unit_monitors", $"um{random.Next(3)}", UnitMonitor),
                _ => ("rocketchat_livechat_department_agents", $"da{random.Next(4)}", DepartmentAgent),
            };
            var existed = exists.Contains((collection, id));
            switch (random.Next(existed ? 5 : 1))
            {
                case 0:
                case 1:
                    var document = make(id);
                    history._steps.Add((Event(existed ? (random.Next(2) == 0 ? "update" : "replace") : "insert", collection, id, document), collection, id, document));
                    exists.Add((collection, id));
                    break;
                case 2:
                case 3:
                    history._steps.Add((Event("delete", collection, id, null), collection, id, null));
                    exists.Remove((collection, id));
                    break;
                default:
                    history._steps.Add((Event("insert", "rocketchat__trash", id,
                        "{\"_id\":\"" + id + "\",\"__collection__\":\"" + collection + "\",\"_deletedAt\":{\"$date\":\"2023-11-14T22:13:00.000Z\"}}"), collection, id, null));
                    exists.Remove((collection, id));
                    break;
            }
        }
        // The history ends with the unit in place, so that the answers compared at the end include restricted callers.
        if (!exists.Contains(("rocketchat_livechat_department", "u1")))
        {
            var unit = Department("u1");
            history._steps.Add((Event("insert", "rocketchat_livechat_department", "u1", unit), "rocketchat_livechat_department", "u1", unit));
        }
        return history;
    }

    /// <summary>Every table a follower writes, the counts included; sync_state is the follower's own.</summary>
    public static readonly string[] Tables =
    [
        "rooms", "users", "user_roles", "departments", "department_ancestors", "roles", "permission_roles", "unit_monitors",
        "department_agents", "room_counts", "room_counts_hourly", "room_counts_all", "room_counts_all_hourly", "report_counts",
        "report_counts_hourly",
    ];

    /// <summary>
    /// Asserts that the SQLite store at <paramref name="database"/> holds, table by table, what an import of the state after
    /// <paramref name="count"/> events gives; and, when <paramref name="service"/> serves that store, that it answers every
    /// report as a service on the import does, to an admin and to each agent (restricted while the unit exists).
    /// </summary>
    public async Task AssertStoreEqualsImportAsync(string database, int count, string context, AnalyticsFactory? service = null)
    {
        using var export = new TempDirectory("analytics-history-export-");
        await WriteExportAsync(export.Path, count);
        await using var byImport = new AnalyticsFactory().WithoutDefaults();
        await byImport.RestAsync();
        await byImport.Services.GetRequiredService<Importer>().ImportAsync(export.Path, skipInvalid: false);
        foreach (var table in Tables)
        {
            var (a, b) = (await DumpAsync(database, table), await DumpAsync(byImport.DatabasePath, table));
            Assert.True(a.SequenceEqual(b), $"{context}: {table}: {a.Count} rows in the store, {b.Count} from the import of the state after " +
                $"{count} events; first difference: {a.Except(b).FirstOrDefault()} / {b.Except(a).FirstOrDefault()}");
        }
        if (service is null)
            return;
        var (answers, expected) = (await AnswersAsync(service), await AnswersAsync(byImport));
        Assert.Equal(expected, answers);
        Assert.Contains(expected, a => a.Body.Contains("\"success\":true") && !a.Body.Contains("\"total\":0,"));
        // The unit restricts: some agent is answered otherwise than the admin, for the same report and range.
        Assert.Contains(expected, a => a.Restricted && a.Body != expected.Single(admin => (admin.Report, admin.Range, admin.Caller) == (a.Report, a.Range, "admin")).Body);
    }

    private sealed record Answer(string Report, string Range, string Caller, bool Restricted, string Body);

    private static readonly string[] Reports =
        ["conversations-by-status", "conversations-by-source", "conversations-by-department", "conversations-by-tags", "conversations-by-agent"];

    /// <summary>
    /// Every report over two ranges (every room; partial days at both ends) for an admin and for each agent of the history,
    /// each with its status and body. The callers' tokens and the report permission are written
    /// straight into the store (the history has no login tokens), the same in both stores.
    /// </summary>
    private static async Task<List<Answer>> AnswersAsync(AnalyticsFactory service)
    {
        string[] callers = ["admin", "a1", "a2", "a3"];
        var store = service.Services.GetRequiredService<Storage.Store>();
        await store.QueryAsync(false, async connection =>
        {
            await connection.ExecuteAsync("""
                INSERT OR IGNORE INTO users (id, username) VALUES ('admin', 'admin');
                INSERT OR IGNORE INTO user_roles (user_id, role_id) VALUES ('admin', 'admin');
                INSERT OR IGNORE INTO permission_roles (permission_id, role_id) VALUES
                    ('view-livechat-reports', 'admin'), ('view-livechat-reports', 'livechat-agent');
                """);
            foreach (var caller in callers)
                await connection.ExecuteAsync("INSERT OR IGNORE INTO login_tokens (user_id, hashed_token) VALUES (@Caller, @Hash)",
                    new { Caller = caller, Hash = Storage.LoginTokens.Hash("token-" + caller) });
            return 0;
        }, CancellationToken.None);
        var restricted = await store.QueryAsync(false, async connection =>
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM departments WHERE type = 'u'") > 0, CancellationToken.None);
        var client = await service.RestAsync();
        var answers = new List<Answer>();
        foreach (var report in Reports)
            foreach (var range in (string[])["start=2020-09-01&end=2020-09-30", "start=2020-09-09T05:30:00.000Z&end=2020-09-11T17:45:00.000Z"])
                foreach (var caller in callers)
                {
                    var (status, _, body) = await client.SendAsync(new TestUser(caller, "token-" + caller)
                        .Get($"/api/v1/livechat/analytics/dashboards/{report}?{range}")).ReadAsync();
                    answers.Add(new Answer(report, range, caller, restricted && caller != "admin", $"{status} {body}"));
                }
        return answers;
    }

    /// <summary>A table's rows as text, sorted; count cells with nothing left in them are no rows.</summary>
    public static async Task<List<string>> DumpAsync(string database, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        return (await connection.QueryAsync(table.Contains("counts") ? $"SELECT * FROM {table} WHERE total <> 0" : $"SELECT * FROM {table}"))
            .Select(row => string.Join("|", ((IDictionary<string, object?>)row).Select(kv => $"{kv.Key}={kv.Value}")))
            .Order(StringComparer.Ordinal).ToList();
    }
}
