using AnalyticsService.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// What an operator sees: the service's meters (read through OpenTelemetry's in-memory exporter and scraped at
/// /metrics), one access line per call without secrets, and no more than a few lines a second however many bad
/// requests a client sends.
/// </summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    private const string Query = "start=2020-01-01&end=2020-02-01";

    private static long Sum(IEnumerable<Metric> metrics, string name, params (string Key, string Value)[] tags)
    {
        long sum = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                    pointTags[tag.Key] = tag.Value;
                if (tags.All(t => Equals(pointTags.GetValueOrDefault(t.Key), t.Value)))
                    sum += metric.MetricType == MetricType.Histogram ? point.GetHistogramCount() : point.GetSumLong();
            }
        }
        return sum;
    }

    [Fact]
    public async Task Calls_outcomes_and_kept_answers_are_counted_and_scraped_at_metrics()
    {
        var exported = new List<Metric>();
        // A clock that stands still: the first answer, however slow to compute here, is not kept at once for its cost.
        await using var factory = new AnalyticsFactory().WithClock(new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        using var observed = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported))));
        var manager = await factory.CreateUserAsync("livechat-manager");
        var client = observed.CreateClient();

        Assert.Equal(200, (await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync()).Status);
        Assert.Equal(200, (await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync()).Status);
        Assert.Equal(200, (await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync()).Status); // kept
        Assert.Equal(200, (await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync()).Status); // from memory
        Assert.Equal(401, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{ConversationsByStatusPath}?{Query}")).ReadAsync()).Status);
        Assert.Equal(400, (await client.SendAsync(manager.Get("/api/v1/livechat/analytics/dashboards/conversations-by-tags?start=x&end=y")).ReadAsync()).Status);
        observed.Services.GetRequiredService<MeterProvider>().ForceFlush();

        // Calls are counted by the duration histogram alone.
        Assert.Equal(4, Sum(exported, "analytics.call.duration", ("report", "GetConversationsByStatus"), ("outcome", "OK")));
        Assert.Equal(1, Sum(exported, "analytics.call.duration", ("report", "GetConversationsByStatus"), ("outcome", "Unauthenticated")));
        Assert.Equal(1, Sum(exported, "analytics.call.duration", ("report", "GetConversationsByTags"), ("outcome", "InvalidArgument")));
        Assert.Equal((3, 1), (Sum(exported, "analytics.answers", ("source", "store")), Sum(exported, "analytics.answers", ("source", "memory"))));

        var (status, contentType, scraped) = await client.GetAsync("/metrics").ReadAsync();
        Assert.Equal(200, status);
        Assert.StartsWith("text/plain", contentType);
        Assert.Contains("analytics_call_duration_seconds_count{", scraped);
        Assert.DoesNotContain("analytics_calls_total", scraped);
        Assert.Contains("outcome=\"Unauthenticated\"", scraped);
        Assert.Contains("analytics_call_duration_seconds_bucket{", scraped);
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_each_call_is_a_span_with_its_route_or_gRPC_method_and_without_one_none_is_recorded()
    {
        var exported = new List<System.Diagnostics.Activity>();
        var ended = new SemaphoreSlim(0);
        // Nothing listens on the discard port: the exporter's failures stay inside OpenTelemetry; the spans are read in memory.
        await using var factory = new AnalyticsFactory().With("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
        using var observed = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported).AddProcessor(new EndSignal(ended)))));
        var manager = await factory.CreateUserAsync("livechat-manager");
        Assert.Equal(200, (await observed.CreateClient().SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync()).Status);

        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(observed.Server.BaseAddress,
            new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = observed.Server.CreateHandler() });
        await new Analytics.V1.Dashboards.DashboardsClient(channel).GetConversationsByStatusAsync(
            new() { Start = "2020-01-01", End = "2020-02-01" }, manager.Headers, DateTime.UtcNow + CallTimeout);
        // The test server hands the client the whole response before the host ends the call's span.
        for (var span = 0; span < 2; span++)
            Assert.True(await ended.WaitAsync(CallTimeout), $"{span} of 2 spans ended");

        // REST: the route, and the query's values redacted. gRPC: the method and its status code, as grpc-dotnet tags them.
        var rest = Assert.Single(exported, a => a.DisplayName.StartsWith("GET ", StringComparison.Ordinal));
        Assert.Equal(($"GET {ConversationsByStatusPath}", "?start=Redacted&end=Redacted", 200),
            (rest.DisplayName, rest.GetTagItem("url.query"), rest.GetTagItem("http.response.status_code")));
        var grpc = Assert.Single(exported, a => a.DisplayName.StartsWith("POST ", StringComparison.Ordinal));
        Assert.Equal(("POST /analytics.v1.Dashboards/GetConversationsByStatus", "/analytics.v1.Dashboards/GetConversationsByStatus", "0"),
            (grpc.DisplayName, grpc.GetTagItem("grpc.method"), grpc.GetTagItem("grpc.status_code")?.ToString()));

        await using var plain = new AnalyticsFactory();
        Assert.Null(plain.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task Each_call_gets_one_access_line_and_refused_calls_at_most_a_few_a_second()
    {
        var clock = new FakeTimeProvider();
        await using var factory = new AnalyticsFactory().WithClock(clock);
        var manager = await factory.CreateUserAsync("livechat-manager");
        var client = await factory.RestAsync();
        IEnumerable<string> Access() => factory.Logs.Where(line => line.Contains(" ms user ", StringComparison.Ordinal));

        Assert.Equal(200, (await client.SendAsync(manager.Get($"{ConversationsByStatusPath}?{Query}")).ReadAsync()).Status);
        var line = Assert.Single(Access());
        Assert.StartsWith($"Information: GetConversationsByStatus REST OK ", line);
        Assert.Contains($" ms user {manager.Id} ", line);
        Assert.DoesNotContain(manager.Token, string.Join("\n", factory.Logs));

        // 200 refused calls in no time: a burst of ten lines, then none until time has passed.
        for (var i = 0; i < 200; i++)
            await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{ConversationsByStatusPath}?{Query}")).ReadAsync();
        Assert.Equal(11, Access().Count());
        Assert.DoesNotContain(factory.Logs, l => l.Contains("raised", StringComparison.Ordinal)); // transcoding's own line per error
        clock.Advance(TimeSpan.FromSeconds(1));
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{ConversationsByStatusPath}?{Query}")).ReadAsync();
        Assert.EndsWith("ms user - (190 refused calls not logged before this one)", Access().Last());
    }
}

/// <summary>Releases a semaphore as each span ends, after the exporters registered before it have seen the span.</summary>
file sealed class EndSignal(SemaphoreSlim ended) : BaseProcessor<System.Diagnostics.Activity>
{
    public override void OnEnd(System.Diagnostics.Activity data) => ended.Release();
}

/// <summary>
/// Runs the telemetry tests alone: an OpenTelemetry meter provider listens to every meter of its name in the process,
/// so another test's service counting calls at the same time would add to the counts asserted here.
/// </summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTestsCollection;
