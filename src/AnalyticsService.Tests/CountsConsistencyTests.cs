using Analytics.V1;
using AnalyticsService.Demo;
using AnalyticsService.Reports;
using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Tests;

/// <summary>
/// The fast paths (per-day and per-hour counts kept by every write, in the store and in memory; partial hours read from
/// rooms or from the edge hours held in memory) must give, for any range and scope, exactly
/// what a plain count of the rooms gives, after inserts and after updates that move rooms between days, statuses,
/// departments and room types.
/// </summary>
public sealed class CountsConsistencyTests : IAsyncLifetime
{
    private readonly AnalyticsFactory _factory = new();
    private List<RoomRecord> _rooms = [];
    private List<DepartmentRecord> _departments = [];
    private List<UserRecord> _users = [];
    // The callers whose scopes are drawn, with what restricts them (null: they see every room).
    private readonly List<(Caller Caller, HashSet<string>? Restricting)> _callers = [];
    private static readonly DateTimeOffset End = DateTimeOffset.Parse("2026-03-01T00:00:00Z");

    public async Task InitializeAsync()
    {
        await _factory.RestAsync();
        var workspace = new DataGenerator(seed: 11).Generate(rooms: 4000, days: 20, End, new DataGenerator.Shape(Agents: 12, Departments: 8, Tags: 20));
        _rooms = workspace.Rooms.ToList();
        _users = [.. workspace.Users, new UserRecord("agent-unnamed", "unnamed", ["livechat-agent"], [])];
        await _factory.Writer.UpsertUsersAsync(_users);
        var units = workspace.Departments.Where(d => d.Type == "u").Select(d => d.Id).ToList();
        var plain = workspace.Departments.Where(d => d.Type != "u").ToList();
        // Beside the generator's: a department nested two deep, one in no unit, one that rooms name but was deleted.
        _departments = [.. workspace.Departments,
            new("dep-nested", "Nested", null, [plain[0].Id, units[0]]), new("dep-loose", "Loose", null, []),
            new("dep-shared-name", plain[1].Name, null, [units[1]])];
        await _factory.Writer.UpsertDepartmentsAsync(_departments);
        await _factory.AddRoomsAsync([.. _rooms]);

        // Then a newer state of a quarter of them: closed, reopened, moved to another day or department, no longer
        // omnichannel, or stored in the shapes MongoDB's truthiness and the restriction tell apart.
        var random = new Random(5);
        var targets = _departments.Where(d => d.Type != "u").ToList();
        for (var i = 0; i < _rooms.Count; i += 4)
        {
            var room = _rooms[i];
            _rooms[i] = random.Next(19) switch
            {
                13 => room with { SourceType = null, SourceAlias = null, SourceField = FieldKind.Null },             // source: null
                14 => room with { SourceAlias = random.Next(2) == 0 ? "Bridge" : null, SourceAliasField = FieldKind.Null, SourceTypeField = FieldKind.Null },
                15 => room with { Tags = null, TagsField = FieldKind.Null },                                          // tags: null
                16 => room with { Tags = ["vip", "vip", null, "VIP"] },                                               // repeats, null, case
                17 => room with { ServedById = random.Next(2) == 0 ? "agent-unnamed" : "agent-deleted" },
                18 => room with { DepartmentId = "dep-shared-name" },
                0 => room with { Open = false, OnHold = false, ChatDuration = 90, ClosedAt = room.Ts.AddMinutes(2) },
                1 => room with { Open = true, ChatDuration = null, ServedById = null },
                2 => room with { Ts = room.Ts.AddHours(random.Next(-72, 72)).AddMilliseconds(random.Next(1000)) },
                3 => targets[random.Next(targets.Count)] is var d ? room with { DepartmentId = d.Id, DepartmentAncestors = d.Ancestors } : room,
                4 => room with { Type = "c" },
                5 => room with { Open = true, ServedById = null, ServedByField = FieldKind.Null },            // servedBy: null
                6 => room with { Open = true, ServedById = null, ServedByField = FieldKind.Value },           // servedBy: {}
                7 => room with { Open = true, OnHold = false, OnHoldOtherTruthy = true },                    // onHold: 1
                8 => room with { ChatDuration = random.Next(2) == 0 ? 0 : double.NaN },                      // 0, NaN
                9 => room with { ChatDuration = null, ChatDurationOtherTruthy = true },                      // "unknown"
                10 => room with { DepartmentId = null, DepartmentAncestors = null },                         // no departmentId field
                11 => room with { DepartmentId = null, DepartmentAncestors = null, DepartmentField = FieldKind.Null },
                _ => room with { DepartmentAncestors = null, DepartmentId = random.Next(3) == 0 ? "dep-deleted" : room.DepartmentId },
            };
        }
        await _factory.AddRoomsAsync([.. _rooms.Where((_, i) => i % 4 == 0)]);

        // Monitors and agents, each restricted to its units and departments; a manager and an admin who are not.
        async Task AddCaller(string[] roles, string[] monitors, string[] agentOf)
        {
            var id = $"user-{_callers.Count}";
            await _factory.Writer.UpsertUnitMonitorsAsync(monitors.Select((unit, i) => new UnitMonitorRecord($"{id}-um-{i}", unit, id)));
            await _factory.Writer.UpsertDepartmentAgentsAsync(agentOf.Select((department, i) => new DepartmentAgentRecord($"{id}-da-{i}", id, department)));
            var restricted = !roles.Intersect(RoomScopes.UnrestrictedRoles).Any() && roles.Intersect(RoomScopes.RestrictedRoles).Any();
            _callers.Add((new Caller(id, id, roles), restricted ? [.. monitors, .. agentOf] : null));
        }
        await AddCaller(["livechat-manager", "livechat-monitor"], [units[0]], []);
        await AddCaller(["admin"], [], []);
        await AddCaller(["livechat-monitor"], [units[0]], []);
        await AddCaller(["livechat-monitor"], [units[1]], [plain[0].Id]);
        await AddCaller(["livechat-monitor"], [], []);                       // no unit: the rooms without a department
        await AddCaller(["livechat-agent"], [], [plain[1].Id, "dep-nested"]);
        await AddCaller(["livechat-agent", "livechat-monitor"], ["no-such-unit"], ["dep-loose", "dep-deleted"]);
        await AddCaller(["livechat-agent"], [.. units], []);
        await AddCaller(["user"], [units[0]], []);                           // neither monitor nor agent: not restricted
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Random_ranges_and_scopes_give_the_counts_of_a_plain_scan()
    {
        var counts = _factory.Services.GetRequiredService<ConversationCounts>();
        var scopes = _factory.Services.GetRequiredService<RoomScopes>();
        // The totals in memory at the store's version: an unrestricted caller's counts come from them and the edge hours.
        var totals = _factory.Services.GetRequiredService<ReportTotals>();
        await totals.LoadAsync(CancellationToken.None);
        Assert.NotNull(totals.At(await _factory.Services.GetRequiredService<StoreVersionReader>().ReadAsync(CancellationToken.None))?.Status);
        var random = new Random(1234);
        var first = End.AddDays(-24).ToUnixTimeMilliseconds();
        var span = TimeSpan.FromDays(28).Ticks / TimeSpan.TicksPerMillisecond;

        for (var i = 0; i < 400; i++)
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(first + random.NextInt64(span));
            // Lengths from nothing to weeks; some end on an hour or a day boundary, some a millisecond off one.
            var end = random.Next(5) switch
            {
                0 => start.AddMilliseconds(random.Next(0, 2000)),
                1 => start.AddHours(random.Next(1, 30)).AddMilliseconds(random.Next(1000)),
                2 => new DateTimeOffset(start.UtcDateTime.Date.AddDays(random.Next(1, 20)), TimeSpan.Zero).AddMilliseconds(random.Next(-1, 2)),
                3 => new DateTimeOffset(start.UtcDateTime.Date.AddHours(start.Hour + random.Next(1, 60)), TimeSpan.Zero).AddMilliseconds(random.Next(-1, 2)),
                _ => start.AddDays(random.Next(1, 26)).AddMilliseconds(random.Next(86_400_000)),
            };
            var (caller, restricting) = _callers[random.Next(_callers.Count)];
            var scope = await scopes.ForAsync(caller, CancellationToken.None);

            var expected = Oracle(start, end, restricting);
            var fast = await counts.CountByStatusAsync(start, end, scope, CancellationToken.None);
            var fromStore = await counts.CountFromStoreAsync(start, end, scope, CancellationToken.None);
            var scan = await counts.ScanByStatusAsync(start, end, scope, CancellationToken.None);
            var kept = await counts.CountByStatusAsync(start, end, scope, CancellationToken.None);

            Assert.True(expected == fast && expected == fromStore && expected == scan && expected == kept,
                $"[{start:O}, {end:O}) caller {caller.UserId}: expected {expected}, counts {fast}, from the store {fromStore}, scan {scan}, kept {kept}");
        }
    }

