using System.Text.RegularExpressions;
using AnalyticsService.RateLimiting;
using AnalyticsService.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>Step 2 of the pipeline: Rocket.Chat's API rate limit per client address and route.</summary>
public sealed partial class RateLimitTests
{
    private const string Query = "start=2020-01-01&end=2020-02-01";

    // The service's clock: tests move it rather than wait.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-05-01T08:00:00.250Z"));

    private AnalyticsFactory Limited(int calls, double windowSeconds) => new AnalyticsFactory()
        .With("RateLimit:Calls", calls.ToString())
        .With("RateLimit:WindowSeconds", windowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithClock(_clock);

    [GeneratedRegex("""^\{"success":false,"error":"Error, too many requests\. Please slow down\. You must wait (\d+) seconds before trying this endpoint again\. \[error-too-many-requests\]"\}$""")]
    private static partial Regex TooManyRequests();

    private static async Task<(int Status, string Body, string? Limit, string? Remaining, long? Reset)> CallAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(),
            Header("X-RateLimit-Limit"), Header("X-RateLimit-Remaining"), Header("X-RateLimit-Reset") is { } reset ? long.Parse(reset) : null);
    }

    [Fact]
    public async Task Counts_calls_reports_them_in_headers_and_answers_429_with_the_seconds_left()
    {
        await using var factory = Limited(calls: 3, windowSeconds: 60);
        var manager = await factory.CreateUserAsync("livechat-manager");
        var client = await factory.RestAsync();
        var first = _clock.GetUtcNow();

        var calls = new List<(int Status, string Body, string? Limit, string? Remaining, long? Reset)>();
        for (var i = 0; i < 4; i++)
        {
            calls.Add(await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}")));
            _clock.Advance(TimeSpan.FromSeconds(10.5));
        }

        Assert.Equal([200, 200, 200, 429], calls.Select(c => c.Status));
        Assert.Equal(["3", "3", "3", "3"], calls.Select(c => c.Limit));
        Assert.Equal(["2", "1", "0", "0"], calls.Select(c => c.Remaining));
        // One window for all four calls: it ends 60 s after the first, whatever the time of each.
        Assert.All(calls, c => Assert.Equal(first.AddSeconds(60).ToUnixTimeMilliseconds(), c.Reset));
        // The fourth came 31.5 s in: 28.5 s are left, said as 29.
        Assert.Equal("Error, too many requests. Please slow down. You must wait 29 seconds before trying this endpoint again. [error-too-many-requests]",
            System.Text.Json.JsonDocument.Parse(calls[3].Body).RootElement.GetProperty("error").GetString());
        Assert.Matches(TooManyRequests(), calls[3].Body);
    }

    [Fact]
    public async Task A_new_window_allows_calls_again()
    {
        await using var factory = Limited(calls: 1, windowSeconds: 1);
        var manager = await factory.CreateUserAsync("livechat-manager");
        var client = await factory.RestAsync();

        var first = await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}"));
        var second = await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}"));
        Assert.Equal((200, 429), (first.Status, second.Status));
        Assert.Matches(TooManyRequests(), second.Body);
        Assert.Contains("You must wait 1 seconds", second.Body);

        // A millisecond before X-RateLimit-Reset the window still holds; at it, a new one begins.
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(429, (await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}"))).Status);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var third = await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}"));
        Assert.Equal((200, "0", second.Reset + 1000), (third.Status, third.Remaining, third.Reset));
    }

    [Fact]
    public async Task Holders_of_api_bypass_rate_limit_are_not_limited_and_get_no_headers()
    {
        await using var factory = Limited(calls: 1, windowSeconds: 60);
        var admin = await factory.CreateUserAsync("admin"); // admin holds api-bypass-rate-limit by default
        var client = await factory.RestAsync();

        var calls = new List<(int Status, string Body, string? Limit, string? Remaining, long? Reset)>();
        for (var i = 0; i < 3; i++)
            calls.Add(await CallAsync(client, admin.Get($"{ConversationsByStatusPath}?{Query}")));

        Assert.Equal([(200, (string?)null)], calls.Select(c => (c.Status, c.Limit)).Distinct());
    }

    [Fact]
    public async Task Authentication_comes_before_the_limit_and_the_limit_before_the_query_schema()
    {
        await using var factory = Limited(calls: 1, windowSeconds: 60);
        var manager = await factory.CreateUserAsync("livechat-manager");
        var client = await factory.RestAsync();
        Assert.Equal(200, (await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}"))).Status);

        // From the same (now limited) address: no token still gets 401, without rate-limit headers.
        var anonymous = await CallAsync(client, new HttpRequestMessage(HttpMethod.Get, $"{ConversationsByStatusPath}?{Query}"));
        Assert.Equal((401, Bodies.NotLoggedIn, (string?)null), (anonymous.Status, anonymous.Body, anonymous.Limit));

        // A limited caller with bad parameters gets 429, not 400.
        var badParams = await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?foo=1"));
        Assert.Equal((429, "1", "0"), (badParams.Status, badParams.Limit, badParams.Remaining));
        Assert.Matches(TooManyRequests(), badParams.Body);
    }

    [Fact]
    public async Task Grpc_shares_the_limit_and_answers_resource_exhausted_with_the_same_message()
    {
        await using var factory = Limited(calls: 1, windowSeconds: 60);
        var manager = await factory.CreateUserAsync("livechat-manager");
        var client = await factory.RestAsync();
        var grpc = await factory.GrpcAsync();
        Assert.Equal(200, (await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}"))).Status);

        var call = grpc.GetConversationsByStatusAsync(new() { Start = "2020-01-01", End = "2020-02-01" }, manager.Headers);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Matches(TooManyRequests(), $$"""{"success":false,"error":"{{error.Status.Detail}}"}""");
        Assert.Equal("0", call.GetTrailers().GetValue("x-ratelimit-remaining") ?? (await call.ResponseHeadersAsync).GetValue("x-ratelimit-remaining"));
    }

    [Fact]
    public async Task The_limit_can_be_switched_off()
    {
        await using var factory = Limited(calls: 1, windowSeconds: 60).With("RateLimit:Enabled", "false");
        var manager = await factory.CreateUserAsync("livechat-manager");
        var client = await factory.RestAsync();
        for (var i = 0; i < 3; i++)
        {
            var call = await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}"));
            Assert.Equal((200, (string?)null), (call.Status, call.Limit));
        }
    }

    [Fact]
    public void A_partition_is_idle_once_a_window_has_passed_unused_and_then_for_as_long_as_nobody_calls()
    {
        // The library drops partitions idle for about 10 s on its own heartbeat; what it reads is IdleDuration.
        using var limiter = new WindowedRateLimiter(calls: 2, window: TimeSpan.FromSeconds(1), _clock);
        Assert.Equal(TimeSpan.Zero, limiter.IdleDuration);

        using (var lease = limiter.AttemptAcquire())
            Assert.True(lease.IsAcquired);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(limiter.IdleDuration); // a call is counted in the window that has not been replenished yet

        Assert.True(limiter.TryReplenish());
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(TimeSpan.FromSeconds(11), limiter.IdleDuration);
        Assert.Equal(2, limiter.GetStatistics()!.CurrentAvailablePermits);
    }
}
