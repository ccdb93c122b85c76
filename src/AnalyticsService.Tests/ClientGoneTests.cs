using AnalyticsService.Api;
using AnalyticsService.Services;
using AnalyticsService.Tests.Infrastructure;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>A REST client that goes away before its error answer is written: nothing is an error, nothing is logged.</summary>
public sealed class ClientGoneTests
{
    [Fact]
    public async Task A_client_that_went_away_before_the_error_answer_leaves_no_error_in_the_log()
    {
        var gate = new CallGate(goOnAfterCancel: false);
        await using var factory = new AnalyticsFactory();
        var admin = await factory.CreateUserAsync("admin");
        using var gated = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(gate);
            services.AddSingleton<CallGateInterceptor>();
            services.Configure<GrpcServiceOptions<DashboardsService>>(options => options.Interceptors.Add<CallGateInterceptor>());
        }));
        var client = gated.CreateClient();
        client.Timeout = AnalyticsFactory.CallTimeout;
        using var leaving = new CancellationTokenSource();

        var call = client.SendAsync(admin.Get($"{ConversationsByStatusPath}?start=2020-01-01&end=2020-02-01"), leaving.Token);
        await gate.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        // The service still answers, and what it logged holds no error or warning.
        var (status, _, _) = await factory.CreateClient().SendAsync(admin.Get($"{ConversationsByStatusPath}?start=2020-01-01&end=2020-02-01")).ReadAsync()
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, status);
        // (A factory made WithWebHostBuilder logs through its parent's configuration: into factory.Logs.)
        Assert.DoesNotContain(factory.Logs, line => !line.StartsWith("Information:", StringComparison.Ordinal));
    }
}