    [Fact]
    public async Task Every_kind_of_room_and_caller_is_drawn()
    {
        // The random test above proves something only if its data holds each case it is about.
        Assert.Contains(_rooms, r => r.Type == "l" && r.ServedByField == FieldKind.Null && r.Open);
        Assert.Contains(_rooms, r => r.Type == "l" && r.ServedByField == FieldKind.Value && r.ServedById is null && r.Open);
        Assert.Contains(_rooms, r => r.Type == "l" && r.OnHoldOtherTruthy && r.Open && r.ServedById is not null);
        Assert.Contains(_rooms, r => r.Type == "l" && r.ChatDuration is double.NaN);
        Assert.Contains(_rooms, r => r.Type == "l" && r.ChatDurationOtherTruthy);
        Assert.Contains(_rooms, r => r.Type == "l" && r.Department == FieldKind.Absent);
        Assert.Contains(_rooms, r => r.Type == "l" && r.Department == FieldKind.Null);
        Assert.Contains(_rooms, r => r.Type == "l" && r.DepartmentId is not null && r.DepartmentAncestors is null);
        Assert.Contains(_rooms, r => r.Type == "l" && r.DepartmentId == "dep-deleted");
        var scopes = _factory.Services.GetRequiredService<RoomScopes>();
        var restricted = 0;
        foreach (var (caller, restricting) in _callers)
        {
            var scope = await scopes.ForAsync(caller, CancellationToken.None);
            Assert.Equal(restricting is not null, scope.IsRestricted);
            restricted += scope.IsRestricted ? 1 : 0;
        }
        Assert.Equal(6, restricted);
    }

    [Fact]
    public async Task A_session_writing_the_same_rooms_in_several_batches_counts_their_last_states()
    {
        await using var factory = new AnalyticsFactory();
        await factory.RestAsync();
        var at = DateTimeOffset.Parse("2026-01-10T10:30:00Z");
        await using (var session = await factory.Writer.BeginAsync())
        {
            await session.UpsertRoomsAsync([new("s1", "l", at, Open: true), new("s2", "l", at.AddHours(1), ChatDuration: 60)], CancellationToken.None);
            await session.UpsertRoomsAsync([new("s1", "l", at.AddDays(2), ChatDuration: 30), new("s2", "c", at.AddHours(1))], CancellationToken.None);
            await session.UpsertRoomsAsync([new("s3", "l", at.AddDays(2).AddMinutes(5), Open: true, ServedById: "agent")], CancellationToken.None);
            await session.CommitAsync(CancellationToken.None);
        }
        var counts = factory.Services.GetRequiredService<ConversationCounts>();
        var (start, end) = (DateTimeOffset.Parse("2026-01-09T00:00:00Z"), DateTimeOffset.Parse("2026-01-15T00:00:00Z"));

        var expected = new StatusCounts(Total: 2, Open: 1, Queued: 0, OnHold: 0, Closed: 1);
        Assert.Equal(expected, await counts.CountByStatusAsync(start, end, RoomScope.All, CancellationToken.None));
        Assert.Equal(expected, await counts.ScanByStatusAsync(start, end, RoomScope.All, CancellationToken.None));
        // The day and hour s1 left hold nothing any more: whole hours from 10:00 on 01-10, read from the counts.
        Assert.Equal(StatusCounts.None, await counts.CountByStatusAsync(at.AddMinutes(-30), at.AddDays(1), RoomScope.All, CancellationToken.None));
    }

    [Fact]
    public void Ranges_are_cut_at_utc_hour_and_day_boundaries()
    {
        const long h = RangeSplit.HourMilliseconds, d = RangeSplit.DayMilliseconds;
        static RangeSplit Split(long start, long end) =>
            RangeSplit.Of(DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(end));

        // Days 2 and 3 whole, hours 25 to 47 around them, rooms of the first hour's last 59:59.995 and the last 7 ms.
        Assert.Equal(new RangeSplit(d + 5, 25 * h, 96 * h, 4 * d + 7, 25, 48, 96, 96, 2, 4), Split(d + 5, 4 * d + 7));
        Assert.Equal(new RangeSplit(2 * d, 2 * d, 3 * d, 3 * d, 48, 48, 72, 72, 2, 3), Split(2 * d, 3 * d));
        // 09:30 to 09:30 the next day: no whole day, hours 10:00 to 09:00 whole, two half hours of rooms.
        Assert.Equal(new RangeSplit(d + 9 * h + h / 2, 34 * h, 57 * h, 2 * d + 9 * h + h / 2, 34, 57, 57, 57, 0, 0),
            Split(d + 9 * h + h / 2, 2 * d + 9 * h + h / 2));
        // Less than a whole hour, within one or across its end: the rooms are read directly.
        Assert.Equal(new RangeSplit(d + 5, d + h - 1, d + h - 1, d + h - 1, 0, 0, 0, 0, 0, 0), Split(d + 5, d + h - 1));
        Assert.Equal(new RangeSplit(d + 5, d + h + 4, d + h + 4, d + h + 4, 0, 0, 0, 0, 0, 0), Split(d + 5, d + h + 4));
        Assert.False(Split(d + 5, d + h + 4).HasWholeHours);
        // Before 1970, hours and days still start on the hour and at midnight.
        Assert.Equal(new RangeSplit(-3 * d + 5, -71 * h, -24 * h, -d + 7, -71, -48, -24, -24, -2, -1), Split(-3 * d + 5, -d + 7));
        // The partial days around the whole ones (a restricted caller's edges), each within one day: none whole, both
        // parts meet at the midnight the range crosses, or the first is all of it.
        Assert.Equal((2 * d, 4 * d), Split(d + 5, 4 * d + 7).WholeDays);
        Assert.Equal((-2 * d, -d), Split(-3 * d + 5, -d + 7).WholeDays);
        Assert.Equal((2 * d, 2 * d), Split(d + 9 * h + h / 2, 2 * d + 9 * h + h / 2).WholeDays);
        Assert.Equal((0L, 0L), Split(-d + 5, 7).WholeDays);
        Assert.Equal((2 * d, 2 * d), Split(2 * d - 1, 2 * d).WholeDays);
        Assert.Equal((d + h - 1, d + h - 1), Split(d + 5, d + h - 1).WholeDays);
    }

