using AnalyticsService.Tests.Infrastructure;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsService.Tests;

/// <summary>
/// Probes that tell the truth: /healthz/live while the process serves, /healthz/ready and gRPC health only while the
/// store answers the queries the reports need, each reusing its answer for Analytics:ReadinessCacheSeconds.
/// </summary>
public sealed class ProbeTests
{
    [Fact]
    public async Task A_store_broken_under_the_service_is_not_ready_within_the_readiness_bound_and_live_all_along()
    {
        var clock = new FakeTimeProvider();
        await using var factory = new AnalyticsFactory().WithClock(clock);
        var client = await factory.RestAsync();
        await factory.GrpcAsync();
        using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
        var health = new Health.HealthClient(channel);
        async Task<(int Live, int Ready, string ReadyBody)> ProbeAsync()
        {
            var (live, _, _) = await client.GetAsync("/healthz/live").ReadAsync();
            var (ready, _, body) = await client.GetAsync("/healthz/ready").ReadAsync();
            return (live, ready, body);
        }
        // gRPC health tells each change of status as it happens: the service's publisher checks every second.
        using var watch = health.Watch(new HealthCheckRequest(), deadline: DateTime.UtcNow + AnalyticsFactory.CallTimeout);
        async Task<HealthCheckResponse.Types.ServingStatus> NextGrpcStatusAsync(HealthCheckResponse.Types.ServingStatus awaited)
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None))
            {
                if (watch.ResponseStream.Current.Status == awaited)
                    return awaited;
            }
            return HealthCheckResponse.Types.ServingStatus.Unknown;
        }

        Assert.Equal((200, 200, "Healthy"), await ProbeAsync());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await NextGrpcStatusAsync(HealthCheckResponse.Types.ServingStatus.Serving));

        // A table the reports read disappears (a store replaced or truncated under the service): SELECT 1 would still work.
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE room_counts_all_hourly";
            await drop.ExecuteNonQueryAsync();
        }
        // Within the bound the reused answer stands; past it, readiness says so, and gRPC health with it.
        Assert.Equal((200, 200, "Healthy"), await ProbeAsync());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((200, 503, "Unhealthy"), await ProbeAsync());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await NextGrpcStatusAsync(HealthCheckResponse.Types.ServingStatus.NotServing));
    }

    [Fact]
    public async Task While_following_MongoDB_readiness_says_how_far_behind_the_store_was_at_the_newest_batch()
    {
        var clock = new FakeTimeProvider();
        await using var factory = new AnalyticsFactory().WithClock(clock);
        var client = await factory.RestAsync();
        Assert.Equal("Healthy", (await client.GetAsync("/healthz/ready").ReadAsync()).Body);

        // What the follower records after each batch (MongoFollower; docs/sync.md).
        factory.Services.GetRequiredService<Hosting.AnalyticsMetrics>().SyncLag(TimeSpan.FromMilliseconds(2_540));
        clock.Advance(TimeSpan.FromSeconds(1)); // past the reused answer's bound

        Assert.Equal((200, "text/plain", "Healthy\nsync lag: 2.5 s"), await client.GetAsync("/healthz/ready").ReadAsync());
    }
}
