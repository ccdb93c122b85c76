using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>Analytics:AuthCacheSeconds: callers and permissions are kept that long, and no longer.</summary>
public sealed class AuthCacheTests
{
    private const string Query = "start=2020-01-01&end=2020-02-01";

    [Fact]
    public async Task A_revoked_token_stops_working_within_the_cache_lifetime()
    {
        var clock = new FakeTimeProvider();
        await using var factory = new AnalyticsFactory().With("Analytics:AuthCacheSeconds", "1").WithClock(clock);
        var manager = await factory.CreateUserAsync("livechat-manager");
        var client = await factory.RestAsync();
        Assert.Equal(200, (await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync()).Status);

        await factory.Writer.UpsertUsersAsync([new UserRecord(manager.Id, manager.Id, ["livechat-manager"], [])]); // logged out everywhere
        clock.Advance(TimeSpan.FromMilliseconds(999));
        var cached = await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync();

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var after = await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync();

        Assert.Equal(200, cached.Status); // still within the second the setting allows
        Assert.Equal((401, Bodies.NotLoggedIn), (after.Status, after.Body));
    }

    [Fact]
    public async Task A_removed_permission_is_refused_within_the_cache_lifetime_and_at_once_without_cache()
    {
        foreach (var (seconds, refusedAtOnce) in new[] { ("1", false), ("0", true) })
        {
            var clock = new FakeTimeProvider();
            await using var factory = new AnalyticsFactory().With("Analytics:AuthCacheSeconds", seconds).WithClock(clock);
            var manager = await factory.CreateUserAsync("livechat-manager");
            var client = await factory.RestAsync();
            Assert.Equal(200, (await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync()).Status);

            await factory.Writer.UpsertPermissionsAsync([new PermissionRecord("view-livechat-reports", ["admin"])]);
            var next = await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync();
            Assert.Equal(refusedAtOnce ? 403 : 200, next.Status);

            clock.Advance(TimeSpan.FromSeconds(1));
            var (status, _, body) = await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync();
            Assert.Equal((403, Bodies.NotPermitted), (status, body));
        }
    }
}
