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
    private static string Event(string operation, string collection, string id, string? fullDocument, string? extra = null) =>
        ChangeHistory.Event(operation, collection, id, fullDocument, extra);

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
        var history = ChangeHistory.Random(20261126, 600);
        var events = history.Events;

        await using var byEvents = new AnalyticsFactory().WithoutDefaults();
        await byEvents.RestAsync();
        var applier = new ChangeApplier(byEvents.Writer, TimeProvider.System);
        for (var at = 0; at < events.Count;)
        {
            var size = Math.Min(1 + random.Next(60), events.Count - at);
            await applier.ApplyAsync("rocketchat", events.Skip(at).Take(size).Select(Parse).ToList(), CancellationToken.None);
            at += size;
        }

        await history.AssertStoreEqualsImportAsync(byEvents.DatabasePath, events.Count, "fed by events", byEvents);
        Assert.True((await ChangeHistory.DumpAsync(byEvents.DatabasePath, "rooms")).Count > 10, "the sequence leaves rooms to compare");
    }
}