    private static readonly string?[] Sorts =
        [null, """{"total":1}""", """{"total":-1}""", """{"_id":1}""", """{"_id":-1}""", """{"name":1}""", """{"name":-1}""",
         """{"total":-1,"_id":1}""", """{"total":1,"name":-1}""", """{"unknown":1}"""];

    private T Service<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    // The four other reports' answers against the rules written again in plain C# (Expected), over the rooms the caller sees.
    private void AssertAsTheRulesSay(GetConversationsBySourceResponse source, GetConversationsByDepartmentResponse department,
        GetConversationsByTagsResponse tags, GetConversationsByAgentResponse agent, List<RoomRecord> visible, string? sortText, string context)
    {
        Assert.True(Expected.Source(visible) == Shown(source.Total, source.Data, 0), $"by source {context}: {Shown(source.Total, source.Data, 0)}");
        Assert.True(Expected.Department(visible, _departments, sortText ?? """{"total":1}""") == Shown(department.Total, department.Data, department.Unspecified),
            $"by department {context}: {Shown(department.Total, department.Data, department.Unspecified)}");
        Assert.True(Expected.Tags(visible, sortText ?? """{"total":1}""") == Shown(tags.Total, tags.Data, tags.Unspecified),
            $"by tags {context}: {Shown(tags.Total, tags.Data, tags.Unspecified)}");
        Assert.True(Expected.Agent(visible, _users, sortText ?? """{"name":1}""") == Shown(agent.Total, agent.Data, agent.Unspecified),
            $"by agent {context}: {Shown(agent.Total, agent.Data, agent.Unspecified)}");
    }

