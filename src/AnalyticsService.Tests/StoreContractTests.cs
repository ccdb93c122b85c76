using AnalyticsService.Cli;
using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;
using static AnalyticsService.Tests.Infrastructure.Rooms;

namespace AnalyticsService.Tests;

/// <summary>
/// What the store must do whatever the engine: one set of tests, run on the embedded SQLite store and, when
/// ANALYTICS_TEST_SQLSERVER names a server, on SQL Server. The same inputs must give the same answers on both.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private AnalyticsFactory? _factory;

    /// <summary>The service over this engine; a test that asks for it is skipped when the engine is not available here.</summary>
    protected AnalyticsFactory Factory
    {
        get
        {
            SkipIfUnavailable();
            return _factory!;
        }
    }

    protected virtual void SkipIfUnavailable() { }

    /// <summary>The settings that select the engine and its database.</summary>
    protected abstract Task<(string Provider, string ConnectionString)> DatabaseAsync();

    public async Task InitializeAsync()
    {
        var (provider, connectionString) = await DatabaseAsync();
        _factory = new AnalyticsFactory().With("Database:Provider", provider).With("ConnectionStrings:Analytics", connectionString);
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
    }

    private async Task<string> BodyAsync(TestUser user, string query, string path = ConversationsByStatusPath)
    {
        var client = await Factory.RestAsync();
        var (status, _, body) = await client.SendAsync(user.Get($"{path}?{query}")).ReadAsync();
        Assert.Equal(200, status);
        return body;
    }

    [SkippableFact]
    public async Task Counts_follow_the_status_rules_and_the_range_to_the_millisecond()
    {
        var admin = await Factory.CreateUserAsync("admin");
        await Factory.AddRoomsAsync(
            Open(At("2001-03-10T00:00:00.000Z")), Open(At("2001-03-10T12:00:00Z")), Open(At("2001-03-10T12:00:00Z")),
            Queued(At("2001-03-10T12:00:00Z")), Queued(At("2001-03-10T12:00:00Z")),
            OnHold(At("2001-03-10T12:00:00Z")), Queued(At("2001-03-10T12:00:00Z")) with { OnHold = true },
            Closed(At("2001-03-10T12:00:00Z")), Closed(At("2001-03-10T12:00:00Z")), Closed(At("2001-03-10T12:00:00Z"), 0.5),
            Closed(At("2001-03-10T23:59:59.999Z")),
            Closed(At("2001-03-10T12:00:00Z"), chatDuration: 0), ClosedWithoutDuration(At("2001-03-10T12:00:00Z")),
            Closed(At("2001-03-11T00:00:00.000Z")), Closed(At("2001-03-09T23:59:59.999Z")), Open(At("2001-03-10T12:00:00Z")) with { Type = "c" });

        Assert.Equal("""{"total":13,"data":[{"label":"Closed","value":4},{"label":"Open","value":3},{"label":"Queued","value":3},{"label":"On_Hold","value":2}],"success":true}""",
            await BodyAsync(admin, "start=2001-03-10T00:00:00.000Z&end=2001-03-11T00:00:00.000Z"));
        Assert.Equal("""{"total":12,"data":[{"label":"Closed","value":4},{"label":"Queued","value":3},{"label":"Open","value":2},{"label":"On_Hold","value":2}],"success":true}""",
            await BodyAsync(admin, "start=2001-03-10T00:00:00.001Z&end=2001-03-11T00:00:00.000Z"));
        // A partial hour at each end and the whole hours between (no whole day): 03-09 23:59:59.999 comes in, 03-10
        // 23:59:59.999 goes out, the room at 00:00 comes from the hourly counts and those at 12:00 from the last partial hour.
        Assert.Equal("""{"total":13,"data":[{"label":"Closed","value":4},{"label":"Open","value":3},{"label":"Queued","value":3},{"label":"On_Hold","value":2}],"success":true}""",
            await BodyAsync(admin, "start=2001-03-09T23:30:00Z&end=2001-03-10T12:00:00.001Z"));
        Assert.Equal(Bodies.Empty, await BodyAsync(admin, "start=2001-03-12&end=2001-03-13"));
    }

    [SkippableFact]
    public async Task Monitors_and_agents_count_the_rooms_of_their_units_and_departments()
    {
        var monitor = await Factory.CreateUserAsync("livechat-monitor");
        var lonelyMonitor = await Factory.CreateUserAsync("livechat-monitor");
        var agent = await Factory.CreateUserAsync("livechat-agent", "livechat-monitor");
        await Factory.Writer.UpsertDepartmentsAsync([new("unit-a", "A", "u"), new("dep-a1", "A1", null, ["unit-a"]), new("dep-b", "B")]);
        await Factory.Writer.UpsertUnitMonitorsAsync([new("um-1", "unit-a", monitor.Id)]);
        await Factory.Writer.UpsertDepartmentAgentsAsync([new("da-1", agent.Id, "dep-b")]);
        var ts = At("2001-04-10T12:00:00Z");
        await Factory.AddRoomsAsync(Closed(ts) with { DepartmentId = "dep-a1", DepartmentAncestors = ["unit-a"] },
            Queued(ts) with { DepartmentId = "dep-a1" },                                  // no ancestors: found by its department's
            Open(ts) with { DepartmentId = "unit-a" }, Closed(ts) with { DepartmentId = "dep-b" },
            Closed(ts),                                                                   // no departmentId field: everyone's
            Closed(ts) with { DepartmentField = FieldKind.Null });                         // departmentId null: nobody restricted

        Assert.Equal(Bodies.Counts(4, ("Closed", 2), ("Open", 1), ("Queued", 1), ("On_Hold", 0)), await BodyAsync(monitor, "start=2001-04-10&end=2001-04-11"));
        Assert.Equal(Bodies.Counts(1, ("Closed", 1), ("Open", 0), ("Queued", 0), ("On_Hold", 0)), await BodyAsync(lonelyMonitor, "start=2001-04-10&end=2001-04-11"));
        Assert.Equal(Bodies.Counts(2, ("Closed", 2), ("Open", 0), ("Queued", 0), ("On_Hold", 0)), await BodyAsync(agent, "start=2001-04-10&end=2001-04-11"));
        // The same from the rooms alone (a range of less than an hour).
        Assert.Equal(Bodies.Counts(2, ("Closed", 2), ("Open", 0), ("Queued", 0), ("On_Hold", 0)),
            await BodyAsync(agent, "start=2001-04-10T11:59:00Z&end=2001-04-10T12:01:00Z"));
    }

    [SkippableFact]
    public async Task A_monitor_s_sources_and_departments_are_those_of_the_rooms_it_sees_from_the_cells_and_from_the_rooms()
    {
        var monitor = await Factory.CreateUserAsync("livechat-monitor");
        await Factory.Writer.UpsertDepartmentsAsync([new("unit-a", "A", "u"), new("dep-a1", "A1", null, ["unit-a"]), new("dep-b", "B")]);
        await Factory.Writer.UpsertUnitMonitorsAsync([new("um-1", "unit-a", monitor.Id)]);
        var ts = At("2001-04-10T12:00:00Z");
        await Factory.AddRoomsAsync(
            Closed(ts) with { DepartmentId = "dep-a1", DepartmentAncestors = ["unit-a"], SourceType = "widget" },
            Queued(ts) with { DepartmentId = "dep-a1", SourceType = "email" },                 // seen through its department's ancestors
            Open(ts) with { DepartmentId = "unit-a", SourceType = "app", SourceAlias = "Bot" },
            Closed(ts) with { DepartmentId = "dep-b", SourceType = "widget" },                 // not seen
            Closed(ts) with { SourceType = "widget" },                                         // no departmentId field: seen, unspecified
            Closed(ts) with { DepartmentField = FieldKind.Null, SourceType = "sms" });          // departmentId null: not seen
        const string BySource = "/api/v1/livechat/analytics/dashboards/conversations-by-source";
        const string ByDepartment = "/api/v1/livechat/analytics/dashboards/conversations-by-department";
        const string Sources = """{"total":4,"data":[{"label":"widget","value":2},{"label":"Bot","value":1},{"label":"email","value":1}],"success":true}""";
        const string Departments = """{"total":3,"data":[{"label":"A","value":1},{"label":"A1","value":2}],"unspecified":1,"success":true}""";

        // A whole day (the cells), two days around it (the cells, and partial days of rooms), and two minutes (the rooms).
        foreach (var range in (string[])["start=2001-04-10&end=2001-04-11", "start=2001-04-09T12:00:00Z&end=2001-04-11T12:00:00Z",
                     "start=2001-04-10T11:59:00Z&end=2001-04-10T12:01:00Z"])
        {
            Assert.Equal(Sources, await BodyAsync(monitor, range, BySource));
            Assert.Equal(Departments, await BodyAsync(monitor, range, ByDepartment));
        }
    }

    [SkippableFact]
    public async Task A_monitor_s_tags_and_agents_are_those_of_the_rooms_it_sees_through_their_ancestors_before_1970_too()
    {
        var monitor = await Factory.CreateUserAsync("livechat-monitor");
        await Factory.Writer.UpsertDepartmentsAsync([new("unit-a", "A", "u"), new("dep-b", "B")]);
        await Factory.Writer.UpsertUnitMonitorsAsync([new("um-1", "unit-a", monitor.Id)]);
        // Day -2 since 1970 (a rounding of -86,400,010 ms toward zero says day -1): seen only through its ancestors, as
        // dep-x is no stored department.
        var ts = At("1969-12-30T23:59:59.990Z");
        await Factory.AddRoomsAsync(
            Closed(ts) with { DepartmentId = "dep-x", DepartmentAncestors = ["unit-a"], Tags = ["vip"], ServedById = "agent-1" },
            Closed(ts) with { DepartmentId = "dep-b", Tags = ["vip", "late"], ServedById = "agent-2" }, // not seen
            Queued(ts) with { Tags = [] });                                 // no departmentId field: seen; no agent, no tags: unspecified
        const string Range = "start=1969-12-30T23:59:59.000Z&end=1969-12-31T00:00:01.000Z";

        Assert.Equal("""{"total":1,"data":[{"label":"vip","value":1}],"unspecified":1,"success":true}""",
            await BodyAsync(monitor, Range, "/api/v1/livechat/analytics/dashboards/conversations-by-tags"));
        Assert.Equal("""{"total":1,"data":[{"label":"agent-1","value":1}],"unspecified":1,"success":true}""",
            await BodyAsync(monitor, Range, "/api/v1/livechat/analytics/dashboards/conversations-by-agent"));
    }

    [SkippableFact]
    public async Task Tokens_roles_and_permissions_come_from_the_store()
    {
        var agent = await Factory.CreateUserAsync("livechat-agent");
        var client = await Factory.RestAsync();
        Assert.Equal((403, Bodies.NotPermitted), await StatusAndBodyAsync(client, agent));
        Assert.Equal((401, Bodies.NotLoggedIn), await StatusAndBodyAsync(client, agent with { Token = agent.Token + "x" }));

        // The role changes, and a newer document replaces the list of tokens.
        await Factory.Writer.UpsertUsersAsync([new UserRecord(agent.Id, agent.Id, ["livechat-manager"],
            [new LoginTokenRecord(Storage.LoginTokens.Hash("fresh-token-1"))])]);
        Assert.Equal((401, Bodies.NotLoggedIn), await StatusAndBodyAsync(client, agent));
        Assert.Equal(200, (await StatusAndBodyAsync(client, agent with { Token = "fresh-token-1" })).Status);
    }

    [SkippableFact]
    public async Task Upserts_report_what_was_new_and_what_was_replaced()
    {
        await Factory.RestAsync();
        var ts = At("2001-05-10T12:00:00Z");
        await using var session = await Factory.Writer.BeginAsync();
        var first = await session.UpsertRoomsAsync([Open(ts) with { Id = "c-1" }, Open(ts) with { Id = "c-2" }], CancellationToken.None);
        var second = await session.UpsertRoomsAsync([Closed(ts) with { Id = "c-2" }, Closed(ts) with { Id = "c-3" }], CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);

        Assert.Equal((new UpsertCounts(2, 0), new UpsertCounts(1, 1)), (first, second));
        var admin = await Factory.CreateUserAsync("admin");
        Assert.Equal("""{"total":3,"data":[{"label":"Closed","value":2},{"label":"Open","value":1},{"label":"Queued","value":0},{"label":"On_Hold","value":0}],"success":true}""",
            await BodyAsync(admin, "start=2001-05-10&end=2001-05-11"));
    }

    [SkippableFact]
    public async Task An_uncommitted_session_changes_nothing()
    {
        var admin = await Factory.CreateUserAsync("admin");
        await using (var session = await Factory.Writer.BeginAsync())
            await session.UpsertRoomsAsync([Open(At("2001-06-10T12:00:00Z"))], CancellationToken.None);
        Assert.Equal(Bodies.Empty, await BodyAsync(admin, "start=2001-06-10&end=2001-06-11"));
    }

    [SkippableFact]
    public async Task The_totals_in_memory_follow_writes_by_the_days_they_changed()
    {
        var admin = await Factory.CreateUserAsync("admin");
        var totals = Factory.Services.GetRequiredService<Reports.ReportTotals>();
        var room = Open(At("2001-07-10T12:00:00Z"));
        await Factory.AddRoomsAsync(room, Closed(At("2001-07-11T08:00:00Z")));
        Assert.NotEqual(Reports.TotalsLoad.NotLoaded, await totals.LoadAsync(CancellationToken.None));

        await Factory.AddRoomsAsync(room with { Ts = At("2001-07-12T03:00:00Z"), Open = false, ChatDuration = 60, ClosedAt = At("2001-07-12T03:01:00Z") },
            Queued(At("2001-07-12T05:00:00Z")));
        Assert.Equal(Reports.TotalsLoad.ChangedDays, await totals.LoadAsync(CancellationToken.None));
        Assert.Equal("""{"total":3,"data":[{"label":"Closed","value":2},{"label":"Queued","value":1},{"label":"Open","value":0},{"label":"On_Hold","value":0}],"success":true}""",
            await BodyAsync(admin, "start=2001-07-09&end=2001-07-13"));
        Assert.Equal("""{"total":2,"data":[{"label":"Closed","value":2},{"label":"Open","value":0},{"label":"Queued","value":0},{"label":"On_Hold","value":0}],"success":true}""",
            await BodyAsync(admin, "start=2001-07-10T01:00:00Z&end=2001-07-12T04:00:00Z"));
    }

    [SkippableFact]
    public async Task Migrations_run_once()
    {
        await Factory.RestAsync();
        Assert.Equal(0, await Factory.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None));
    }

    private static async Task<(int Status, string Body)> StatusAndBodyAsync(HttpClient client, TestUser user)
    {
        var (status, _, body) = await client.SendAsync(user.Get($"{ConversationsByStatusPath}?start=2001-01-01&end=2001-02-01")).ReadAsync();
        return (status, body);
    }
}

public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-contract-").FullName;

    protected override Task<(string, string)> DatabaseAsync() =>
        Task.FromResult(("Sqlite", $"Data Source={Path.Combine(_directory, "analytics.db")}"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class SqlServerStoreContractTests : StoreContractTests
{
    private SqlServerTestDatabase? _database;

    protected override void SkipIfUnavailable() =>
        Skip.If(SqlServerTestDatabase.ServerConnectionString is null, SqlServerTestDatabase.SkipReason);

    protected override async Task<(string, string)> DatabaseAsync()
    {
        if (SqlServerTestDatabase.ServerConnectionString is null)
            return ("SqlServer", "Server=not-configured");
        _database = await SqlServerTestDatabase.CreateAsync();
        return ("SqlServer", _database.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }
}
