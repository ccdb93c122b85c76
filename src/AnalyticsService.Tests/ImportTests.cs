using AnalyticsService.Cli;
using AnalyticsService.Interceptors;
using AnalyticsService.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// `import &lt;dir&gt;` on hand-written mongoexport files, through the command line the README gives, then the endpoint's
/// answers over the imported store, worked out by hand.
/// </summary>
public sealed class ImportTests : IDisposable
{
    private readonly TempDirectory _root = new("analytics-import-");
    private string Export => _root.Combine("export");
    private string Database => _root.Combine("analytics.db");

    private const string AdminToken = "admin-token-8c1f0a";
    private const string AgentToken = "agent-token-2b7e94";
    private const string NewAdminToken = "admin-token-new-51d3";

    public ImportTests() => Directory.CreateDirectory(Export);

    public void Dispose() => _root.Dispose();

    private void File(string name, string content) => System.IO.File.WriteAllText(Path.Combine(Export, name), content);

    private static string Hash(string token) => Storage.LoginTokens.Hash(token);

    // Every Extended JSON form: $date as a relaxed string, canonical {$numberLong}, legacy milliseconds;
    // $numberInt, $numberLong, $numberDouble and plain numbers; $oid ids. One document per line.
    private static readonly string RoomsV1 = string.Join("\n",
        """{"_id":"r1","t":"l","ts":{"$date":"2020-09-10T10:00:00.000Z"},"open":true,"servedBy":{"_id":"a1","username":"agent"},"departmentId":"d1","v":{"_id":"guest"},"msgs":3}""",
        """{"_id":{"$oid":"5f5a0e3c8e0b2a0001a1b2c3"},"t":"l","ts":{"$date":{"$numberLong":"1599732000000"}},"open":true}""",
        """{"_id":"r3","t":"l","ts":{"$date":1599735600000},"open":true,"onHold":true,"servedBy":{"_id":"a1"}}""",
        """{"_id":"r4","t":"l","ts":{"$date":"2020-09-10T12:00:00Z"},"closedAt":{"$date":"2020-09-10T12:30:00Z"},"metrics":{"chatDuration":{"$numberDouble":"1800.5"}},"servedBy":{"_id":"a1"}}""",
        "",
        """{"_id":"r5","t":"l","ts":{"$date":"2020-09-10T13:00:00+00:00"},"metrics":{"chatDuration":{"$numberInt":"600"}}}""",
        """{"_id":"r6","t":"l","ts":{"$date":"2020-09-10T14:00:00Z"},"metrics":{"chatDuration":{"$numberLong":"0"}}}""",
        """{"_id":"r7","t":"c","ts":{"$date":"2020-09-10T14:00:00Z"},"name":"general"}""",
        """{"_id":"r8","t":"d","usernames":["a","b"]}""",
        """{"_id":"r9","t":"l","ts":{"$date":"2020-09-11T00:00:00Z"},"metrics":{"chatDuration":42}}""") + "\n";

    // --jsonArray, pretty-printed over several lines.
    private static readonly string UsersV1 = $$"""
        [
          {
            "_id": "u-admin", "username": "boss", "roles": ["admin", "user"], "active": true,
            "services": { "resume": { "loginTokens": [ { "when": { "$date": "2020-09-01T00:00:00Z" }, "hashedToken": "{{Hash(AdminToken)}}" } ] } }
          },
          { "_id": "u-agent", "username": "agent", "roles": ["livechat-agent"], "services": { "resume": { "loginTokens": [ { "hashedToken": "{{Hash(AgentToken)}}" } ] } } }
        ]
        """;

    private const string Permissions = """
        [{"_id":"view-livechat-reports","roles":["admin","livechat-manager","livechat-monitor"]},
        {"_id":"api-bypass-rate-limit","roles":["admin","bot","app"]}]
        """;

    private const string Roles = """
        {"_id":"admin","name":"admin","scope":"Users","protected":true}
        {"_id":"livechat-agent","name":"livechat-agent","scope":"Users"}
        {"_id":"livechat-manager","scope":"Users"}
        """;

    private Task<(int Exit, string Output, string Errors)> ImportAsync(params string[] extra) => ImportCommand.RunAsync(Export, Database, extra);

