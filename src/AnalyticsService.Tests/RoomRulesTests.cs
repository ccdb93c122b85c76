using AnalyticsService.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// Rocket.Chat's status rules read with MongoDB's truthiness (docs/behaviour.md, "Status"), from room documents as
/// mongoexport writes them, through `import`, and answered over REST and gRPC.
/// </summary>
public sealed class RoomRulesTests : IDisposable
{
    private readonly TempDirectory _root = new("analytics-rules-");
    private string Export => _root.Combine("export");
    private string Database => _root.Combine("analytics.db");
    private const string AdminToken = "admin-token-5e0c2d";

    public RoomRulesTests()
    {
        Directory.CreateDirectory(Export);
        File("users.json", """{"_id":"u-admin","username":"boss","roles":["admin"],"services":{"resume":{"loginTokens":[{"hashedToken":"HASH"}]}}}"""
            .Replace("HASH", Storage.LoginTokens.Hash(AdminToken)));
        File("rocketchat_permissions.json", """{"_id":"view-livechat-reports","roles":["admin"]}""");
    }

    public void Dispose() => _root.Dispose();

    private void File(string name, params string[] lines) => System.IO.File.WriteAllText(Path.Combine(Export, name), string.Join("\n", lines) + "\n");

    private async Task<string> ImportAsync()
    {
        var (exit, output, errors) = await ImportCommand.RunAsync(Export, Database);
        Assert.Equal((0, ""), (exit, errors));
        return output;
    }

    private AnalyticsFactory Service() => new AnalyticsFactory().WithoutDefaults().With("ConnectionStrings:Analytics", $"Data Source={Database}");

    // One room per hour of 2020-09-10, each in one of the shapes MongoDB's truthiness tells apart, with the statuses
    // Rocket.Chat gives it.
    private static readonly (string Fields, string Statuses)[] Shapes =
    [
        ("\"open\":true,\"servedBy\":null", "Queued"),                                     // servedBy null is not served
        ("\"open\":true,\"servedBy\":{}", "Open"),                                        // {} is served
        ("\"open\":true,\"servedBy\":\"agent\"", "Open"),
        ("\"open\":true,\"servedBy\":{\"_id\":\"a1\"},\"onHold\":0", "Open"),             // onHold 0 and null are not on hold
        ("\"open\":true,\"servedBy\":{\"_id\":\"a1\"},\"onHold\":null", "Open"),
        ("\"open\":true,\"servedBy\":{\"_id\":\"a1\"},\"onHold\":{\"$numberInt\":\"0\"}", "Open"),
        ("\"open\":true,\"servedBy\":{\"_id\":\"a1\"},\"onHold\":\"yes\"", ""),           // true for $not, but not equal to true
        ("\"open\":true,\"servedBy\":{\"_id\":\"a1\"},\"onHold\":1", ""),
        ("\"open\":true,\"servedBy\":{\"_id\":\"a1\"},\"onHold\":true", "On_Hold"),
        ("\"open\":true,\"onHold\":true", "Queued On_Hold"),
        ("\"open\":1,\"servedBy\":{\"_id\":\"a1\"}", ""),                                 // open must be exactly true
        ("\"open\":\"true\"", ""),
        ("\"metrics\":{\"chatDuration\":null}", ""),
        ("\"metrics\":{\"chatDuration\":0}", ""),
        ("\"metrics\":{\"chatDuration\":{\"$numberLong\":\"0\"}}", ""),
        ("\"metrics\":{\"chatDuration\":{\"$numberDouble\":\"-0.0\"}}", ""),
        ("\"metrics\":{\"chatDuration\":{\"$numberDecimal\":\"0.000\"}}", ""),
        ("\"metrics\":{\"chatDuration\":{\"$numberDouble\":\"NaN\"}}", "Closed"),
        ("\"metrics\":{\"chatDuration\":\"abc\"}", "Closed"),
        ("\"metrics\":{\"chatDuration\":true},\"open\":true,\"servedBy\":{\"_id\":\"a1\"}", "Open Closed"),
        ("\"metrics\":null,\"open\":false,\"servedBy\":{\"_id\":\"a1\"}", ""),
        ("\"metrics\":{\"chatDuration\":{\"$numberDecimal\":\"12.5\"}}", "Closed"),
    ];

    private static string Body(string statuses)
    {
        var counted = statuses.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Equal values keep the order Open, Closed, Queued, On_Hold: the ones first, then the zeros.
        string[] order = ["Open", "Closed", "Queued", "On_Hold"];
        return Bodies.Counts(1, [.. order.Where(counted.Contains).Select(l => (l, 1)), .. order.Where(l => !counted.Contains(l)).Select(l => (l, 0))]);
    }

