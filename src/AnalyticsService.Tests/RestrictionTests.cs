using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;
using static AnalyticsService.Tests.Infrastructure.Rooms;

namespace AnalyticsService.Tests;

/// <summary>
/// Who sees which rooms in a workspace with units (docs/behaviour.md, "Who sees which rooms"): monitors and agents who
/// are neither admin nor livechat-manager see the rooms of the units they monitor and the departments they are agents
/// of, found through a room's departmentAncestors or its department's own ancestors, plus every room without a
/// departmentId field. Over REST and gRPC.
/// </summary>
public sealed class RestrictionTests(RestrictionTests.Fixture fixture) : IClassFixture<RestrictionTests.Fixture>
{
    private const string Query = "start=2001-09-10&end=2001-09-11";

    public sealed class Fixture : IAsyncLifetime
    {
        public AnalyticsFactory Factory { get; } = new();
        public Dictionary<string, TestUser> Users { get; } = [];

        public async Task InitializeAsync()
        {
            Users["monitor of north"] = await Factory.CreateUserAsync("livechat-monitor", "user");
            Users["monitor of nothing"] = await Factory.CreateUserAsync("livechat-monitor", "user");
            Users["agent of support"] = await Factory.CreateUserAsync("livechat-agent", "livechat-monitor");
            Users["monitor of south, agent of sales"] = await Factory.CreateUserAsync("livechat-monitor", "livechat-agent");
            Users["manager and monitor"] = await Factory.CreateUserAsync("livechat-manager", "livechat-monitor");
            Users["admin and monitor"] = await Factory.CreateUserAsync("admin", "livechat-monitor");
            Users["custom role"] = await Factory.CreateUserAsync("reports-viewer");
            await Factory.Writer.UpsertPermissionsAsync([new("view-livechat-reports", ["admin", "livechat-manager", "livechat-monitor", "reports-viewer"])]);

            await Factory.Writer.UpsertDepartmentsAsync([
                new("unit-north", "North", "u"),
                new("unit-south", "South", "u"),
                new("dep-sales", "Sales", null, ["unit-north"]),
                new("dep-sales-emea", "Sales EMEA", null, ["dep-sales", "unit-north"]),
                new("dep-support", "Support", null, ["unit-south"]),
            ]);
            await Factory.Writer.UpsertUnitMonitorsAsync([
                new("um-1", "unit-north", Users["monitor of north"].Id, "north.monitor"),
                new("um-2", "unit-north", Users["manager and monitor"].Id, "manager.monitor"),
                new("um-3", "unit-north", Users["admin and monitor"].Id, "admin.monitor"),
                new("um-4", "unit-south", Users["monitor of south, agent of sales"].Id),
                new("um-5", "unit-north", Users["custom role"].Id),
            ]);
            await Factory.Writer.UpsertDepartmentAgentsAsync([
                new("da-1", Users["agent of support"].Id, "dep-support", DepartmentEnabled: false), // disabled still counts
                new("da-2", Users["monitor of south, agent of sales"].Id, "dep-sales"),
            ]);
            var ts = At("2001-09-10T12:00:00Z");
            await Factory.AddRoomsAsync(
                Closed(ts) with { DepartmentId = "dep-sales", DepartmentAncestors = ["unit-north"] },                   // north, by ancestor
                Open(ts) with { DepartmentId = "unit-north" },                                                          // north, by department
                Queued(ts) with { DepartmentId = "dep-sales-emea", DepartmentAncestors = ["dep-sales", "unit-north"] }, // north, nested
                OnHold(ts) with { DepartmentId = "dep-sales-emea" },                                                    // north, by its department's ancestors
                Closed(ts) with { DepartmentId = "dep-support", DepartmentAncestors = ["unit-south"] },                 // south
                Closed(ts) with { DepartmentId = "dep-gone", DepartmentAncestors = ["unit-south"] },                    // south, by ancestor only
                Closed(ts) with { DepartmentId = "dep-gone" },                                                          // nobody restricted
                Closed(ts) with { DepartmentField = FieldKind.Null },                                                   // departmentId null: nobody restricted
                Queued(ts));                                                                                            // no departmentId: everyone
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    private const string All = """{"total":9,"data":[{"label":"Closed","value":5},{"label":"Queued","value":2},{"label":"Open","value":1},{"label":"On_Hold","value":1}],"success":true}""";

    public static TheoryData<string, string> Bodies_by_caller() => new()
    {
        { "monitor of north", Bodies.Counts(5, ("Queued", 2), ("Open", 1), ("Closed", 1), ("On_Hold", 1)) },
        { "monitor of nothing", Bodies.Counts(1, ("Queued", 1), ("Open", 0), ("Closed", 0), ("On_Hold", 0)) },
        { "agent of support", Bodies.Counts(2, ("Closed", 1), ("Queued", 1), ("Open", 0), ("On_Hold", 0)) },
        // dep-sales and what lies below it (Sales EMEA); the south unit's rooms; the room without a department.
        { "monitor of south, agent of sales", Bodies.Counts(6, ("Closed", 3), ("Queued", 2), ("On_Hold", 1), ("Open", 0)) },
        { "manager and monitor", All },
        { "admin and monitor", All },
        { "custom role", All },
    };

    [Theory]
    [MemberData(nameof(Bodies_by_caller))]
    public async Task Each_caller_counts_the_rooms_it_may_see(string caller, string expected)
    {
        var client = await fixture.Factory.RestAsync();
        var user = fixture.Users[caller];

        var (status, _, body) = await client.SendAsync(user.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync();
        var grpc = await fixture.Factory.GrpcAsync();
        var response = await grpc.GetConversationsByStatusAsync(new() { Start = "2001-09-10", End = "2001-09-11" }, user.Headers);
        // A range of minutes: the same rooms read from the rooms table rather than the counts.
        var (_, _, fromRooms) = await client.SendAsync(user.Get($"{ConversationsByStatusPath}?start=2001-09-10T11:59:00Z&end=2001-09-10T12:01:00Z")).ReadAsync();

        Assert.Equal((200, expected), (status, body));
        Assert.Equal(expected, Bodies.Of(response));
        Assert.Equal(expected, fromRooms);
    }

    [Fact]
    public async Task Nobody_is_restricted_in_a_workspace_without_units()
    {
        await using var factory = new AnalyticsFactory();
        var monitor = await factory.CreateUserAsync("livechat-monitor");
        await factory.Writer.UpsertDepartmentsAsync([new DepartmentRecord("dep-a", "A")]);
        await factory.Writer.UpsertUnitMonitorsAsync([new UnitMonitorRecord("um", "dep-a", monitor.Id)]);
        var ts = At("2001-09-10T12:00:00Z");
        await factory.AddRoomsAsync(Closed(ts) with { DepartmentId = "dep-a" }, Closed(ts) with { DepartmentId = "dep-b" }, Open(ts),
            Closed(ts) with { DepartmentField = FieldKind.Null });
        var client = await factory.RestAsync();

        var (status, _, body) = await client.SendAsync(monitor.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync();

        Assert.Equal((200, Bodies.Counts(4, ("Closed", 3), ("Open", 1), ("Queued", 0), ("On_Hold", 0))), (status, body));
    }
}