    private async Task<(int Status, string Body)> QueryAsync(string userId, string token, string query, string path = ConversationsByStatusPath)
    {
        await using var factory = new AnalyticsFactory().WithoutDefaults().With("ConnectionStrings:Analytics", $"Data Source={Database}");
        var client = await factory.RestAsync();
        var (status, _, body) = await client.SendAsync(new TestUser(userId, token).Get($"{path}?{query}")).ReadAsync();
        return (status, body);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private void WriteV1()
    {
        File("rocketchat_room.json", RoomsV1);
        File("users.json", UsersV1);
        File("rocketchat_permissions.json", Permissions);
        File("rocketchat_roles.json", Roles);
    }

    private const string Sep10 = "start=2020-09-10T00:00:00Z&end=2020-09-11T00:00:00Z";

    [Fact]
    public async Task Imports_every_extended_json_form_in_both_layouts_and_the_endpoint_counts_them()
    {
        WriteV1();

        var (exit, output, errors) = await ImportAsync();

        Assert.Equal((0, ""), (exit, errors));
        Assert.Equal([
            $"Reading {Export}",
            "file                                       imported    updated    removed    skipped    invalid",
            "rocketchat_roles.json                             3          0          0          0          0",
            "rocketchat_permissions.json                       2          0          0          0          0",
            "users.json                                        2          0          0          0          0",
            "rocketchat_room.json                              7          0          0          2          0",
        ], Lines(output).Select(l => l.TrimEnd()));
        // r1 open, the $oid room queued, r3 on hold, r4 and r5 closed, r6 (duration 0) only in total; r9 is the next day.
        Assert.Equal((200, """{"total":6,"data":[{"label":"Closed","value":2},{"label":"Open","value":1},{"label":"Queued","value":1},{"label":"On_Hold","value":1}],"success":true}"""),
            await QueryAsync("u-admin", AdminToken, Sep10));
        Assert.Equal((200, """{"total":7,"data":[{"label":"Closed","value":3},{"label":"Open","value":1},{"label":"Queued","value":1},{"label":"On_Hold","value":1}],"success":true}"""),
            await QueryAsync("u-admin", AdminToken, "start=2020-09-10&end=2020-09-12"));
        Assert.Equal((403, Bodies.NotPermitted), await QueryAsync("u-agent", AgentToken, Sep10));

        await using var connection = new SqliteConnection($"Data Source={Database}");
        var stored = await connection.QueryAsync<(string Id, long Ts, double? ChatDuration)>("SELECT id, ts, chat_duration FROM rooms ORDER BY id");
        Assert.Contains(("5f5a0e3c8e0b2a0001a1b2c3", 1599732000000L, (double?)null), stored);
        Assert.Contains(("r4", 1599739200000L, (double?)1800.5), stored);
        Assert.Equal(7, stored.Count());
    }

    [Fact]
    public async Task Importing_twice_leaves_the_same_state()
    {
        WriteV1();
        await ImportAsync();
        var first = await QueryAsync("u-admin", AdminToken, Sep10);
        var snapshot = await SnapshotAsync();

        var (exit, output, _) = await ImportAsync();

        Assert.Equal(0, exit);
        Assert.Contains("rocketchat_room.json                              0          7          0          2          0", output);
        Assert.Contains("users.json                                        0          2          0          0          0", output);
        Assert.Equal(first, await QueryAsync("u-admin", AdminToken, Sep10));
        Assert.Equal(snapshot, await SnapshotAsync());
    }

    [Fact]
    public async Task A_newer_export_brings_the_store_up_to_date_including_removals_inside_documents()
    {
        WriteV1();
        await ImportAsync();

        // Since then: r1 was closed, the $oid room taken by an agent, the admin's token replaced, the agent made a manager.
        File("rocketchat_room.json", string.Join("\n",
            """{"_id":"r1","t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":false,"servedBy":{"_id":"a1"},"metrics":{"chatDuration":300},"closedAt":{"$date":"2020-09-10T10:05:00Z"}}""",
            """{"_id":{"$oid":"5f5a0e3c8e0b2a0001a1b2c3"},"t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":true,"servedBy":{"_id":"a2"}}"""));
        File("users.json",
            """{"_id":"u-admin","username":"boss","roles":["admin"],"services":{"resume":{"loginTokens":[{"hashedToken":"HASH1"}]}}}""".Replace("HASH1", Hash(NewAdminToken)) + "\n" +
            """{"_id":"u-agent","username":"agent","roles":["livechat-manager"],"services":{"resume":{"loginTokens":[{"hashedToken":"HASH2"}]}}}""".Replace("HASH2", Hash(AgentToken)));

        var (exit, output, _) = await ImportAsync();

        Assert.Equal(0, exit);
        Assert.Contains("rocketchat_room.json                              0          2          0          0          0", output);
        Assert.Equal((401, Bodies.NotLoggedIn), await QueryAsync("u-admin", AdminToken, Sep10));
        var expected = """{"total":6,"data":[{"label":"Closed","value":3},{"label":"Open","value":1},{"label":"On_Hold","value":1},{"label":"Queued","value":0}],"success":true}""";
        Assert.Equal((200, expected), await QueryAsync("u-admin", NewAdminToken, Sep10));
        Assert.Equal((200, expected), await QueryAsync("u-agent", AgentToken, Sep10));
    }

    [Fact]
    public async Task Rocket_chat_s_trash_deletes_what_it_holds_and_a_deleted_room_leaves_every_count()
    {
        WriteV1();
        await ImportAsync();
        const string ByAgent = "/api/v1/livechat/analytics/dashboards/conversations-by-agent";
        Assert.Equal((200, """{"total":3,"data":[{"label":"a1","value":3}],"unspecified":3,"success":true}"""),
            await QueryAsync("u-admin", AdminToken, Sep10, ByAgent));
        foreach (var file in Directory.GetFiles(Export))
            System.IO.File.Delete(file);

        // An incremental export of the trash: r1 (open) and r4 (closed) deleted, the agent deleted, a permission deleted;
        // a room never stored and a message, which the service does not keep, are skipped.
        File("rocketchat__trash.json", string.Join("\n",
            """{"_id":"r1","t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":true,"__collection__":"rocketchat_room","_deletedAt":{"$date":"2020-09-12T00:00:00Z"}}""",
            """{"_id":"r4","__collection__":"rocketchat_room","_deletedAt":{"$date":"2020-09-12T00:00:00Z"}}""",
            """{"_id":"r-never","__collection__":"rocketchat_room","_deletedAt":{"$date":"2020-09-12T00:00:00Z"}}""",
            """{"_id":"u-agent","__collection__":"users","_deletedAt":{"$date":"2020-09-12T00:00:00Z"}}""",
            """{"_id":"api-bypass-rate-limit","__collection__":"rocketchat_permissions","_deletedAt":{"$date":"2020-09-12T00:00:00Z"}}""",
            """{"_id":"m1","__collection__":"rocketchat_message","_deletedAt":{"$date":"2020-09-12T00:00:00Z"}}"""));

        var (exit, output, errors) = await ImportAsync();

        Assert.Equal((0, ""), (exit, errors));
        Assert.Equal("rocketchat__trash.json                            0          0          4          2          0", Lines(output)[^1]);
        // Before: total 6, Closed 2, Open 1, Queued 1, On_Hold 1. r1 (open) and r4 (closed) are gone from every count.
        Assert.Equal((200, """{"total":4,"data":[{"label":"Closed","value":1},{"label":"Queued","value":1},{"label":"On_Hold","value":1},{"label":"Open","value":0}],"success":true}"""),
            await QueryAsync("u-admin", AdminToken, Sep10));
        Assert.Equal((200, """{"total":1,"data":[{"label":"a1","value":1}],"unspecified":3,"success":true}"""),
            await QueryAsync("u-admin", AdminToken, Sep10, ByAgent));
        Assert.Equal((401, Bodies.NotLoggedIn), await QueryAsync("u-agent", AgentToken, Sep10));
        await using var connection = new SqliteConnection($"Data Source={Database}");
        Assert.Equal((0L, 0L, 0L), (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM user_roles WHERE user_id = 'u-agent'"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM login_tokens WHERE user_id = 'u-agent'"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM permission_roles WHERE permission_id = 'api-bypass-rate-limit'")));

        // Importing the same trash again changes nothing.
        Assert.Equal("rocketchat__trash.json                            0          0          0          6          0", Lines((await ImportAsync()).Output)[^1]);
    }

    [Fact]
    public async Task A_trash_document_without_its_collection_is_refused_with_its_line()
    {
        File("rocketchat__trash.json", """{"_id":"r1","_deletedAt":{"$date":"2020-09-12T00:00:00Z"}}""");

        var (exit, _, errors) = await ImportAsync();

        Assert.Equal(1, exit);
        Assert.Equal($"{Path.Combine(Export, "rocketchat__trash.json")}:1: __collection__ is missing or not a string. Nothing of rocketchat__trash.json was imported.",
            errors.Trim());
    }

    [Fact]
    public async Task A_document_that_cannot_be_read_stops_the_import_and_leaves_that_file_unimported()
    {
        WriteV1();
        File("rocketchat_room.json", string.Join("\n",
            """{"_id":"ok-1","t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":true}""",
            """{"_id":"ok-2","t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":true}""",
            """{"_id":"no-ts","t":"l","open":true}""",
            """{"_id":"ok-3","t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":true}"""));

        var (exit, output, errors) = await ImportAsync();

        Assert.Equal(1, exit);
        Assert.Equal($"Reading {Export}", output.Trim()); // and nothing after it
        Assert.Equal($"{Path.Combine(Export, "rocketchat_room.json")}:3: ts is missing. Nothing of rocketchat_room.json was imported.", errors.Trim());
        await using var connection = new SqliteConnection($"Data Source={Database}");
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rooms"));
        Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users")); // read before the rooms
    }

    [Theory]
    [InlineData("{\"_id\":\"a\",\"t\":\"l\",\"ts\":{\"$date\":\"2020-09-10T10:00:00Z\"}}\n{\"_id\":\"b\",\"t\":\"l\",\"ts\":", 2, "invalid JSON (Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed)")]
    [InlineData("{\"_id\":\"a\",\"t\":\"l\",\"ts\":{\"$date\":\"yesterday\"}}", 1, "ts is not a date")]
    [InlineData("\n\n{\"_id\":\"a\",\"t\":\"l\",\"ts\":{\"$date\":\"2020-09-10T10:00:00Z\"},\"servedBy\":{\"_id\":5}}", 3, "servedBy._id is not a string")]
    [InlineData("{\"_id\":\"a\",\"t\":\"l\",\"ts\":{\"$date\":\"2020-09-10T10:00:00Z\"},\"departmentId\":[\"d\"]}", 1, "departmentId is not a string")]
    [InlineData("{\"t\":\"l\"}", 1, "_id is missing")]
    [InlineData("[1]", 1, "a document must be a JSON object")]
    [InlineData("{\"_id\":\"a\",\"t\":\"l\",\"ts\":{\"$date\":\"2020-09-10T10:00:00Z\"}} {\"_id\":\"b\"}", 1, "invalid JSON ('{' is invalid after a single JSON value. Expected end of data)")]
    [InlineData("[\n{\"_id\":\"a\",\"t\":\"l\",\"ts\":{\"$date\":\"2020-09-10T10:00:00Z\"}},\n{\"_id\":\"b\",\"t\":\"l\",\"ts\":{\"$date\":\"2020-09-10T10:00:00Z\"}}\n,,]", 4, "invalid JSON (',' is an invalid start of a value)")]
    [InlineData("[\n{\"_id\":\"a\",\"t\":\"l\",\"ts\":{\"$date\":\"2020-09-10T10:00:00Z\"}}\n", 3, "invalid JSON (Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed)")]
    [InlineData("{\"_id\":\"a\",\"t\":\"l\",\"ts\":{\"$date\":\"2020-09-10T10:00:00Z\"},\"metrics\":{\"chatDuration\":{\"$numberDouble\":\"many\"}}}", 1, "metrics.chatDuration is not a number")]
    public async Task Errors_name_the_file_the_line_and_what_is_wrong(string rooms, int line, string problem)
    {
        File("rocketchat_room.json", rooms);

        var (exit, _, errors) = await ImportAsync();

        Assert.Equal((1, $"{Path.Combine(Export, "rocketchat_room.json")}:{line}: {problem}. Nothing of rocketchat_room.json was imported."), (exit, errors.Trim()));
    }

    [Fact]
    public async Task Skip_invalid_imports_the_rest_and_lists_what_it_skipped()
    {
        WriteV1();
        File("rocketchat_room.json", string.Join("\n",
            """{"_id":"ok-1","t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":true}""",
            """{"_id":"no-ts","t":"l","open":true}""",
            """not json at all""",
            """{"_id":"ok-2","t":"l","ts":{"$date":"2020-09-10T11:00:00Z"},"metrics":{"chatDuration":5}}"""));

        var (exit, output, errors) = await ImportAsync("--skip-invalid");

        Assert.Equal((0, ""), (exit, errors));
        Assert.Contains("rocketchat_room.json                              2          0          0          0          2", output);
        Assert.EndsWith(string.Join("\n",
            "Skipped 2 invalid document(s):",
            "  rocketchat_room.json:2: ts is missing",
            "  rocketchat_room.json:3: invalid JSON ('not json at all' is an invalid JSON literal. Expected the literal 'null')"), output.TrimEnd().ReplaceLineEndings("\n"));
        Assert.Equal((200, """{"total":2,"data":[{"label":"Closed","value":1},{"label":"Queued","value":1},{"label":"Open","value":0},{"label":"On_Hold","value":0}],"success":true}"""),
            await QueryAsync("u-admin", AdminToken, Sep10));
    }

    [Fact]
    public async Task A_missing_directory_an_unreadable_file_or_an_unreachable_store_each_give_one_line()
    {
        var missing = _root.Combine("nowhere");
        var (noDirectory, _, e1) = await ImportCommand.RunAsync(missing, Database);
        Assert.Equal((1, $"{missing}: no such directory"), (noDirectory, e1.Trim()));

        Directory.CreateDirectory(Path.Combine(Export, "users.json"));
        var (exit, _, errors) = await ImportAsync();
        Assert.Equal((1, $"{Path.Combine(Export, "users.json")}: cannot be read: not a regular file"), (exit, errors.Trim()));
        Directory.Delete(Path.Combine(Export, "users.json"));

        var store = _root.Combine("no-such-folder", "analytics.db");
        var (unreachable, _, e3) = await ImportCommand.RunAsync(Export, store);
        Assert.Equal(1, unreachable);
        Assert.Equal($"The store cannot be reached: {store}: SQLite Error 14: 'unable to open database file'.", e3.Trim());
    }

    [Fact]
    public async Task Files_it_does_not_read_are_listed_and_an_import_of_nothing_fails()
    {
        File("rocketchat_message.json", "{}");
        File("users.json.bak", "{}");

        var (exit, output, errors) = await ImportAsync();

        Assert.Equal(1, exit);
        Assert.Equal([$"Reading {Export}", "Not read (not a collection the reports use): rocketchat_message.json"], Lines(output));
        Assert.StartsWith($"Nothing imported: {Export} holds none of rocketchat_roles.json, rocketchat_permissions.json,", errors.Trim());

        File("rocketchat_roles.json", Roles);
        (exit, output, _) = await ImportAsync();
        Assert.Equal(0, exit);
        Assert.Contains("Not read (not a collection the reports use): rocketchat_message.json", output);
    }

    [Fact]
    public async Task A_relative_directory_is_read_and_named_in_full()
    {
        WriteV1();
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Export);

        var (exit, output, _) = await ImportCommand.RunAsync(relative, Database);

        Assert.Equal(0, exit);
        Assert.StartsWith($"Reading {Export}", output);
    }

    private string ManyRooms(int count) => string.Join("\n", Enumerable.Range(0, count).Select(i =>
        $$"""{"_id":"room-{{i}}","t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":true,"fname":"{{new string('x', 200)}}"}"""));

    [Fact]
    public async Task A_read_only_store_is_named_as_such_and_keeps_what_it_had()
    {
        WriteV1();
        await ImportAsync();
        File("rocketchat_room.json", ManyRooms(10));

        var (exit, output, errors) = await ImportCommand.RunAsync(Export, $"{Database};Mode=ReadOnly");

        Assert.Equal((1, $"Reading {Export}", $"The store is read-only: {Database}."), (exit, output.Trim(), errors.Trim()));
        await using var connection = new SqliteConnection($"Data Source={Database}");
        Assert.Equal(7L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rooms"));
    }

    [Fact]
    public async Task A_store_locked_by_another_writer_is_named_as_such()
    {
        WriteV1();
        await ImportAsync();
        await using var other = new SqliteConnection($"Data Source={Database}");
        await other.OpenAsync();
        await using var transaction = other.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: holds the write lock

        var (exit, _, errors) = await ImportCommand.RunAsync(Export, $"{Database};Default Timeout=1", "--Database:CommandTimeoutSeconds=1");

        Assert.Equal((1, $"The store is locked by another writer: {Database}."), (exit, errors.Trim()));
    }

    [SkippableFact]
    public async Task A_full_disk_is_named_as_such_and_nothing_of_the_file_is_kept()
    {
        // A small file system of the test's own: a tmpfs of 1 MiB (needs the right to mount, as root has here).
        var disk = _root.Combine("small-disk");
        Directory.CreateDirectory(disk);
        var mount = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk])
            { RedirectStandardError = true })!;
        Skip.IfNot(mount.WaitForExit(10_000) && mount.ExitCode == 0, $"cannot mount a small tmpfs here: {mount.StandardError.ReadToEnd().Trim()}");
        var store = Path.Combine(disk, "analytics.db");
        try
        {
            WriteV1();
            File("rocketchat_room.json", ManyRooms(20_000));

            var (exit, output, errors) = await ImportCommand.RunAsync(Export, store);

            Assert.Equal((1, $"The disk holding the store is full: {store}."), (exit, errors.Trim()));
            Assert.Equal($"Reading {Export}", output.Trim()); // and nothing after it
            await using var connection = new SqliteConnection($"Data Source={store}");
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rooms"));
            Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users")); // files before it were kept
        }
        finally
        {
            SqlitePools.Release(store);
            System.Diagnostics.Process.Start("umount", [disk])!.WaitForExit(10_000);
        }
    }

