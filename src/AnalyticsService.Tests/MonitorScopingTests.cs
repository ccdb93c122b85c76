using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;
using static AnalyticsService.Tests.Infrastructure.Rooms;

namespace AnalyticsService.Tests;

/// <summary>
/// A livechat-monitor who is neither admin nor livechat-manager counts only the rooms of its units: by the room's
/// department, or by a unit among the room's department ancestors (spec section 4).
/// </summary>
public sealed class MonitorScopingTests(MonitorScopingTests.Fixture fixture) : IClassFixture<MonitorScopingTests.Fixture>
{
    private const string Query = "start=2001-09-10&end=2001-09-11";

    public sealed class Fixture : IAsyncLifetime
    {
        public AnalyticsFactory Factory { get; } = new();
        public TestUser MonitorOfNorth { get; private set; } = null!;
        public TestUser MonitorOfNothing { get; private set; } = null!;
        public TestUser ManagerAndMonitor { get; private set; } = null!;
        public TestUser AdminAndMonitor { get; private set; } = null!;
        public TestUser Manager { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            MonitorOfNorth = await Factory.CreateUserAsync("livechat-monitor", "user");
            MonitorOfNothing = await Factory.CreateUserAsync("livechat-monitor", "user");
            ManagerAndMonitor = await Factory.CreateUserAsync("livechat-manager", "livechat-monitor");
            AdminAndMonitor = await Factory.CreateUserAsync("admin", "livechat-monitor");
            Manager = await Factory.CreateUserAsync("livechat-manager");

            await Factory.Writer.UpsertDepartmentsAsync([
                new("unit-north", "North", "u"),
                new("unit-south", "South", "u"),
                new("dep-sales", "Sales", null, ["unit-north"]),
                new("dep-sales-emea", "Sales EMEA", null, ["dep-sales", "unit-north"]),
                new("dep-support", "Support", null, ["unit-south"]),
            ]);
            await Factory.Writer.UpsertUnitMonitorsAsync([
                new("um-1", "unit-north", MonitorOfNorth.Id, "north.monitor"),
                new("um-2", "unit-north", ManagerAndMonitor.Id, "manager.monitor"),
                new("um-3", "unit-north", AdminAndMonitor.Id, "admin.monitor"),
            ]);
            var ts = At("2001-09-10T12:00:00Z");
            await Factory.AddRoomsAsync(
                Closed(ts) with { DepartmentId = "dep-sales", DepartmentAncestors = ["unit-north"] },           // north, by ancestor
                Open(ts) with { DepartmentId = "unit-north" },                                                  // north, by department
                Queued(ts) with { DepartmentId = "dep-sales-emea", DepartmentAncestors = ["dep-sales", "unit-north"] }, // north, nested
                Closed(ts) with { DepartmentId = "dep-support", DepartmentAncestors = ["unit-south"] },         // south
                Closed(ts));                                                                                    // no department
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    private const string AllFive = """{"total":5,"data":[{"label":"Closed","value":3},{"label":"Open","value":1},{"label":"Queued","value":1},{"label":"On_Hold","value":0}],"success":true}""";

    private async Task<string> BodyFor(TestUser user)
    {
        var client = await fixture.Factory.RestAsync();
        var (status, _, body) = await client.SendAsync(user.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync();
        Assert.Equal(200, status);
        return body;
    }

    [Fact]
    public async Task A_monitor_counts_the_rooms_of_its_units_including_nested_departments() =>
        Assert.Equal("""{"total":3,"data":[{"label":"Open","value":1},{"label":"Closed","value":1},{"label":"Queued","value":1},{"label":"On_Hold","value":0}],"success":true}""",
            await BodyFor(fixture.MonitorOfNorth));

    [Fact]
    public async Task A_monitor_of_no_unit_sees_nothing() =>
        Assert.Equal(Bodies.Empty, await BodyFor(fixture.MonitorOfNothing));

    [Fact]
    public async Task A_manager_or_admin_who_is_also_a_monitor_sees_everything()
    {
        Assert.Equal(AllFive, await BodyFor(fixture.ManagerAndMonitor));
        Assert.Equal(AllFive, await BodyFor(fixture.AdminAndMonitor));
        Assert.Equal(AllFive, await BodyFor(fixture.Manager));
    }

    [Fact]
    public async Task Grpc_callers_are_scoped_the_same_way()
    {
        var client = await fixture.Factory.GrpcAsync();
        var response = await client.GetConversationsByStatusAsync(new() { Start = "2001-09-10", End = "2001-09-11" }, fixture.MonitorOfNorth.Headers);
        Assert.Equal((3, "Open:1 Closed:1 Queued:1 On_Hold:0"), (response.Total, string.Join(" ", response.Data.Select(d => $"{d.Label}:{d.Value}"))));
    }

    [Fact]
    public async Task Nobody_is_scoped_in_a_workspace_without_units()
    {
        await using var factory = new AnalyticsFactory();
        var monitor = await factory.CreateUserAsync("livechat-monitor");
        await factory.Writer.UpsertDepartmentsAsync([new DepartmentRecord("dep-a", "A")]);
        await factory.Writer.UpsertUnitMonitorsAsync([new UnitMonitorRecord("um", "dep-a", monitor.Id)]);
        var ts = At("2001-09-10T12:00:00Z");
        await factory.AddRoomsAsync(Closed(ts) with { DepartmentId = "dep-a" }, Closed(ts) with { DepartmentId = "dep-b" }, Open(ts));
        var client = await factory.RestAsync();

        var (status, _, body) = await client.SendAsync(monitor.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync();

        Assert.Equal((200, """{"total":3,"data":[{"label":"Closed","value":2},{"label":"Open","value":1},{"label":"Queued","value":0},{"label":"On_Hold","value":0}],"success":true}"""), (status, body));
    }
}