    [Fact]
    public async Task Each_shape_of_a_room_document_counts_as_rocket_chat_counts_it()
    {
        File("rocketchat_room.json", [.. Shapes.Select((shape, hour) =>
            $$"""{"_id":"room-{{hour}}","t":"l","ts":{"$date":"2020-09-10T{{hour:00}}:30:00.000Z"},{{shape.Fields}}}""")]);
        await ImportAsync();

        await using var factory = Service();
        var client = await factory.RestAsync();
        var admin = new TestUser("u-admin", AdminToken);
        for (var hour = 0; hour < Shapes.Length; hour++)
        {
            // A whole hour is answered from the hourly counts, half an hour around the room from the rooms.
            foreach (var query in (string[])[$"start=2020-09-10T{hour:00}:00:00Z&end=2020-09-10T{hour + 1:00}:00:00Z",
                $"start=2020-09-10T{hour:00}:15:00Z&end=2020-09-10T{hour:00}:45:00Z"])
            {
                var (status, _, body) = await client.SendAsync(admin.Get($"{ConversationsByStatusPath}?{query}")).ReadAsync();
                Assert.True((200, Body(Shapes[hour].Statuses)) == (status, body), $"{Shapes[hour].Fields} ({query}): {status} {body}");
            }
        }

        // The whole day, from the daily counts, the same over REST and gRPC.
        var day = Bodies.Counts(22, ("Open", 6), ("Closed", 4), ("Queued", 2), ("On_Hold", 2));
        Assert.Equal((200, day), await RestBodyAsync(client, admin, "start=2020-09-10&end=2020-09-11"));
        var grpc = await factory.GrpcAsync();
        Assert.Equal(day, Bodies.Of(await grpc.GetConversationsByStatusAsync(new() { Start = "2020-09-10", End = "2020-09-11" }, admin.Headers)));
    }

    private static async Task<(int Status, string Body)> RestBodyAsync(HttpClient client, TestUser user, string query)
    {
        var (status, _, body) = await client.SendAsync(user.Get($"{ConversationsByStatusPath}?{query}")).ReadAsync();
        return (status, body);
    }

    [Fact]
    public async Task A_room_whose_newer_export_is_not_omnichannel_stops_counting()
    {
        File("rocketchat_room.json",
            """{"_id":"r1","t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":true}""",
            """{"_id":"r2","t":"l","ts":{"$date":"2020-09-10T11:00:00Z"},"metrics":{"chatDuration":60}}""");
        await ImportAsync();
        File("rocketchat_room.json",
            """{"_id":"r1","t":"c","ts":{"$date":"2020-09-10T10:00:00Z"},"name":"now-a-channel"}""",
            """{"_id":"r3","t":"d","usernames":["a","b"]}""");

        var output = await ImportAsync();

        Assert.Contains($"{"rocketchat_room.json",-40} {0,10} {0,10} {1,10} {1,10} {0,10}", output);
        await using var factory = Service();
        var client = await factory.RestAsync();
        Assert.Equal((200, Bodies.Counts(1, ("Closed", 1), ("Open", 0), ("Queued", 0), ("On_Hold", 0))),
            await RestBodyAsync(client, new TestUser("u-admin", AdminToken), "start=2020-09-10&end=2020-09-11"));
        await using var connection = new SqliteConnection($"Data Source={Database}");
        Assert.Equal(["r2"], await connection.QueryAsync<string>("SELECT id FROM rooms"));
        Assert.Equal((1L, 0L), await connection.QuerySingleAsync<(long, long)>("SELECT SUM(total), SUM(open + queued) FROM room_counts"));
        Assert.Equal((1L, 0L), await connection.QuerySingleAsync<(long, long)>("SELECT SUM(total), SUM(open + queued) FROM room_counts_hourly"));
    }

    [Fact]
    public async Task Department_agents_are_imported_and_replaced_by_id()
    {
        File("rocketchat_livechat_department_agents.json",
            """{"_id":"da1","agentId":"u-agent","departmentId":"d1","username":"agent","departmentEnabled":true,"count":0,"order":0}""",
            """{"_id":{"$oid":"5f5a0e3c8e0b2a0001a1b2c4"},"agentId":"u-agent","departmentId":"d2","departmentEnabled":false}""");
        var first = await ImportAsync();
        File("rocketchat_livechat_department_agents.json", """{"_id":"da1","agentId":"u-agent","departmentId":"d3"}""");

        var second = await ImportAsync();

        Assert.Contains($"{"rocketchat_livechat_department_agents.json",-40} {2,10} {0,10} {0,10} {0,10} {0,10}", first);
        Assert.Contains($"{"rocketchat_livechat_department_agents.json",-40} {0,10} {1,10} {0,10} {0,10} {0,10}", second);
        await using var connection = new SqliteConnection($"Data Source={Database}");
        Assert.Equal([("5f5a0e3c8e0b2a0001a1b2c4", "u-agent", "d2", 0L), ("da1", "u-agent", "d3", 1L)],
            await connection.QueryAsync<(string, string, string, long)>("SELECT id, agent_id, department_id, department_enabled FROM department_agents ORDER BY id"));
    }
}