    private async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Database}");
        var parts = new List<string>();
        foreach (var table in new[] { "rooms", "users", "user_roles", "login_tokens", "roles", "permission_roles", "departments", "department_ancestors",
            "unit_monitors", "department_agents", "room_counts", "room_counts_hourly" })
            parts.Add(table + ":" + string.Join("|", (await connection.QueryAsync(
                $"SELECT * FROM {table}")).Select(row => string.Join(",", ((IDictionary<string, object>)row).OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}"))).Order()));
        SqlitePools.Release(Database);
        return string.Join("\n", parts);
    }

    // Every cell of the seven counts tables that holds a room (a cell whose rooms all left stays, at zero).
    private const string CountCells = """
        SELECT 'status day' AS t, day AS period, department_kind || '/' || department_id || '/' || department_ancestors AS k, total, open, queued, on_hold, closed FROM room_counts WHERE total <> 0
        UNION ALL SELECT 'status hour', hour, department_kind || '/' || department_id || '/' || department_ancestors, total, open, queued, on_hold, closed FROM room_counts_hourly WHERE total <> 0
        UNION ALL SELECT 'all day', day, '', total, open, queued, on_hold, closed FROM room_counts_all WHERE total <> 0
        UNION ALL SELECT 'all hour', hour, '', total, open, queued, on_hold, closed FROM room_counts_all_hourly WHERE total <> 0
        UNION ALL SELECT 'report day', day, report || '/' || k1_kind || '/' || k1 || '/' || k2_kind || '/' || k2, total, 0, 0, 0, 0 FROM report_counts WHERE total <> 0
        UNION ALL SELECT 'report hour', hour, report || '/' || k1_kind || '/' || k1 || '/' || k2_kind || '/' || k2, total, 0, 0, 0, 0 FROM report_counts_hourly WHERE total <> 0
        UNION ALL SELECT 'source day', day, department_kind || '/' || department_id || '/' || department_ancestors || '/' || k1_kind || '/' || k1 || '/' || k2_kind || '/' || k2, total, 0, 0, 0, 0 FROM source_counts WHERE total <> 0
        ORDER BY 1, 2, 3
        """;

    [Fact]
    public async Task A_first_import_counts_its_rooms_once_at_commit_into_the_same_cells_as_counting_batch_by_batch()
    {
        // Several batches of generated rooms, then, in later batches, a room written again elsewhere in time and with
        // another department (the last document wins) and a room that stopped being omnichannel (it leaves the store).
        var generated = _root.Combine("generated");
        Assert.Equal(0, GenerateTool.Run(CommandLine.Parse(["generate", "--rooms", "5000", "--out", generated, "--seed", "5", "--days", "12", "--end", "2026-11-01"]),
            new StringWriter(), TimeProvider.System));
        var rooms = System.IO.File.ReadAllLines(Path.Combine(generated, "rocketchat_room.json"));
        var again = System.Text.Json.Nodes.JsonNode.Parse(rooms[10])!;
        again["ts"] = System.Text.Json.Nodes.JsonNode.Parse("""{"$date":"2026-10-25T23:59:59.999Z"}""");
        again["departmentId"] = "d-moved";
        var gone = System.Text.Json.Nodes.JsonNode.Parse(rooms[20])!;
        gone["t"] = "c";
        // And two rooms centuries away from the rest, one before 1970 (a negative day).
        var early = System.Text.Json.Nodes.JsonNode.Parse(rooms[30])!;
        early["_id"] = "early";
        early["ts"] = System.Text.Json.Nodes.JsonNode.Parse("""{"$date":{"$numberLong":"-2208988800001"}}"""); // 1899-12-31T23:59:59.999Z
        var late = System.Text.Json.Nodes.JsonNode.Parse(rooms[40])!;
        late["_id"] = "late";
        late["ts"] = System.Text.Json.Nodes.JsonNode.Parse("""{"$date":"2900-01-01T00:00:00Z"}""");
        System.IO.File.WriteAllLines(Path.Combine(generated, "rocketchat_room.json"),
            [.. rooms, again.ToJsonString(), gone.ToJsonString(), early.ToJsonString(), late.ToJsonString()]);

        // A: into an empty store, so the rooms are counted once at commit.
        var first = _root.Combine("first.db");
        var (exit, output, errors) = await ImportCommand.RunAsync(generated, first);
        Assert.Equal((0, ""), (exit, errors));
        Assert.Equal("rocketchat_room.json                           5002          1          1          0          0", Lines(output)[^1]);

        // B: the same export into a store that already holds a room, counted batch by batch; then that room is deleted.
        var second = _root.Combine("second.db");
        File("rocketchat_room.json", """{"_id":"seed","t":"l","ts":{"$date":"2026-10-25T12:00:00Z"},"open":true,"departmentId":"d-moved","tags":["x"]}""");
        await ImportCommand.RunAsync(Export, second);
        Assert.Equal(0, (await ImportCommand.RunAsync(generated, second)).Exit);
        System.IO.File.Delete(Path.Combine(Export, "rocketchat_room.json"));
        File("rocketchat__trash.json", """{"_id":"seed","__collection__":"rocketchat_room","_deletedAt":{"$date":"2026-11-01T00:00:00Z"}}""");
        Assert.Equal(0, (await ImportCommand.RunAsync(Export, second)).Exit);

        await using var a = new SqliteConnection($"Data Source={first}");
        await using var b = new SqliteConnection($"Data Source={second}");
        var cells = (await a.QueryAsync<(string, long, string, long, long, long, long, long)>(CountCells)).ToList();
        Assert.Equal(cells, await b.QueryAsync<(string, long, string, long, long, long, long, long)>(CountCells));
        Assert.Equal(5001L, cells.Where(c => c.Item1 == "all day").Sum(c => c.Item4)); // 5,002 rooms, one of them gone
        Assert.Equal((-25568L, 1L), cells.Where(c => c.Item1 == "all day").Select(c => (c.Item2, c.Item4)).First()); // 1899-12-31
        Assert.Equal(1L, cells.Where(c => c.Item1 == "status day" && c.Item3.StartsWith("2/d-moved/", StringComparison.Ordinal)).Sum(c => c.Item4));
        Assert.Equal(4768L, cells.Where(c => c.Item1 == "source day").Sum(c => c.Item4)); // the rooms with a source field
        Assert.Equal(4768L, cells.Where(c => c.Item1 == "report day" && c.Item3.StartsWith("1/", StringComparison.Ordinal)).Sum(c => c.Item4));
        Assert.Equal(0L, await a.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM report_counts_hourly WHERE total = 0")); // each cell written once
    }
}
