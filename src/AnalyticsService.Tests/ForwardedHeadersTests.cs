using AnalyticsService.Demo;
using AnalyticsService.Interceptors;
using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// Behind a reverse proxy the rate limit's client address comes from X-Forwarded-For only when the proxy is
/// trusted by the ForwardedHeaders settings; otherwise a caller could pick its own address. Real sockets, so that
/// the peer address is real (127.0.0.1).
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static async Task<(ServiceProcess Service, TestUser Manager)> StartAsync(params (string, string)[] settings)
    {
        var directory = Directory.CreateTempSubdirectory("analytics-proxy-").FullName;
        var service = await ServiceProcess.StartAsync("", directory, [("RateLimit__Calls", "1"), .. settings]);
        // Write straight into the running service's store, as an import would.
        var writer = new StoreWriter(new Store(SqliteFactory.Instance, new SqliteDialect(), new($"Data Source={Path.Combine(directory, "analytics.db")}"), 15));
        await writer.UpsertPermissionsAsync(DataGenerator.DefaultPermissions);
        var token = DataGenerator.NewLoginToken();
        await writer.UpsertUsersAsync([new UserRecord("manager-1", "manager", ["livechat-manager"], [new LoginTokenRecord(LoginTokens.Hash(token))])]);
        SqlitePools.Release(Path.Combine(directory, "analytics.db"));
        return (service, new TestUser("manager-1", token));
    }

    private static async Task<int> CallFromAsync(ServiceProcess service, TestUser user, string forwardedFor)
    {
        using var client = service.Rest();
        var request = user.Get($"{ConversationsByStatusPath}?start=2020-01-01&end=2020-02-01");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Without_a_trusted_proxy_X_Forwarded_For_is_ignored()
    {
        var (service, manager) = await StartAsync();
        await using (service)
        {
            Assert.Equal(200, await CallFromAsync(service, manager, "10.1.1.1"));
            Assert.Equal(429, await CallFromAsync(service, manager, "10.1.1.2")); // same socket address, same budget
        }
        service.DeleteDirectory();
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget()
    {
        var (service, manager) = await StartAsync(("ForwardedHeaders__KnownProxies__0", "127.0.0.1"));
        await using (service)
        {
            Assert.Equal(200, await CallFromAsync(service, manager, "10.1.1.1"));
            Assert.Equal(200, await CallFromAsync(service, manager, "10.1.1.2"));
            Assert.Equal(429, await CallFromAsync(service, manager, "10.1.1.1"));
        }
        service.DeleteDirectory();
    }
}
