using AnalyticsService.Demo;
using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsService.Tests;

/// <summary>
/// The fast path (per-day and per-hour counts kept by every write, partial hours read from rooms) must give, for any range and scope, exactly
/// what a plain count of the rooms gives, after inserts and after updates that move rooms between days, statuses,
/// departments and room types.
/// </summary>
public sealed class CountsConsistencyTests : IAsyncLifetime
{
    private readonly AnalyticsFactory _factory = new();
    private List<RoomRecord> _rooms = [];
    private static readonly DateTimeOffset End = DateTimeOffset.Parse("2026-03-01T00:00:00Z");

    public async Task InitializeAsync()
    {
        await _factory.RestAsync();
        var workspace = new DataGenerator(seed: 11).Generate(rooms: 4000, days: 20, End);
        _rooms = workspace.Rooms.ToList();
        await _factory.Writer.UpsertDepartmentsAsync(workspace.Departments);
        await _factory.AddRoomsAsync([.. _rooms]);

        // Then a newer state of a quarter of them: closed, reopened, moved to another day or department, or no
        // longer omnichannel; each goes through the update trigger.
        var random = new Random(5);
        var departments = workspace.Departments.Where(d => d.Type != "u").ToList();
        for (var i = 0; i < _rooms.Count; i += 4)
        {
            var room = _rooms[i];
            _rooms[i] = random.Next(5) switch
            {
                0 => room with { Open = false, OnHold = false, ChatDuration = 90, ClosedAt = room.Ts.AddMinutes(2) },
                1 => room with { Open = true, ChatDuration = null, ServedById = null },
                2 => room with { Ts = room.Ts.AddHours(random.Next(-72, 72)).AddMilliseconds(random.Next(1000)) },
                3 => departments[random.Next(departments.Count)] is var d ? room with { DepartmentId = d.Id, DepartmentAncestors = d.Ancestors } : room,
                _ => room with { Type = "c" },
            };
        }
        await _factory.AddRoomsAsync([.. _rooms.Where((_, i) => i % 4 == 0)]);
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Random_ranges_and_scopes_give_the_counts_of_a_plain_scan()
    {
        var counts = _factory.Services.GetRequiredService<ConversationCounts>();
        var units = _rooms.SelectMany(r => r.DepartmentAncestors ?? []).Distinct().Order().ToList();
        var departments = _rooms.Select(r => r.DepartmentId).OfType<string>().Distinct().Order().ToList();
        IReadOnlyList<string>?[] scopes = [null, [units[0]], [units[1]], [.. units], [departments[0]], ["no-such-unit"]];
        var random = new Random(1234);
        var first = End.AddDays(-24).ToUnixTimeMilliseconds();
        var span = TimeSpan.FromDays(28).Ticks / TimeSpan.TicksPerMillisecond;

        for (var i = 0; i < 300; i++)
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
            var units_ = scopes[random.Next(scopes.Length)];
            var scope = units_ is null ? RoomScope.All : RoomScope.OfUnits(units_);

            var expected = Oracle(start, end, units_);
            var fast = await counts.ComputeByStatusAsync(start, end, scope, CancellationToken.None);
            var scan = await counts.ScanByStatusAsync(start, end, scope, CancellationToken.None);
            var kept = await counts.CountByStatusAsync(start, end, scope, CancellationToken.None);

            Assert.True(expected == fast && expected == scan && expected == kept,
                $"[{start:O}, {end:O}) scope {string.Join(",", units_ ?? ["all"])}: expected {expected}, counts {fast}, scan {scan}, kept {kept}");
        }
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
        Assert.Equal(expected, await counts.ComputeByStatusAsync(start, end, RoomScope.All, CancellationToken.None));
        Assert.Equal(expected, await counts.ScanByStatusAsync(start, end, RoomScope.All, CancellationToken.None));
        // The day and hour s1 left hold nothing any more: whole hours from 10:00 on 01-10, read from the counts.
        Assert.Equal(StatusCounts.None, await counts.ComputeByStatusAsync(at.AddMinutes(-30), at.AddDays(1), RoomScope.All, CancellationToken.None));
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
    }

    /// <summary>The spec's section 4 over the rooms as last written, in plain C#.</summary>
    private StatusCounts Oracle(DateTimeOffset start, DateTimeOffset end, IReadOnlyList<string>? units)
    {
        var matched = _rooms.Where(r => r.Type == "l" && r.Ts >= start && r.Ts < end
            && (units is null || units.Contains(r.DepartmentId) || (r.DepartmentAncestors ?? []).Any(units.Contains))).ToList();
        return new StatusCounts(matched.Count,
            matched.Count(r => r.Open && !r.OnHold && r.ServedById is not null),
            matched.Count(r => r.Open && r.ServedById is null),
            matched.Count(r => r.OnHold),
            matched.Count(r => r.ChatDuration is { } d && d != 0));
    }
}