    /// <summary>
    /// Each report against the rules over random ranges, scopes and sorts. <paramref name="scopeTotals"/> false: the reports
    /// made without day totals kept per scope (Analytics:RestrictedTotalsScopes 0), so that a restricted caller's every call
    /// is added up from the per-department counts and the rooms; true: as the service makes them, the first call of a
    /// scope starting the load of its totals, which the later calls use once they are loaded.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Random_ranges_scopes_and_sorts_give_each_report_what_the_rules_give(bool scopeTotals)
    {
        var counts = scopeTotals ? Service<ReportCounts>() : new ReportCounts(Service<Store>(), Service<StoreVersionReader>(), Service<ReportTotals>(),
            Service<EdgeHours>(), new ScopeTotals(Service<Store>(), Service<StoreVersionReader>(), NullLogger<ReportTotals>.Instance,
                Options.Create(new Hosting.AnalyticsOptions { RestrictedTotalsScopes = 0 })), Service<ScopeEdgeDays>());
        var scopes = Service<RoomScopes>();
        var (bySource, byDepartment) = (new ConversationsBySourceReport(counts), new ConversationsByDepartmentReport(counts, Service<ReportLabels>()));
        var (byTags, byAgent) = (new ConversationsByTagsReport(Service<ReportQuery>(), counts, Service<Store>()),
            new ConversationsByAgentReport(Service<ReportQuery>(), counts, Service<ReportLabels>(), Service<Store>()));
        var random = new Random(4321);
        for (var i = 0; i < 120; i++)
        {
            var start = End.AddDays(-24).AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(28).TotalMilliseconds));
            var end = start.AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(random.Next(2) == 0 ? 2 : 26).TotalMilliseconds));
            var (caller, restricting) = _callers[random.Next(_callers.Count)];
            var scope = await scopes.ForAsync(caller, CancellationToken.None);
            var sortText = Sorts[random.Next(Sorts.Length)];
            var visible = Visible(start, end, restricting);
            var context = $"[{start:O}, {end:O}) caller {caller.UserId} sort {sortText ?? "default"}";

            var source = await bySource.AnswerAsync(start, end, scope, CancellationToken.None);
            var department = await byDepartment.AnswerAsync(start, end, scope, ReportSort.Parse(sortText, ConversationsByDepartmentReport.DefaultSort), CancellationToken.None);
            var tags = await byTags.AnswerAsync(start, end, scope, ReportSort.Parse(sortText, ConversationsByTagsReport.DefaultSort), CancellationToken.None);
            var agent = await byAgent.AnswerAsync(start, end, scope, ReportSort.Parse(sortText, ConversationsByAgentReport.DefaultSort), CancellationToken.None);
            AssertAsTheRulesSay(source, department, tags, agent, visible, sortText, context);
        }
    }

    [Fact]
    public async Task A_kept_answer_serves_exactly_the_ranges_that_take_in_the_same_rooms()
    {
        // Answers are kept by the rooms a range takes in, not by its milliseconds. Ranges are drawn, then moved a little or
        // onto a room's instant (at it, a millisecond before, a millisecond after), so that many take in the same rooms as
        // an earlier one and many differ from it by one room: each of the five answers must still be the rules' answer.
        var (kept, scopes, counts) = (Service<KeptAnswers>(), Service<RoomScopes>(), Service<ConversationCounts>());
        var (bySource, byDepartment) = (Service<ConversationsBySourceReport>(), Service<ConversationsByDepartmentReport>());
        var (byTags, byAgent) = (Service<ConversationsByTagsReport>(), Service<ConversationsByAgentReport>());
        await Service<ReportTotals>().LoadAsync(CancellationToken.None);
        var instants = _rooms.Where(r => r.Type == "l").Select(r => r.Ts.ToUnixTimeMilliseconds()).Order().ToArray();
        var random = new Random(777);
        var (first, span) = (End.AddDays(-24).ToUnixTimeMilliseconds(), (long)TimeSpan.FromDays(28).TotalMilliseconds);
        var (start, end) = (first, first + 1);
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var reused = 0;
        var (caller, restricting) = _callers[0];
        string? sortText = null;
        for (var i = 0; i < 300; i++)
        {
            long Moved(long at) => random.Next(3) switch
            {
                0 => at + random.Next(-3_000, 3_000),
                1 => instants[Math.Clamp(Array.BinarySearch(instants, at) is var n && n < 0 ? ~n : n, 0, instants.Length - 1)] + random.Next(-1, 2),
                _ => at,
            };
            if (random.Next(4) == 0)
            {
                start = first + random.NextInt64(span);
                end = start + random.NextInt64(random.Next(2) == 0 ? RangeSplit.HourMilliseconds * 3 : RangeSplit.DayMilliseconds * 5);
                (caller, restricting) = _callers[random.Next(_callers.Count)];
                sortText = Sorts[random.Next(Sorts.Length)];
            }
            else
                (start, end) = (Moved(start), Moved(end));
            if (end < start)
                (start, end) = (end, start);
            var (from, to) = (DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(end));
            var range = new Dates.ReportRange(from, to);
            var scope = await scopes.ForAsync(caller, CancellationToken.None);
            var visible = Visible(from, to, restricting);
            var context = $"call {i}: [{from:O}, {to:O}) caller {caller.UserId} sort {sortText ?? "default"}";
            Task<TAnswer> Kept<TAnswer>(string report, string? sort, Func<Task<TAnswer>> compute) where TAnswer : class, Google.Protobuf.IMessage =>
                kept.GetOrComputeAsync(report, range, scope, sort, compute, CancellationToken.None).AsTask();

            var status = await Kept("status", null, async () => ConversationsByStatusReport.ToResponse(await counts.CountByStatusAsync(from, to, scope, CancellationToken.None)));
            Assert.True(ConversationsByStatusReport.ToResponse(Oracle(from, to, restricting)).Equals(status), $"by status {context}: {status}");
            var source = await Kept("source", null, () => bySource.AnswerAsync(from, to, scope, CancellationToken.None));
            var department = await Kept("department", sortText, () => byDepartment.AnswerAsync(from, to, scope,
                ReportSort.Parse(sortText, ConversationsByDepartmentReport.DefaultSort), CancellationToken.None));
            var tags = await Kept("tags", sortText, () => byTags.AnswerAsync(from, to, scope, ReportSort.Parse(sortText, ConversationsByTagsReport.DefaultSort), CancellationToken.None));
            var agent = await Kept("agent", sortText, () => byAgent.AnswerAsync(from, to, scope, ReportSort.Parse(sortText, ConversationsByAgentReport.DefaultSort), CancellationToken.None));
            AssertAsTheRulesSay(source, department, tags, agent, visible, sortText, context);
            foreach (object answer in new object[] { status, source, department, tags, agent })
                reused += seen.Add(answer) ? 0 : 1;
        }
        // The draw must have made both cases: answers served again, and (the checks above) new ones next to them.
        Assert.InRange(reused, 100, 1200);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_day_and_hour_totals_in_memory_give_what_the_report_cells_in_the_store_give(bool hours)
    {
        var days = _factory.Services.GetRequiredService<ReportTotals>();
        var counts = _factory.Services.GetRequiredService<ReportCounts>();
        var version = await _factory.Services.GetRequiredService<StoreVersionReader>().ReadAsync(CancellationToken.None);
        await days.LoadAsync(CancellationToken.None, withHours: hours);
        Assert.Equal(hours, days.At(version)?.HasHours); // with the days alone, the whole hours are read from the store
        var random = new Random(98);
        var (withDays, nonEmpty) = (0, 0);
        for (var i = 0; i < 80; i++)
        {
            var start = End.AddDays(-24).AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(28).TotalMilliseconds));
            var end = start.AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(random.Next(2) == 0 ? 3 : 26).TotalMilliseconds));
            withDays += RangeSplit.Of(start, end).FirstDay < RangeSplit.Of(start, end).EndDay ? 1 : 0;
            foreach (var report in Enum.GetValues<ReportDimension>())
            {
                var fromMemory = await counts.CountAsync(report, start, end, CancellationToken.None);
                var fromStore = await counts.CountFromStoreAsync(report, start, end, CancellationToken.None);
                nonEmpty += fromStore.Count > 0 ? 1 : 0;
                Assert.Equal(fromStore.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal), fromMemory.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal));
            }
        }
        Assert.InRange(withDays, 30, 80); // most ranges hold whole days, which the totals in memory answer
        Assert.InRange(nonEmpty, 200, 320);
    }

    /// <summary>
    /// After writes, the totals in memory are brought to the store's version by reading again only the days the writes
    /// changed (count_change_days), and answer exactly what the cells in the store answer: rooms moved between days or hours, to a
    /// new agent and tag, out of omnichannel, closed, or onto days after the span held. A write that changes no count
    /// reads no day; a room on a day before the span held makes the load read every cell.
    /// </summary>
    [Fact]
    public async Task Totals_brought_forward_by_the_days_writes_changed_give_what_the_cells_in_the_store_give()
    {
        var totals = Service<ReportTotals>();
        Assert.Contains(await totals.LoadAsync(CancellationToken.None), new[] { TotalsLoad.Full, TotalsLoad.Current });
        await _factory.Writer.UpsertUsersAsync([new UserRecord("agent-new", "new", ["livechat-agent"], [])]);
        Assert.Equal(TotalsLoad.ChangedDays, await totals.LoadAsync(CancellationToken.None));

        var random = new Random(77);
        var instants = new List<DateTimeOffset>(); // where rooms were and went: each hour is checked alone too
        for (var batch = 0; batch < 3; batch++)
        {
            var changed = new List<RoomRecord>();
            for (var j = 0; j < 7; j++)
            {
                var i = random.Next(_rooms.Count);
                var room = _rooms[i];
                _rooms[i] = j switch
                {
                    // Another day: earlier ones only inside the span held (before it, every cell is read: below).
                    0 => room with { Ts = room.Ts.AddDays(room.Ts < End.AddDays(-15) ? random.Next(1, 4) : random.Next(-3, 4)).AddHours(random.Next(24)) },
                    1 => room with { ServedById = "agent-new", Tags = ["tag-new-" + batch], SourceType = "app", SourceAlias = "alias-" + batch },
                    2 => room with { Type = "c" },
                    3 => room with { Open = false, OnHold = false, ChatDuration = 60, ClosedAt = room.Ts.AddMinutes(1) },
                    4 => room with { DepartmentId = "dep-loose", DepartmentAncestors = [] },
                    // Another hour of the same day: only hourly cells change.
                    5 => room with { Ts = room.Ts.UtcDateTime.Hour < 12 ? room.Ts.AddHours(6) : room.Ts.AddHours(-6) },
                    _ => room with { Ts = End.AddDays(2 + batch).AddHours(batch * 5).AddMilliseconds(17) },
                };
                changed.Add(_rooms[i]);
                instants.AddRange([room.Ts, _rooms[i].Ts]);
            }
            await _factory.Writer.UpsertRoomsAsync(changed);
        }
        Assert.Equal(TotalsLoad.ChangedDays, await totals.LoadAsync(CancellationToken.None));
        var moved = await Service<ReportCounts>().CountAsync(ReportDimension.Agent, End.AddDays(-25), End.AddDays(6), CancellationToken.None);
        Assert.Equal(3, moved[new ReportKey((byte)FieldKind.Value, "agent-new", 0, "")]);
        await AssertTheTotalsGiveWhatTheCellsGive(seed: 3, instants);

        await _factory.AddRoomsAsync(Rooms.Open(End.AddDays(-60)) with { ServedById = "agent-early" });
        Assert.Equal(TotalsLoad.Full, await totals.LoadAsync(CancellationToken.None));
        await AssertTheTotalsGiveWhatTheCellsGive(seed: 4, instants);
    }

    /// <summary>
    /// The hours in memory hold a byte a count, and the counts past a byte beside them: an agent's 300 rooms in one hour
    /// (beside forty other agents'), a tag's 256 and another agent's 255 in another, count exactly from the hours, as the
    /// days writes changed bring them and as a load of every cell does.
    /// </summary>
    [Fact]
    public async Task Hourly_counts_past_a_byte_count_whole_from_the_hours_in_memory()
    {
        var totals = Service<ReportTotals>();
        Assert.Contains(await totals.LoadAsync(CancellationToken.None), new[] { TotalsLoad.Full, TotalsLoad.Current });
        var (busy, full) = (End.AddDays(-5).AddHours(10), End.AddDays(-5).AddHours(13));
        RoomRecord Served(DateTimeOffset hour, int i, string agent, params string[] tags) =>
            Rooms.Closed(hour.AddSeconds(i * 11)) with { ServedById = agent, Tags = tags };
        await _factory.AddRoomsAsync([
            .. Enumerable.Range(0, 300).Select(i => Served(busy, i, "agent-busy")),
            .. Enumerable.Range(0, 60).Select(i => Served(busy, 300 + i, $"agent-{i % 40}")), // wider than a vector of bytes
            .. Enumerable.Range(0, 255).Select(i => Served(full, i, "agent-full", "crowded")),
            Served(full, 255, "agent-busy", "crowded"),
        ]);
        Assert.Equal(TotalsLoad.ChangedDays, await totals.LoadAsync(CancellationToken.None));
        await AssertTheHoursCount();

        await _factory.AddRoomsAsync(Rooms.Open(End.AddDays(-60)) with { ServedById = "agent-early" }); // before the span held
        Assert.Equal(TotalsLoad.Full, await totals.LoadAsync(CancellationToken.None));
        await AssertTheHoursCount();

        async Task AssertTheHoursCount()
        {
            var reports = Service<ReportCounts>();
            Assert.True(totals.At(await Service<StoreVersionReader>().ReadAsync(CancellationToken.None))?.HoldsHours(ReportDimension.Agent));
            // Each hour whole inside a range of two hours, its edges half an hour away: no whole day, the hour from memory.
            foreach (var (hour, agents) in new[] { (busy, new[] { ("agent-busy", 300L) }), (full, [("agent-full", 255L), ("agent-busy", 1L)]) })
            {
                var (start, end) = (hour.AddMinutes(-30), hour.AddMinutes(90));
                var byAgent = await reports.CountAsync(ReportDimension.Agent, start, end, CancellationToken.None);
                foreach (var (agent, rooms) in agents)
                    Assert.Equal(rooms, byAgent[new ReportKey((byte)FieldKind.Value, agent, 0, "")]);
                var byTag = await reports.CountAsync(ReportDimension.Tags, start, end, CancellationToken.None);
                Assert.Equal(hour == full ? 256 : 0, byTag.Where(c => c.Key.K1 == "crowded").Sum(c => c.Value));
                foreach (var report in Enum.GetValues<ReportDimension>())
                {
                    Assert.Equal((await reports.CountFromStoreAsync(report, start, end, CancellationToken.None)).OrderBy(c => c.Key.ToString(), StringComparer.Ordinal),
                        (await reports.CountAsync(report, start, end, CancellationToken.None)).OrderBy(c => c.Key.ToString(), StringComparer.Ordinal));
                }
            }
        }
    }

    /// <summary>
    /// Totals loaded from a store without rooms (a service started before its first import or sync) follow its first
    /// writes: those bring the reports' first keys, so every cell is read again, and calls are answered from memory.
    /// </summary>
    [Fact]
    public async Task Totals_loaded_from_a_store_without_rooms_follow_its_first_writes()
    {
        await using var empty = new AnalyticsFactory();
        await empty.RestAsync();
        var totals = empty.Services.GetRequiredService<ReportTotals>();
        Assert.NotEqual(TotalsLoad.NotLoaded, await totals.LoadAsync(CancellationToken.None)); // the setup's users may follow the start's load

        await empty.AddRoomsAsync(Rooms.Open(End.AddHours(-30)), Rooms.Closed(End.AddHours(-3)), Rooms.Queued(End.AddMinutes(-5)));
        Assert.Equal(TotalsLoad.Full, await totals.LoadAsync(CancellationToken.None));
        Assert.NotNull(totals.At(await empty.Services.GetRequiredService<StoreVersionReader>().ReadAsync(CancellationToken.None))?.Status);

        var counts = empty.Services.GetRequiredService<ConversationCounts>();
        Assert.Equal(new StatusCounts(3, 1, 1, 0, 1), await counts.CountByStatusAsync(End.AddDays(-2), End, RoomScope.All, CancellationToken.None));
        Assert.Equal(new StatusCounts(2, 0, 1, 0, 1), await counts.CountByStatusAsync(End.AddHours(-4), End, RoomScope.All, CancellationToken.None));
        Assert.DoesNotContain(empty.Logs, line => line.StartsWith("Error:", StringComparison.Ordinal));
    }

    /// <summary>
    /// A call that finds the totals one commit behind waits for them to read the days it changed (tens of milliseconds),
    /// rather than adding up the cells in the tables (hundreds for a year of agents): after the call they are at its version.
    /// </summary>
    [Fact]
    public async Task A_call_after_a_commit_is_answered_from_the_totals_caught_up_with_it()
    {
        var totals = Service<ReportTotals>();
        await totals.LoadAsync(CancellationToken.None);
        var late = Rooms.Open(End.AddDays(-2)) with { ServedById = "agent-late" };
        foreach (var report in Enum.GetValues<ReportDimension>())
        {
            await _factory.AddRoomsAsync(late = late with { Ts = late.Ts.AddMinutes(1) });
            var version = await Service<StoreVersionReader>().ReadAsync(CancellationToken.None);
            var answer = await Service<ReportCounts>().CountAsync(report, End.AddDays(-20), End, CancellationToken.None);
            Assert.Equal(version, totals.At(version)?.Version);
            Assert.Equal(await Service<ReportCounts>().CountFromStoreAsync(report, End.AddDays(-20), End, CancellationToken.None), answer);
        }
    }

    /// <summary>
    /// A restricted caller's five reports over whole days come from day totals kept for its scope (counted from the rooms
    /// it sees), and after writes from those totals brought forward by the days the writes changed, which the next call waits
    /// for; the partial days at a range's edges are read from rooms. Every answer is the rules' answer over the rooms the
    /// caller sees.
    /// </summary>
    [Fact]
    public async Task A_restricted_callers_reports_come_from_its_scopes_day_totals_as_the_rules_say()
    {
        var (scopes, counts, scopeTotals) = (Service<RoomScopes>(), Service<ReportCounts>(), Service<ScopeTotals>());
        var restricted = new List<(RoomScope Scope, HashSet<string> Restricting)>();
        foreach (var (caller, restricting) in _callers.Where(c => c.Restricting is not null))
            restricted.Add((await scopes.ForAsync(caller, CancellationToken.None), restricting!));
        Assert.Equal(6, restricted.Select(r => r.Scope.Key).Distinct().Count());
        var random = new Random(2468);

        // Before its totals are loaded, a scope's call is answered from rooms (null here), and starts their load.
        var (first, _) = restricted[0];
        Assert.Null(await counts.CountRestrictedAsync(ReportDimension.Agent, End.AddDays(-20), End, first, CancellationToken.None));
        foreach (var (scope, restricting) in restricted)
        {
            Assert.Contains(await scopeTotals.For(scope)!.LoadAsync(CancellationToken.None), new[] { TotalsLoad.Full, TotalsLoad.Current });
            for (var i = 0; i < 12; i++)
                await AssertTheScopesTotalsAnswer(scope, restricting, random);
        }

        // Rooms the caller sees written again: to another day, another agent and tags, out of its scope, out of omnichannel.
        var (moved, restrictingMoved) = restricted[1];
        var seen = Visible(End.AddDays(-22), End.AddDays(-2), restrictingMoved).Take(8).Select(r => r.Id).ToHashSet();
        var changed = new List<RoomRecord>();
        for (var i = 0; i < _rooms.Count; i++)
        {
            if (!seen.Contains(_rooms[i].Id))
                continue;
            var room = _rooms[i];
            _rooms[i] = (changed.Count % 4) switch
            {
                0 => room with { Ts = room.Ts.AddDays(2).AddHours(3) },
                1 => room with { ServedById = "agent-new", Tags = ["tag-new", "tag-new"], TagsField = FieldKind.Value },
                2 => room with { DepartmentId = "dep-loose", DepartmentAncestors = [] },
                _ => room with { Type = "c" },
            };
            changed.Add(_rooms[i]);
        }
        Assert.Equal(8, changed.Count);
        await _factory.Writer.UpsertRoomsAsync(changed);
        var loadedAgain = await scopeTotals.For(moved)!.LoadAsync(CancellationToken.None);
        Assert.True(loadedAgain == TotalsLoad.ChangedDays, string.Join("\n", _factory.Logs.Where(l => !l.StartsWith("Information"))));
        for (var i = 0; i < 12; i++)
            await AssertTheScopesTotalsAnswer(moved, restrictingMoved, random);
        var version = await Service<StoreVersionReader>().ReadAsync(CancellationToken.None);
        Assert.Equal(version, scopeTotals.For(moved)!.At(version)?.Version);
        var newAgent = await counts.CountRestrictedAsync(ReportDimension.Agent, End.AddDays(-25), End.AddDays(1), moved, CancellationToken.None);
        Assert.Equal(2, newAgent![new ReportKey((byte)FieldKind.Value, "agent-new", 0, "")]);
        var newTag = await counts.CountRestrictedAsync(ReportDimension.Tags, End.AddDays(-25), End.AddDays(1), moved, CancellationToken.None);
        Assert.Equal(4, newTag![new ReportKey((byte)FieldKind.Value, "tag-new", 0, "")]);
    }

    // A range, whose five reports must come from the scope's totals and be the rules' answer: a third of them without a
    // whole day (within a day, or across one midnight), whose two parts are each counted from the rooms of a day held.
    private async Task AssertTheScopesTotalsAnswer(RoomScope scope, HashSet<string> restricting, Random random)
    {
        var start = End.AddDays(-24).AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(26).TotalMilliseconds));
        var end = start.AddDays(random.Next(3) == 0 ? 0 : random.Next(2, 24)).AddMilliseconds(random.Next(86_400_000));
        var sortText = Sorts[random.Next(Sorts.Length)];
        var context = $"[{start:O}, {end:O}) scope {scope.Key} sort {sortText ?? "default"}";
        foreach (var report in Enum.GetValues<ReportDimension>())
            Assert.True(await Service<ReportCounts>().CountRestrictedAsync(report, start, end, scope, CancellationToken.None) is not null, context);
        Assert.Equal(Oracle(start, end, restricting), await Service<ConversationCounts>().CountRestrictedAsync(start, end, scope, CancellationToken.None));
        var source = await Service<ConversationsBySourceReport>().AnswerAsync(start, end, scope, CancellationToken.None);
        var department = await Service<ConversationsByDepartmentReport>().AnswerAsync(start, end, scope,
            ReportSort.Parse(sortText, ConversationsByDepartmentReport.DefaultSort), CancellationToken.None);
        var tags = await Service<ConversationsByTagsReport>().AnswerAsync(start, end, scope,
            ReportSort.Parse(sortText, ConversationsByTagsReport.DefaultSort), CancellationToken.None);
        var agent = await Service<ConversationsByAgentReport>().AnswerAsync(start, end, scope,
            ReportSort.Parse(sortText, ConversationsByAgentReport.DefaultSort), CancellationToken.None);
        AssertAsTheRulesSay(source, department, tags, agent, Visible(start, end, restricting), sortText, context);
    }

    private async Task AssertTheTotalsGiveWhatTheCellsGive(int seed, List<DateTimeOffset> instants)
    {
        var (reports, status) = (Service<ReportCounts>(), Service<ConversationCounts>());
        Assert.NotNull(Service<ReportTotals>().At(await Service<StoreVersionReader>().ReadAsync(CancellationToken.None))?.Status);
        var random = new Random(seed);
        // An instant's hour whole, from half an hour before it to half an hour after it; then random ranges.
        var hours = instants.Select(t => new DateTimeOffset(t.UtcDateTime.Date.AddHours(t.UtcDateTime.Hour), TimeSpan.Zero).AddMinutes(-30))
            .Select(start => (start, start.AddHours(2)));
        var ranges = Enumerable.Range(0, 60).Select(_ => End.AddDays(-27).AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(33).TotalMilliseconds)))
            .Select(start => (start, start.AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(random.Next(2) == 0 ? 3 : 30).TotalMilliseconds))));
        foreach (var (start, end) in hours.Concat(ranges).ToList())
        {
            foreach (var report in Enum.GetValues<ReportDimension>())
            {
                var fromStore = await reports.CountFromStoreAsync(report, start, end, CancellationToken.None);
                var fromMemory = await reports.CountAsync(report, start, end, CancellationToken.None);
                Assert.Equal(fromStore.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal), fromMemory.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal));
            }
            Assert.Equal(await status.CountFromStoreAsync(start, end, RoomScope.All, CancellationToken.None),
                await status.CountByStatusAsync(start, end, RoomScope.All, CancellationToken.None));
        }
    }

    /// <summary>
    /// The rooms of an edge hour are held for the next ranges with that hour at an edge (a dashboard's "up to now"), and
    /// only at the store version they were read at: a room written into that hour counts in the next range's answer.
    /// </summary>
    [Fact]
    public async Task A_room_written_into_an_edge_hour_held_in_memory_counts_in_the_next_range()
    {
        var days = _factory.Services.GetRequiredService<ReportTotals>();
        var counts = _factory.Services.GetRequiredService<ReportCounts>();
        var hour = End.AddDays(-3).AddHours(9);
        await days.LoadAsync(CancellationToken.None);
        var before = await counts.CountAsync(ReportDimension.Agent, hour.AddMinutes(30), End, CancellationToken.None);
        Assert.Equal(await counts.CountFromStoreAsync(ReportDimension.Agent, hour.AddMinutes(30), End, CancellationToken.None), before);

        await _factory.AddRoomsAsync(new RoomRecord("edge-room", "l", hour.AddMinutes(45), Open: true, ServedById: "agent-edge"));
        await days.LoadAsync(CancellationToken.None); // the totals at the new version, so the edge hours are what differs
        var after = await counts.CountAsync(ReportDimension.Agent, hour.AddMinutes(30).AddMilliseconds(1), End, CancellationToken.None);

        Assert.Equal(1, after.GetValueOrDefault(new ReportKey((byte)FieldKind.Value, "agent-edge", 0, "")));
        Assert.Equal(before.Values.Sum() + 1, after.Values.Sum());
    }

    /// <summary>
    /// A restricted caller's partial days are counted from its rooms of those days, held for its next ranges with the same
    /// edge days, and only at the store version they were read at: a room written into such a day counts in the next
    /// range's answer, and a room the caller does not see does not.
    /// </summary>
    [Fact]
    public async Task A_room_written_into_a_restricted_callers_edge_day_held_in_memory_counts_in_the_next_range()
    {
        var (counts, status, scopeTotals) = (Service<ReportCounts>(), Service<ConversationCounts>(), Service<ScopeTotals>());
        var (caller, restrictingOrNull) = _callers.First(c => c.Restricting is { Count: > 0 });
        var restricting = restrictingOrNull!;
        var scope = await Service<RoomScopes>().ForAsync(caller, CancellationToken.None);
        await scopeTotals.For(scope)!.LoadAsync(CancellationToken.None);
        var day = new DateTimeOffset(End.UtcDateTime.Date, TimeSpan.Zero).AddDays(-6);
        var (start, end) = (day.AddHours(7), day.AddDays(5).AddHours(15));
        var before = await counts.CountRestrictedAsync(ReportDimension.Agent, start, end, scope, CancellationToken.None);
        Assert.Equal(Oracle(start, end, restricting), await status.CountRestrictedAsync(start, end, scope, CancellationToken.None));

        var department = _departments.First(d => restricting.Contains(d.Id) || (d.Ancestors ?? []).Any(restricting.Contains));
        var outside = _departments.First(d => d.Type != "u" && !restricting.Contains(d.Id) && !(d.Ancestors ?? []).Any(restricting.Contains));
        _rooms.Add(new RoomRecord("edge-day-seen", "l", day.AddHours(8), Open: true, ServedById: "agent-edge-day", DepartmentId: department.Id,
            DepartmentAncestors: department.Ancestors));
        _rooms.Add(new RoomRecord("edge-day-unseen", "l", day.AddDays(5).AddHours(14), Open: true, ServedById: "agent-edge-day",
            DepartmentId: outside.Id, DepartmentAncestors: outside.Ancestors));
        await _factory.AddRoomsAsync(_rooms[^2], _rooms[^1]);
        await scopeTotals.For(scope)!.LoadAsync(CancellationToken.None); // the day totals at the new version: the edge days are what differs
        var after = await counts.CountRestrictedAsync(ReportDimension.Agent, start.AddMilliseconds(1), end.AddMilliseconds(-1), scope, CancellationToken.None);

        Assert.NotNull(before);
        Assert.NotNull(after);
        Assert.Equal(1, after.GetValueOrDefault(new ReportKey((byte)FieldKind.Value, "agent-edge-day", 0, "")));
        Assert.Equal(before.Values.Sum() + 1, after.Values.Sum());
        Assert.Equal(Oracle(start, end, restricting), await status.CountRestrictedAsync(start, end, scope, CancellationToken.None));
    }

    /// <summary>
    /// A scope's day totals stay within their bound (16 MB: two million running totals per report) when writes widen
    /// them: a room a century ahead with sixty new tags would make its tags' totals 80 keys times 38,000 days. They are
    /// then not kept, and the scope's answers come from the store, still as the rules say.
    /// </summary>
    [Fact]
    public async Task A_scopes_totals_that_a_write_would_grow_past_their_bound_are_dropped_and_the_store_answers()
    {
        var (counts, scopeTotals) = (Service<ReportCounts>(), Service<ScopeTotals>());
        var (caller, restrictingOrNull) = _callers.First(c => c.Restricting is { Count: > 0 });
        var restricting = restrictingOrNull!;
        var scope = await Service<RoomScopes>().ForAsync(caller, CancellationToken.None);
        Assert.Contains(await scopeTotals.For(scope)!.LoadAsync(CancellationToken.None), new[] { TotalsLoad.Full, TotalsLoad.Current });
        var department = _departments.First(d => restricting.Contains(d.Id) || (d.Ancestors ?? []).Any(restricting.Contains));
        _rooms.Add(new RoomRecord("far-ahead", "l", End.AddDays(38_000), Open: true, ServedById: "agent-far", DepartmentId: department.Id,
            DepartmentAncestors: department.Ancestors) { Tags = [.. Enumerable.Range(0, 60).Select(i => $"far-{i}")], TagsField = FieldKind.Value });
        await _factory.AddRoomsAsync(_rooms[^1]);

        Assert.Equal(TotalsLoad.NotLoaded, await scopeTotals.For(scope)!.LoadAsync(CancellationToken.None));
        Assert.Contains(_factory.Logs, line => line.StartsWith("Warning: The report day totals of a restricted caller's scope would take", StringComparison.Ordinal));
        var (start, end) = (End.AddDays(-20), End.AddDays(38_001));
        Assert.Null(await counts.CountRestrictedAsync(ReportDimension.Tags, start, end, scope, CancellationToken.None));
        var tags = await Service<ConversationsByTagsReport>().AnswerAsync(start, end, scope, ReportSort.Parse(null, ConversationsByTagsReport.DefaultSort),
            CancellationToken.None);
        Assert.Equal(Expected.Tags(Visible(start, end, restricting), """{"total":1}"""), Shown(tags.Total, tags.Data, tags.Unspecified));
    }

    private static string Shown(int total, IEnumerable<Analytics.V1.ReportRow> rows, int unspecified) =>
        $"{total}|{unspecified}|" + string.Join(",", rows.Select(r =>
            $"{(r.Label.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NullValue ? "<null>" : r.Label.StringValue)}={r.Value}"));

    /// <summary>The omnichannel rooms of a range that a caller restricted to these ids sees (all for null), by the rules in plain C#.</summary>
    private List<RoomRecord> Visible(DateTimeOffset start, DateTimeOffset end, HashSet<string>? restricting)
    {
        var reached = restricting is null ? null : _departments
            .Where(d => restricting.Contains(d.Id) || (d.Ancestors ?? []).Any(restricting.Contains)).Select(d => d.Id).ToHashSet();
        return _rooms.Where(r => r.Type == "l" && r.Ts >= start && r.Ts < end
            && (restricting is null
                || (r.DepartmentId is null && r.DepartmentField is not FieldKind.Null)
                || (r.DepartmentId is not null && reached!.Contains(r.DepartmentId))
                || (r.DepartmentAncestors ?? []).Any(restricting.Contains))).ToList();
    }

    /// <summary>docs/behaviour.md's four reports written again, plainly, over the visible rooms: "total|unspecified|label=value,...".</summary>
    private static class Expected
    {
        private sealed record Line(string? Label, string? Id, long Value);

        private static readonly IComparer<string?> Utf8 = Comparer<string?>.Create((a, b) =>
            a is null ? (b is null ? 0 : -1) : b is null ? 1
            : System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b)));

        private static string Show(IEnumerable<Line> lines, long unspecified)
        {
            var list = lines.ToList();
            return $"{list.Sum(l => l.Value)}|{unspecified}|" + string.Join(",", list.Select(l => $"{l.Label ?? "<null>"}={l.Value}"));
        }

        // The sort's keys in order (total: the value; _id: the id, or the label where rows have no other id; name:
        // the label where rows have one), then label and id ascending.
        private static IEnumerable<Line> Sort(List<Line> lines, string sort, bool agents)
        {
            using var json = System.Text.Json.JsonDocument.Parse(sort);
            IOrderedEnumerable<Line>? ordered = null;
            foreach (var key in json.RootElement.EnumerateObject())
            {
                var descending = key.Value.GetInt32() == -1;
                Func<Line, object?> selector = key.Name switch
                {
                    "total" => l => l.Value,
                    "_id" => l => agents ? l.Id : l.Label,
                    "name" when agents => l => l.Label,
                    _ => _ => null,
                };
                IComparer<object?> comparer = Comparer<object?>.Create((a, b) => (a, b) switch
                {
                    (long x, long y) => x.CompareTo(y),
                    (string or null, string or null) => Utf8.Compare((string?)a, (string?)b),
                    _ => 0,
                });
                ordered = ordered is null
                    ? (descending ? lines.OrderByDescending(selector, comparer) : lines.OrderBy(selector, comparer))
                    : (descending ? ordered.ThenByDescending(selector, comparer) : ordered.ThenBy(selector, comparer));
            }
            return ordered!.ThenBy(l => l.Label, Utf8).ThenBy(l => l.Id, Utf8);
        }

        public static string Source(List<RoomRecord> rooms) => Show(rooms.Where(r => r.Source != FieldKind.Absent)
                .GroupBy(r => (r.SourceTypeKind, r.SourceType, r.SourceAliasKind, r.SourceAlias))
                .Select(g => new Line(g.Key.SourceAliasKind == FieldKind.Value ? g.Key.SourceAlias : g.Key.SourceTypeKind == FieldKind.Value ? g.Key.SourceType : null,
                    null, g.Count()))
                .OrderByDescending(l => l.Value).ThenBy(l => l.Label, Utf8), 0);

        public static string Department(List<RoomRecord> rooms, List<DepartmentRecord> departments, string sort)
        {
            var names = departments.ToDictionary(d => d.Id, d => d.Name);
            var lines = rooms.Where(r => r.DepartmentId is not null && names.ContainsKey(r.DepartmentId))
                .GroupBy(r => names[r.DepartmentId!]).Select(g => new Line(g.Key, null, g.Count())).ToList();
            return Show(Sort(lines, sort, agents: false), rooms.Count(r => r.Department == FieldKind.Absent));
        }

        public static string Tags(List<RoomRecord> rooms, string sort)
        {
            var lines = rooms.Where(r => r.TagsKind == FieldKind.Value).SelectMany(r => r.Tags!)
                .GroupBy(t => t ?? "\0null").Select(g => new Line(g.First(), null, g.Count())).ToList();
            return Show(Sort(lines, sort, agents: false), rooms.Count(r => r.TagsKind == FieldKind.Absent || r.Tags is { Count: 0 }));
        }

        public static string Agent(List<RoomRecord> rooms, List<UserRecord> users, string sort)
        {
            var names = users.ToDictionary(u => u.Id, u => u.Name);
            var lines = rooms.Where(r => r.ServedBy != FieldKind.Absent).GroupBy(r => r.ServedById ?? "\0null")
                .Select(g => (Id: g.First().ServedById, Count: g.Count()))
                .Select(a => new Line(a.Id is null ? null : names.GetValueOrDefault(a.Id) ?? a.Id, a.Id, a.Count)).ToList();
            return Show(Sort(lines, sort, agents: true), rooms.Count(r => r.ServedBy == FieldKind.Absent));
        }
    }

    /// <summary>The rules of docs/behaviour.md ("Status", "Who sees which rooms") over the rooms as last written, in plain C#.</summary>
    private StatusCounts Oracle(DateTimeOffset start, DateTimeOffset end, HashSet<string>? restricting)
    {
        var reached = restricting is null ? null : _departments
            .Where(d => restricting.Contains(d.Id) || (d.Ancestors ?? []).Any(restricting.Contains)).Select(d => d.Id).ToHashSet();
        var matched = _rooms.Where(r => r.Type == "l" && r.Ts >= start && r.Ts < end
            && (restricting is null
                || (r.DepartmentId is null && r.DepartmentField is not FieldKind.Null)
                || (r.DepartmentId is not null && reached!.Contains(r.DepartmentId))
                || (r.DepartmentAncestors ?? []).Any(restricting.Contains))).ToList();
        static bool Served(RoomRecord r) => r.ServedById is not null || r.ServedByField == FieldKind.Value;
        return new StatusCounts(matched.Count,
            matched.Count(r => r.Open && !r.OnHold && !r.OnHoldOtherTruthy && Served(r)),
            matched.Count(r => r.Open && !Served(r)),
            matched.Count(r => r.OnHold),
            matched.Count(r => r.ChatDurationOtherTruthy || r.ChatDuration is { } d && d != 0));
    }
}
