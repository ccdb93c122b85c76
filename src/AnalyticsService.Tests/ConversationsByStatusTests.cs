using AnalyticsService.Tests.Infrastructure;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;
using static AnalyticsService.Tests.Infrastructure.Rooms;

namespace AnalyticsService.Tests;

/// <summary>Which rooms count, in which status, and the order of the answer (docs/behaviour.md, sections 4 and 6).</summary>
public sealed class ConversationsByStatusTests(ConversationsByStatusTests.Fixture fixture) : IClassFixture<ConversationsByStatusTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public AnalyticsFactory Factory { get; } = new();
        public TestUser Admin { get; private set; } = null!;

        public async Task InitializeAsync() => Admin = await Factory.CreateUserAsync("admin");

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    // Each test works in its own days, so tests sharing the store do not see each other's rooms.
    private async Task<string> GetAsync(string start, string end)
    {
        var client = await fixture.Factory.RestAsync();
        var (status, _, body) = await client.SendAsync(fixture.Admin.Get($"{ConversationsByStatusPath}?start={Uri.EscapeDataString(start)}&end={Uri.EscapeDataString(end)}")).ReadAsync();
        Assert.Equal(200, status);
        return body;
    }

    private static string Body(int total, params (string Label, int Value)[] data) => Bodies.Counts(total, data);

    [Fact]
    public async Task Range_includes_its_start_and_excludes_its_end_to_the_millisecond()
    {
        await fixture.Factory.AddRoomsAsync(
            Closed(At("2001-01-10T00:00:00.000Z")),   // == start: counted
            Closed(At("2001-01-10T23:59:59.999Z")),   // just before end: counted
            Closed(At("2001-01-11T00:00:00.000Z")),   // == end: not counted
            Closed(At("2001-01-09T23:59:59.999Z")));  // just before start: not counted

        Assert.Equal(Body(2, ("Closed", 2), ("Open", 0), ("Queued", 0), ("On_Hold", 0)),
            await GetAsync("2001-01-10T00:00:00.000Z", "2001-01-11T00:00:00.000Z"));
        Assert.Equal(Body(1, ("Closed", 1), ("Open", 0), ("Queued", 0), ("On_Hold", 0)),
            await GetAsync("2001-01-10T00:00:00.001Z", "2001-01-11T00:00:00.000Z"));
    }

    [Fact]
    public async Task Only_omnichannel_rooms_count()
    {
        var ts = At("2001-02-10T12:00:00Z");
        await fixture.Factory.AddRoomsAsync(
            Open(ts),
            Open(ts) with { Type = "c" },
            Open(ts) with { Type = "d" },
            Open(ts) with { Type = "p" },
            Closed(ts) with { Type = "c" });

        Assert.Equal(Body(1, ("Open", 1), ("Closed", 0), ("Queued", 0), ("On_Hold", 0)),
            await GetAsync("2001-02-10", "2001-02-11"));
    }

    [Fact]
    public async Task Each_status_rule_and_the_rooms_that_count_only_in_total()
    {
        var ts = At("2001-03-10T12:00:00Z");
        await fixture.Factory.AddRoomsAsync(
            Open(ts), Open(ts), Open(ts),                       // Open: open, served, not on hold
            Queued(ts), Queued(ts),                             // Queued: open, not served
            OnHold(ts),                                         // open, served and on hold: On_Hold only
            Queued(ts) with { OnHold = true },                  // open, unserved, on hold: Queued and On_Hold
            Closed(ts), Closed(ts), Closed(ts), Closed(ts, 0.5), // Closed: a non-zero chat duration
            Closed(ts, chatDuration: 0),                         // duration 0: total only
            ClosedWithoutDuration(ts));                          // no duration: total only

        Assert.Equal(Body(13, ("Closed", 4), ("Open", 3), ("Queued", 3), ("On_Hold", 2)),
            await GetAsync("2001-03-10", "2001-03-11"));
    }

    [Fact]
    public async Task Ties_keep_the_order_Open_Closed_Queued_On_Hold()
    {
        var ts = At("2001-04-10T12:00:00Z");
        await fixture.Factory.AddRoomsAsync(Queued(ts), OnHold(ts), Closed(ts), Open(ts));
        Assert.Equal(Body(4, ("Open", 1), ("Closed", 1), ("Queued", 1), ("On_Hold", 1)),
            await GetAsync("2001-04-10", "2001-04-11"));

        var later = At("2001-04-12T12:00:00Z");
        await fixture.Factory.AddRoomsAsync(Queued(later), Queued(later), OnHold(later), OnHold(later), Open(later), Closed(later));
        Assert.Equal(Body(6, ("Queued", 2), ("On_Hold", 2), ("Open", 1), ("Closed", 1)),
            await GetAsync("2001-04-12", "2001-04-13"));
    }

    [Fact]
    public async Task Matching_rooms_with_no_status_still_list_all_four_labels()
    {
        await fixture.Factory.AddRoomsAsync(ClosedWithoutDuration(At("2001-05-10T12:00:00Z")));
        Assert.Equal(Body(1, ("Open", 0), ("Closed", 0), ("Queued", 0), ("On_Hold", 0)),
            await GetAsync("2001-05-10", "2001-05-11"));
    }

    [Fact]
    public async Task No_matching_room_gives_the_empty_body()
    {
        await fixture.Factory.AddRoomsAsync(Closed(At("2001-06-09T12:00:00Z")));
        Assert.Equal(Bodies.Empty, await GetAsync("2001-06-10", "2001-06-11"));
        Assert.Equal(Bodies.Empty, await GetAsync("2001-06-09T12:00:00Z", "2001-06-09T12:00:00Z")); // start == end
    }

    [Fact]
    public async Task A_room_closed_between_two_calls_shows_closed_in_the_second()
    {
        var room = Open(At("2001-07-10T12:00:00Z"));
        await fixture.Factory.AddRoomsAsync(room);
        Assert.Equal(Body(1, ("Open", 1), ("Closed", 0), ("Queued", 0), ("On_Hold", 0)), await GetAsync("2001-07-10", "2001-07-11"));

        await fixture.Factory.AddRoomsAsync(room with { Open = false, ChatDuration = 120, ClosedAt = room.Ts.AddMinutes(2) });
        Assert.Equal(Body(1, ("Closed", 1), ("Open", 0), ("Queued", 0), ("On_Hold", 0)), await GetAsync("2001-07-10", "2001-07-11"));
    }

    [Fact]
    public async Task The_one_year_rule_at_its_edge()
    {
        await fixture.Factory.AddRoomsAsync(Closed(At("2002-06-01T12:00:00Z")));
        var client = await fixture.Factory.RestAsync();

        // 2002-01-01 to 2003-01-04 is 12 months and 3/31 of the next: 1.008 years, allowed; the time of day does not count.
        Assert.Equal(Body(1, ("Closed", 1), ("Open", 0), ("Queued", 0), ("On_Hold", 0)), await GetAsync("2002-01-01T23:00:00Z", "2003-01-04T23:59:59.999Z"));
        // One more day is 1.011 years.
        var (status, _, body) = await client.SendAsync(fixture.Admin.Get($"{ConversationsByStatusPath}?start=2002-01-01&end=2003-01-05")).ReadAsync();
        Assert.Equal((400, Bodies.MoreThanAYear), (status, body));
    }

    [Fact]
    public async Task Grpc_and_rest_give_the_same_numbers()
    {
        var ts = At("2001-08-10T12:00:00Z");
        await fixture.Factory.AddRoomsAsync(Open(ts), Queued(ts), Queued(ts), Closed(ts), Closed(ts), Closed(ts), ClosedWithoutDuration(ts));
        var grpc = await fixture.Factory.GrpcAsync();
        var response = await grpc.GetConversationsByStatusAsync(new() { Start = "2001-08-10", End = "2001-08-11" }, fixture.Admin.Headers);

        Assert.Equal(Body(7, ("Closed", 3), ("Queued", 2), ("Open", 1), ("On_Hold", 0)), await GetAsync("2001-08-10", "2001-08-11"));
        Assert.Equal((7, "Closed:3 Queued:2 Open:1 On_Hold:0", true),
            (response.Total, string.Join(" ", response.Data.Select(d => $"{d.Label}:{d.Value}")), response.Success));
    }
}

/// <summary>Dates without an offset, and the start of a day, in the configured server time zone.</summary>
public sealed class ServerTimeZoneTests : IAsyncLifetime
{
    private readonly AnalyticsFactory _factory = new AnalyticsFactory().With("Analytics:TimeZone", "Asia/Kolkata");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_local_day_is_counted_in_the_server_zone()
    {
        var admin = await _factory.CreateUserAsync("admin");
        await _factory.AddRoomsAsync(
            Closed(At("2020-09-09T18:30:00Z")),      // 2020-09-10 00:00 in Kolkata: counted
            Closed(At("2020-09-09T18:29:59.999Z")),  // 2020-09-09 23:59:59.999 in Kolkata: not
            Closed(At("2020-09-10T18:29:59.999Z"))); // last moment of 2020-09-10 in Kolkata: counted
        var client = await _factory.RestAsync();

        var (status, _, body) = await client.SendAsync(admin.Get($"{ConversationsByStatusPath}?start=2020-09-10&end=2020-09-11")).ReadAsync();

        Assert.Equal((200, """{"total":2,"data":[{"label":"Closed","value":2},{"label":"Open","value":0},{"label":"Queued","value":0},{"label":"On_Hold","value":0}],"success":true}"""), (status, body));
    }
}
