using Analytics.V1;
using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Grpc.Core;
using static AnalyticsService.Tests.Infrastructure.Rooms;

namespace AnalyticsService.Tests;

/// <summary>
/// The other four reports of the Reports page (docs/behaviour.md, "The other reports"): exact bodies over REST, the
/// same over gRPC, the sort parameter and its place in the pipeline, empty answers and restricted callers.
/// </summary>
public sealed class ReportsPageTests(ReportsPageTests.Fixture fixture) : IClassFixture<ReportsPageTests.Fixture>
{
    private const string Dashboards = "/api/v1/livechat/analytics/dashboards/";
    private const string Day = "start=2020-09-10&end=2020-09-11";

    public sealed class Fixture : IAsyncLifetime
    {
        public AnalyticsFactory Factory { get; } = new();
        public TestUser Admin { get; private set; } = null!;
        public TestUser Agent { get; private set; } = null!;
        public TestUser LonelyMonitor { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Admin = await Factory.CreateUserAsync("admin");
            Agent = await Factory.CreateUserAsync("livechat-agent");
            LonelyMonitor = await Factory.CreateUserAsync("livechat-monitor");
            await Factory.Writer.UpsertUsersAsync([
                new UserRecord("a-alice", "alice", ["livechat-agent"], [], Name: "Alice"),
                new UserRecord("a-bob", "bob", ["livechat-agent"], [], Name: "Bob"),
                new UserRecord("a-noname", "noname", ["livechat-agent"], []),
            ]);
            await Factory.Writer.UpsertDepartmentsAsync([
                new("u-1", "Unit", "u"), new("d-sales", "Sales"), new("d-support", "Support"), new("d-support-2", "Support"),
            ]);
            var ts = At("2020-09-10T12:00:00Z");
            await Factory.AddRoomsAsync(
                Closed(ts) with { SourceType = "widget", DepartmentId = "d-sales", Tags = ["t1", "t2"], ServedById = "a-alice" },
                Closed(ts) with { SourceType = "widget", DepartmentId = "d-support", Tags = ["t1"], ServedById = "a-alice" },
                Closed(ts) with { SourceType = "app", SourceAlias = "MyApp", DepartmentId = "d-support-2", Tags = ["t1", "t1"], ServedById = "a-bob" },
                Closed(ts) with { SourceType = "email", SourceAliasField = FieldKind.Null, Tags = [], ServedById = "a-noname" },
                Queued(ts) with { DepartmentId = "d-gone", TagsField = FieldKind.Null, ServedByField = FieldKind.Null },
                Closed(ts) with { SourceType = "widget", SourceAliasField = FieldKind.Null, ServedById = "a-ghost" },
                Queued(ts),
                Open(ts) with { ServedById = null, ServedByField = FieldKind.Value },            // servedBy: {}
                Closed(At("2020-09-12T12:00:00Z")) with { SourceType = "widget", DepartmentId = "d-sales", Tags = ["t3"] }); // outside the day
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    private async Task<(int Status, string Body)> GetAsync(string report, string query, TestUser? user = null)
    {
        var client = await fixture.Factory.RestAsync();
        var (status, _, body) = await client.SendAsync((user ?? fixture.Admin).Get($"{Dashboards}{report}?{query}")).ReadAsync();
        return (status, body);
    }

    public static TheoryData<string, string, string> Answers() => new()
    {
        // Two rows labelled widget: an absent alias and a null one are different pairs.
        { "conversations-by-source", Day,
            """{"total":5,"data":[{"label":"widget","value":2},{"label":"MyApp","value":1},{"label":"email","value":1},{"label":"widget","value":1}],"success":true}""" },
        // Two departments named Support are one row; d-gone no longer exists and counts nowhere.
        { "conversations-by-department", Day,
            """{"total":3,"data":[{"label":"Sales","value":1},{"label":"Support","value":2}],"unspecified":4,"success":true}""" },
        { "conversations-by-tags", Day,
            """{"total":5,"data":[{"label":"t2","value":1},{"label":"t1","value":4}],"unspecified":4,"success":true}""" },
        // servedBy null and {} are the null row; a user without a name, or no user, is labelled by the id.
        { "conversations-by-agent", Day,
            """{"total":7,"data":[{"label":null,"value":2},{"label":"Alice","value":2},{"label":"Bob","value":1},{"label":"a-ghost","value":1},{"label":"a-noname","value":1}],"unspecified":1,"success":true}""" },
        { "conversations-by-department", Day + "&sort=%7B%22total%22%3A-1%7D",
            """{"total":3,"data":[{"label":"Support","value":2},{"label":"Sales","value":1}],"unspecified":4,"success":true}""" },
        { "conversations-by-department", Day + "&sort=" + Uri.EscapeDataString("""{"_id":-1}"""),
            """{"total":3,"data":[{"label":"Support","value":2},{"label":"Sales","value":1}],"unspecified":4,"success":true}""" },
        // A key rows do not have sorts them all as equal: label ascending decides.
        { "conversations-by-tags", Day + "&sort=" + Uri.EscapeDataString("""{"name":-1}"""),
            """{"total":5,"data":[{"label":"t1","value":4},{"label":"t2","value":1}],"unspecified":4,"success":true}""" },
        { "conversations-by-agent", Day + "&sort=" + Uri.EscapeDataString("""{"total":-1,"name":-1}"""),
            """{"total":7,"data":[{"label":"Alice","value":2},{"label":null,"value":2},{"label":"a-noname","value":1},{"label":"a-ghost","value":1},{"label":"Bob","value":1}],"unspecified":1,"success":true}""" },
        { "conversations-by-agent", Day + "&sort=" + Uri.EscapeDataString("""{"_id":1}"""),
            """{"total":7,"data":[{"label":null,"value":2},{"label":"Alice","value":2},{"label":"Bob","value":1},{"label":"a-ghost","value":1},{"label":"a-noname","value":1}],"unspecified":1,"success":true}""" },
        // An empty sort is the default; the source report ignores sort altogether.
        { "conversations-by-tags", Day + "&sort=",
            """{"total":5,"data":[{"label":"t2","value":1},{"label":"t1","value":4}],"unspecified":4,"success":true}""" },
        { "conversations-by-source", Day + "&sort=nonsense",
            """{"total":5,"data":[{"label":"widget","value":2},{"label":"MyApp","value":1},{"label":"email","value":1},{"label":"widget","value":1}],"success":true}""" },
        // No room in the range.
        { "conversations-by-source", "start=2021-01-01&end=2021-01-02", """{"total":0,"data":[],"success":true}""" },
        { "conversations-by-department", "start=2021-01-01&end=2021-01-02", """{"total":0,"data":[],"unspecified":0,"success":true}""" },
        { "conversations-by-tags", "start=2021-01-01&end=2021-01-02", """{"total":0,"data":[],"unspecified":0,"success":true}""" },
        { "conversations-by-agent", "start=2021-01-01&end=2021-01-02", """{"total":0,"data":[],"unspecified":0,"success":true}""" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Each_report_answers_with_rocket_chat_s_body(string report, string query, string body) =>
        Assert.Equal((200, body), await GetAsync(report, query));

    [Theory]
    [InlineData("conversations-by-status", """{"total":8,"data":[{"label":"Closed","value":5},{"label":"Queued","value":2},{"label":"Open","value":1},{"label":"On_Hold","value":0}],"success":true}""",
        """{"total":9,"data":[{"label":"Closed","value":6},{"label":"Queued","value":2},{"label":"Open","value":1},{"label":"On_Hold","value":0}],"success":true}""")]
    [InlineData("conversations-by-source", """{"total":5,"data":[{"label":"widget","value":2},{"label":"MyApp","value":1},{"label":"email","value":1},{"label":"widget","value":1}],"success":true}""",
        """{"total":6,"data":[{"label":"widget","value":3},{"label":"MyApp","value":1},{"label":"email","value":1},{"label":"widget","value":1}],"success":true}""")]
    [InlineData("conversations-by-agent", """{"total":7,"data":[{"label":null,"value":2},{"label":"Alice","value":2},{"label":"Bob","value":1},{"label":"a-ghost","value":1},{"label":"a-noname","value":1}],"unspecified":1,"success":true}""",
        """{"total":8,"data":[{"label":null,"value":2},{"label":"Alice","value":2},{"label":"Bob","value":1},{"label":"a-ghost","value":1},{"label":"a-noname","value":1},{"label":"agent-1","value":1}],"unspecified":1,"success":true}""")]
    public async Task Ranges_that_take_in_the_same_rooms_get_the_same_body_and_one_room_more_changes_it(string report, string body, string wider)
    {
        // The answer is kept the third time it is computed; the next ranges take in the same rooms with other milliseconds,
        // so the kept answer's JSON is written again as it was. A range that reaches one more room is computed anew.
        Assert.Equal((200, body), await GetAsync(report, "start=2020-09-10T00:00:00.000Z&end=2020-09-11T00:00:00.000Z"));
        Assert.Equal((200, body), await GetAsync(report, "start=2020-09-09T13:00:00.001Z&end=2020-09-10T23:59:59.999Z"));
        Assert.Equal((200, body), await GetAsync(report, "start=2020-09-10T12:00:00.000Z&end=2020-09-12T11:59:59.999Z"));
        Assert.Equal((200, body), await GetAsync(report, "start=2020-09-10T11:59:59.999Z&end=2020-09-11T00:00:00.001Z"));
        Assert.Equal((200, body), await GetAsync(report, "start=2020-09-10T00:00:00.000Z&end=2020-09-11T00:00:00.000Z"));
        Assert.Equal((200, wider), await GetAsync(report, "start=2020-09-10T12:00:00.000Z&end=2020-09-12T12:00:00.001Z"));
    }

    [Fact]
    public async Task A_restricted_caller_with_no_unit_counts_the_rooms_without_a_department()
    {
        // Rooms 4, 6, 7 and 8 have no departmentId field.
        Assert.Equal((200, """{"total":0,"data":[],"unspecified":4,"success":true}"""),
            await GetAsync("conversations-by-department", Day, fixture.LonelyMonitor));
        Assert.Equal((200, """{"total":2,"data":[{"label":"email","value":1},{"label":"widget","value":1}],"success":true}"""),
            await GetAsync("conversations-by-source", Day, fixture.LonelyMonitor));
        Assert.Equal((200, """{"total":3,"data":[{"label":null,"value":1},{"label":"a-ghost","value":1},{"label":"a-noname","value":1}],"unspecified":1,"success":true}"""),
            await GetAsync("conversations-by-agent", Day, fixture.LonelyMonitor));
    }

    [Fact]
    public async Task A_renamed_department_or_agent_is_labelled_by_its_new_name_at_the_next_call()
    {
        await using var factory = new AnalyticsFactory();
        var admin = await factory.CreateUserAsync("admin");
        await factory.Writer.UpsertUsersAsync([new UserRecord("a-1", "alice", ["livechat-agent"], [], Name: "Alice")]);
        await factory.Writer.UpsertDepartmentsAsync([new("d-1", "Sales")]);
        await factory.AddRoomsAsync(Closed(At("2020-09-10T12:00:00Z")) with { DepartmentId = "d-1", ServedById = "a-1" });
        var client = await factory.RestAsync();
        async Task<string> Body(string report) => (await client.SendAsync(admin.Get($"{Dashboards}{report}?{Day}")).ReadAsync()).Body;

        Assert.Equal("""{"total":1,"data":[{"label":"Sales","value":1}],"unspecified":0,"success":true}""", await Body("conversations-by-department"));
        Assert.Equal("""{"total":1,"data":[{"label":"Alice","value":1}],"unspecified":0,"success":true}""", await Body("conversations-by-agent"));
        await factory.Writer.UpsertDepartmentsAsync([new("d-1", "Sales EMEA")]);
        await factory.Writer.UpsertUsersAsync([new UserRecord("a-1", "alice", ["livechat-agent"], [], Name: "Alice B.")]);

        Assert.Equal("""{"total":1,"data":[{"label":"Sales EMEA","value":1}],"unspecified":0,"success":true}""", await Body("conversations-by-department"));
        Assert.Equal("""{"total":1,"data":[{"label":"Alice B.","value":1}],"unspecified":0,"success":true}""", await Body("conversations-by-agent"));
    }

    // Rocket.Chat groups by the department's name, so departments stored without one are one row, labelled null.
    [Fact]
    public async Task Departments_without_a_name_are_one_row_labelled_null_for_callers_who_see_every_room_and_for_monitors()
    {
        await using var factory = new AnalyticsFactory();
        var admin = await factory.CreateUserAsync("admin");
        var monitor = await factory.CreateUserAsync("livechat-monitor");
        await factory.Writer.UpsertDepartmentsAsync([new("u-1", "Unit", "u"), new("d-a", null, null, ["u-1"]), new("d-b", null, null, ["u-1"]),
            new("d-sales", "Sales", null, ["u-1"])]);
        await factory.Writer.UpsertUnitMonitorsAsync([new("um-1", "u-1", monitor.Id)]);
        var ts = At("2020-09-10T12:00:00Z");
        await factory.AddRoomsAsync(Closed(ts) with { DepartmentId = "d-a" }, Closed(ts) with { DepartmentId = "d-b" },
            Closed(ts) with { DepartmentId = "d-b" }, Closed(ts) with { DepartmentId = "d-sales" }, Closed(ts));
        var client = await factory.RestAsync();

        foreach (var caller in new[] { admin, monitor })
            Assert.Equal("""{"total":4,"data":[{"label":"Sales","value":1},{"label":null,"value":3}],"unspecified":1,"success":true}""",
                (await client.SendAsync(caller.Get($"{Dashboards}conversations-by-department?{Day}")).ReadAsync()).Body);
    }

    public static TheoryData<string> InvalidSorts() => new()
    {
        "x", "null", "1", "\"a\"", "[]", "{}", """{"total":2}""", """{"total":"1"}""", """{"total":1,"name":0}""", """{"total":1""", "{'total':1}",
    };

    [Theory]
    [MemberData(nameof(InvalidSorts))]
    public async Task An_invalid_sort_is_refused_with_rocket_chat_s_error(string sort)
    {
        var escaped = sort.Replace("\\", "\\\\").Replace("\"", "\\\"");
        var expected = """{"success":false,"error":"Invalid sort parameter provided: \"RAW\" [error-invalid-sort]","errorType":"error-invalid-sort","details":{"helperMethod":"parseJsonQuery"}}"""
            .Replace("RAW", escaped);
        foreach (var report in new[] { "conversations-by-department", "conversations-by-tags", "conversations-by-agent" })
            Assert.Equal((400, expected), await GetAsync(report, $"{Day}&sort={Uri.EscapeDataString(sort)}"));

        var grpc = await fixture.Factory.GrpcAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.GetConversationsByTagsAsync(new() { Start = "2020-09-10", End = "2020-09-11", Sort = sort }, fixture.Admin.Headers));
        Assert.Equal((StatusCode.InvalidArgument, $"Invalid sort parameter provided: \"{sort}\" [error-invalid-sort]"), (error.StatusCode, error.Status.Detail));
        var info = error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>();
        Assert.Equal(("error-invalid-sort", "parseJsonQuery"), (info.Reason, info.Metadata["helperMethod"]));
    }

    [Fact]
    public async Task The_sort_is_checked_after_the_schema_and_the_permission_and_before_the_dates()
    {
        var bad = "&sort=x";
        Assert.Equal((400, Bodies.AdditionalProperties), await GetAsync("conversations-by-agent", $"{Day}{bad}&foo=1"));
        Assert.Equal((403, Bodies.NotPermitted), await GetAsync("conversations-by-agent", $"{Day}{bad}", fixture.Agent));
        Assert.Equal(400, (await GetAsync("conversations-by-agent", $"start=never&end=2020-01-01{bad}")).Status);
        Assert.Contains("[error-invalid-sort]", (await GetAsync("conversations-by-agent", $"start=never&end=2020-01-01{bad}")).Body);
        Assert.Equal((400, Bodies.InvalidStart), await GetAsync("conversations-by-agent", "start=never&end=2020-01-01"));
    }

    [Fact]
    public async Task Grpc_gets_a_kept_answer_as_it_got_it_first()
    {
        // The calls after the first take in the same rooms: the answer is kept at the third, its bytes sent again after.
        var grpc = await fixture.Factory.GrpcAsync();
        var headers = fixture.Admin.Headers;
        static string Shown(GetConversationsByAgentResponse answer) => $"{answer.Total} {answer.Unspecified} " + string.Join(" ", answer.Data.Select(r =>
            $"{(r.Label.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NullValue ? "null" : r.Label.StringValue)}={r.Value}"));
        var first = await grpc.GetConversationsByAgentAsync(new() { Start = "2020-09-10T00:00:00.000Z", End = "2020-09-11T00:00:00.000Z" }, headers);
        Assert.Equal("7 1 null=2 Alice=2 Bob=1 a-ghost=1 a-noname=1", Shown(first));
        Assert.Equal(first, await grpc.GetConversationsByAgentAsync(new() { Start = "2020-09-10T00:00:00.000Z", End = "2020-09-11T00:00:00.000Z" }, headers));
        Assert.Equal(first, await grpc.GetConversationsByAgentAsync(new() { Start = "2020-09-10T11:00:00.000Z", End = "2020-09-12T11:59:59.999Z" }, headers));
        Assert.Equal(first, await grpc.GetConversationsByAgentAsync(new() { Start = "2020-09-10T11:00:00.000Z", End = "2020-09-12T11:59:59.999Z" }, headers));
        var wider = await grpc.GetConversationsByAgentAsync(new() { Start = "2020-09-10T11:00:00.000Z", End = "2020-09-12T12:00:00.001Z" }, headers);
        Assert.Equal("8 1 null=2 Alice=2 Bob=1 a-ghost=1 a-noname=1 agent-1=1", Shown(wider));
    }

    [Fact]
    public async Task Grpc_answers_the_same_as_rest()
    {
        var grpc = await fixture.Factory.GrpcAsync();
        var headers = fixture.Admin.Headers;
        static string Rows(IEnumerable<ReportRow> rows) => string.Join(" ", rows.Select(r =>
            $"{(r.Label.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NullValue ? "null" : r.Label.StringValue)}={r.Value}"));

        var source = await grpc.GetConversationsBySourceAsync(new() { Start = "2020-09-10", End = "2020-09-11" }, headers);
        var department = await grpc.GetConversationsByDepartmentAsync(new() { Start = "2020-09-10", End = "2020-09-11" }, headers);
        var tags = await grpc.GetConversationsByTagsAsync(new() { Start = "2020-09-10", End = "2020-09-11", Sort = """{"total":-1}""" }, headers);
        var agent = await grpc.GetConversationsByAgentAsync(new() { Start = "2020-09-10", End = "2020-09-11" }, headers);

        Assert.Equal((5, "widget=2 MyApp=1 email=1 widget=1", true), (source.Total, Rows(source.Data), source.Success));
        Assert.Equal((3, "Sales=1 Support=2", 4), (department.Total, Rows(department.Data), department.Unspecified));
        Assert.Equal((5, "t1=4 t2=1", 4), (tags.Total, Rows(tags.Data), tags.Unspecified));
        Assert.Equal((7, "null=2 Alice=2 Bob=1 a-ghost=1 a-noname=1", 1), (agent.Total, Rows(agent.Data), agent.Unspecified));
        Assert.Equal(Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NullValue, agent.Data[0].Label.KindCase); // null, not ""
    }

    [Fact]
    public void Labels_compare_by_their_utf8_bytes_as_mongodb_compares_them()
    {
        // The values as sorts rank them: each list is in MongoDB's order, strictly.
        static void Ascending(params object?[] values)
        {
            var ranked = Reports.SortRanks.Rank(values);
            Assert.All(ranked.Zip(ranked.Skip(1)), pair => Assert.True(pair.First < pair.Second, string.Join(" | ", values)));
        }
        // U+FFFD is EF BF BD in UTF-8 and sorts before an emoji (F0 ...), though its UTF-16 unit is above the emoji's surrogates.
        Ascending("\uFFFD", "😀");
        Assert.True(string.CompareOrdinal("\uFFFD", "😀") > 0);
        Ascending("B", "a");
        Ascending("a", "ab");
        Ascending(null, 0L, 7L, "", "a"); // null, then numbers, then strings
        var same = Reports.SortRanks.Rank(["é", "é"]);
        Assert.Equal(same[0], same[1]);
    }

    [Fact]
    public void Strings_sort_in_the_order_of_their_UTF8_bytes_whatever_they_hold()
    {
        // Strings of ASCII, accented letters, characters from U+E000 to U+FFFF and pairs above U+FFFF, often sharing a
        // prefix: the order must be MongoDB's, their UTF-8 bytes compared.
        string[] pieces = ["a", "b", "Agent ", "é", "\uE000", "\uFFFD", "\uFFFF", "😀", "😁", "\U00010000", "𝄞", "z"];
        var random = new Random(11);
        var strings = Enumerable.Range(0, 400)
            .Select(_ => string.Concat(Enumerable.Range(0, random.Next(5)).Select(_ => pieces[random.Next(pieces.Length)]))).ToList();
        foreach (var x in strings)
            foreach (var y in strings.Take(60))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y));
                Assert.True(Math.Sign(Reports.MongoOrder.CompareUtf8(x, y)) == Math.Sign(bytes), $"\"{x}\" against \"{y}\"");
            }
    }

    [Fact]
    public void A_sort_orders_strings_by_UTF8_bytes_also_when_its_strings_join_those_ranked_by_earlier_calls()
    {
        // Sorts keep the ranks of the strings they have seen: strings that come later must fall between them correctly.
        string[] pieces = ["a", "B", "Agent ", "é", "\uFFFD", "😀", "z"];
        var random = new Random(23);
        var sort = Reports.ReportSort.Parse("""{"_id":-1}""", Reports.ReportSort.ByTotalAscending);
        for (var call = 0; call < 30; call++)
        {
            var labels = Enumerable.Range(0, random.Next(1, 40))
                .Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => pieces[random.Next(pieces.Length)]))).Distinct().ToList();
            var sorted = sort.Apply(labels, (label, key) => key == "_id" ? label : null, label => label, _ => null);
            var expected = labels.OrderByDescending(l => System.Text.Encoding.UTF8.GetBytes(l), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)));
            Assert.Equal(expected, sorted);
        }
    }
}
