using System.Text.RegularExpressions;
using AnalyticsService.RateLimiting;
using AnalyticsService.Tests.Infrastructure;
using Grpc.Core;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>Step 2 of the pipeline: Rocket.Chat's API rate limit per client address and route.</summary>
public sealed partial class RateLimitTests
{
    private const string Query = "start=2020-01-01&end=2020-02-01";

    private static AnalyticsFactory Limited(int calls, double windowSeconds) => new AnalyticsFactory()
        .With("RateLimit:Calls", calls.ToString())
        .With("RateLimit:WindowSeconds", windowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

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
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var calls = new List<(int Status, string Body, string? Limit, string? Remaining, long? Reset)>();
        for (var i = 0; i < 4; i++)
            calls.Add(await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}")));
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal([200, 200, 200, 429], calls.Select(c => c.Status));
        Assert.Equal(["3", "3", "3", "3"], calls.Select(c => c.Limit));
        Assert.Equal(["2", "1", "0", "0"], calls.Select(c => c.Remaining));
        // One window for all four calls: it ends 60 s after the first.
        Assert.All(calls, c => Assert.InRange(c.Reset!.Value, before + 59_000, after + 60_000));
        Assert.All(calls, c => Assert.InRange(c.Reset!.Value - calls[0].Reset!.Value, -5, 5));
        var match = TooManyRequests().Match(calls[3].Body);
        Assert.True(match.Success, calls[3].Body);
        Assert.InRange(int.Parse(match.Groups[1].Value), 59, 60);
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

        // The window ends at X-RateLimit-Reset; the library's heartbeat replenishes within 100 ms of it.
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(second.Reset!.Value) - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);

        var third = await CallAsync(client, manager.Get($"{ConversationsByStatusPath}?{Query}"));
        Assert.Equal((200, "0"), (third.Status, third.Remaining));
        Assert.True(third.Reset > second.Reset);
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
    public async Task Idle_client_partitions_are_dropped()
    {
        using var limiter = new ClientRateLimiter(Microsoft.Extensions.Options.Options.Create(new RateLimitOptions { Calls = 1, WindowSeconds = 0.2 }), TimeProvider.System);
        for (var i = 0; i < 500; i++)
            Assert.True(limiter.Acquire($"10.0.{i / 256}.{i % 256}", "/route").Allowed);
        Assert.Equal(500, limiter.Partitions);

        // A partition is dropped about 10 s after its window has refilled and nobody used it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (limiter.Partitions > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(250);
        Assert.Equal(0, limiter.Partitions);
    }
}
