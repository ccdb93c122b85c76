using Analytics.V1;
using AnalyticsService.Api;
using AnalyticsService.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// Every row of the pipeline table (docs/behaviour.md, section 1), over REST and over gRPC, including the order of the checks:
/// authentication, query schema, permission, dates, result. Callers and permissions read from the store on every call.
/// </summary>
public sealed class PipelineTests(PipelineTests.Fixture fixture) : PipelineTestCases<PipelineTests.Fixture>(fixture), IClassFixture<PipelineTests.Fixture>
{
    public sealed class Fixture() : PipelineFixture(new AnalyticsFactory());
}

/// <summary>
/// The same rows with callers and permissions kept in memory, as the service runs by default: whatever ran before,
/// a kept caller never lets a wrong token, an unknown user or another user's token through.
/// </summary>
public sealed class CachedPipelineTests(CachedPipelineTests.Fixture fixture) : PipelineTestCases<CachedPipelineTests.Fixture>(fixture), IClassFixture<CachedPipelineTests.Fixture>
{
    public sealed class Fixture() : PipelineFixture(new AnalyticsFactory().With("Analytics:AuthCacheSeconds", "60"));
}

public abstract class PipelineFixture(AnalyticsFactory factory) : IAsyncLifetime
{
    public AnalyticsFactory Factory { get; } = factory;
    public TestUser Manager { get; private set; } = null!;
    public TestUser Agent { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Manager = await Factory.CreateUserAsync("livechat-manager", "user");
        Agent = await Factory.CreateUserAsync("livechat-agent", "user");
        // One closed conversation on 2020-09-10, so that the success body has numbers in it.
        await Factory.AddRoomsAsync(new Storage.RoomRecord("pipeline-room", "l", DateTimeOffset.Parse("2020-09-10T12:00:00Z"),
            ServedById: "agent", ChatDuration: 42, ClosedAt: DateTimeOffset.Parse("2020-09-10T12:10:00Z")));
        // One accepted call of each user first: where callers and permissions are kept, every row, in whatever order
        // the rows run, then meets them kept (a wrong token for a kept user, a kept permission refused).
        var client = await Factory.RestAsync();
        foreach (var user in new[] { Manager, Agent })
        {
            var (status, _, _) = await client.SendAsync(user.Get($"{AnalyticsFactory.ConversationsByStatusPath}?start=2020-09-01&end=2020-09-02")).ReadAsync();
            Assert.Equal(user == Manager ? 200 : 403, status);
        }
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

public abstract class PipelineTestCases<TFixture>(TFixture fixture) where TFixture : PipelineFixture
{
    public enum Who { Nobody, Manager, Agent, WrongToken, UnknownUser, UserIdOnly, TokenOnly }

    private const string Range = "start=2020-09-01T00:00:00Z&end=2020-10-01T00:00:00Z";
    private const string OneClosed = """{"total":1,"data":[{"label":"Closed","value":1},{"label":"Open","value":0},{"label":"Queued","value":0},{"label":"On_Hold","value":0}],"success":true}""";

    /// <summary>Cases whose parameters a gRPC request can also carry: who, query, HTTP status, body, gRPC code.</summary>
    public static TheoryData<Who, string, int, string, StatusCode> BothTransports => new()
    {
        // 1. authentication
        { Who.Nobody, Range, 401, Bodies.NotLoggedIn, StatusCode.Unauthenticated },
        { Who.UserIdOnly, Range, 401, Bodies.NotLoggedIn, StatusCode.Unauthenticated },
        { Who.TokenOnly, Range, 401, Bodies.NotLoggedIn, StatusCode.Unauthenticated },
        { Who.WrongToken, Range, 401, Bodies.NotLoggedIn, StatusCode.Unauthenticated },
        { Who.UnknownUser, Range, 401, Bodies.NotLoggedIn, StatusCode.Unauthenticated },
        { Who.Nobody, "", 401, Bodies.NotLoggedIn, StatusCode.Unauthenticated },
        { Who.Nobody, "start=test", 401, Bodies.NotLoggedIn, StatusCode.Unauthenticated },
        // 3. query schema, before the permission
        { Who.Manager, "", 400, Bodies.MissingStart, StatusCode.InvalidArgument },
        { Who.Manager, "end=2020-10-01", 400, Bodies.MissingStart, StatusCode.InvalidArgument },
        { Who.Manager, "start=2020-09-01", 400, Bodies.MissingEnd, StatusCode.InvalidArgument },
        { Who.Agent, "", 400, Bodies.MissingStart, StatusCode.InvalidArgument },
        { Who.Agent, "start=test", 400, Bodies.MissingEnd, StatusCode.InvalidArgument },
        // 4. permission, before the dates
        { Who.Agent, "start=test&end=test", 403, Bodies.NotPermitted, StatusCode.PermissionDenied },
        { Who.Agent, Range, 403, Bodies.NotPermitted, StatusCode.PermissionDenied },
        // 5. dates, in their order
        { Who.Manager, "start=test&end=test", 400, Bodies.InvalidStart, StatusCode.InvalidArgument },
        { Who.Manager, "start=&end=2020-10-01", 400, Bodies.InvalidStart, StatusCode.InvalidArgument },
        { Who.Manager, "start=2020-13-01&end=2020-10-01", 400, Bodies.InvalidStart, StatusCode.InvalidArgument },
        { Who.Manager, "start=2020-09-01&end=test", 400, Bodies.InvalidEnd, StatusCode.InvalidArgument },
        { Who.Manager, "start=2020-09-01&end=", 400, Bodies.InvalidEnd, StatusCode.InvalidArgument },
        { Who.Manager, "start=2019-01-01&end=2020-09-01", 400, Bodies.MoreThanAYear, StatusCode.InvalidArgument },
        { Who.Manager, "start=2020-10-01&end=2020-09-01", 400, Bodies.StartAfterEnd, StatusCode.InvalidArgument },
        { Who.Manager, "start=2022-10-01&end=2020-09-01", 400, Bodies.StartAfterEnd, StatusCode.InvalidArgument },
        // 6. result; sort is accepted and ignored
        { Who.Manager, Range, 200, OneClosed, StatusCode.OK },
        { Who.Manager, Range + "&sort=%7B%22label%22%3A1%7D", 200, OneClosed, StatusCode.OK },
        { Who.Manager, "start=2020-09-10T12:00:00Z&end=2020-09-10T12:00:00Z", 200, Bodies.Empty, StatusCode.OK },
    };

    /// <summary>Cases only a query string can express: unknown and repeated parameters, qs's bracket forms.</summary>
    public static TheoryData<Who, string, int, string> RestOnly => new()
    {
        { Who.Manager, Range + "&foo=1", 400, Bodies.AdditionalProperties },
        { Who.Manager, Range + "&Start=x", 400, Bodies.AdditionalProperties },
        { Who.Manager, Range + "&start.x=1", 400, Bodies.AdditionalProperties },
        { Who.Manager, "foo=1", 400, Bodies.MissingStart },
        { Who.Manager, "start=a&foo=1", 400, Bodies.MissingEnd },
        { Who.Manager, "start=a&start=b&end=c", 400, Bodies.MustBeString },
        { Who.Manager, "start=2020-09-01&end=2020-10-01&end=2020-10-02", 400, Bodies.MustBeString },
        { Who.Manager, "start[]=2020-09-01&end=2020-10-01", 400, Bodies.MustBeString },
        { Who.Manager, "start[a]=2020-09-01&end=2020-10-01", 400, Bodies.MustBeString },
        { Who.Manager, "start=a&start=b&end=c&foo=1", 400, Bodies.AdditionalProperties },
        { Who.Manager, Range + "&sort=a&sort=b", 400, Bodies.MustBeString },
        { Who.Agent, "start=a&start=b&end=c", 400, Bodies.MustBeString },
        { Who.Agent, Range + "&foo=1", 400, Bodies.AdditionalProperties },
        { Who.Nobody, "start=a&start=b&end=c", 401, Bodies.NotLoggedIn },
        { Who.Nobody, Range + "&foo=1", 401, Bodies.NotLoggedIn },
        { Who.Manager, "&&" + Range + "&", 200, OneClosed },
        { Who.Manager, "START=2020-09-01&end=2020-10-01", 400, Bodies.MissingStart },
        { Who.Manager, "start&end=2020-10-01", 400, Bodies.InvalidStart },
        { Who.Manager, "st%61rt=2020-09-01T00%3A00%3A00Z&end=2020-10-01T00:00:00%2B00:00", 200, OneClosed },
        { Who.Manager, "start=2020-09-01T00:00:00+00:00&end=2020-10-01", 400, Bodies.InvalidStart },
        { Who.Manager, "start=%E0%A4%A&end=%FF", 400, Bodies.InvalidStart },
    };

    [Theory]
    [MemberData(nameof(BothTransports))]
    public async Task Rest_answers_with_rocket_chat_status_and_body(Who who, string query, int status, string body, StatusCode _)
    {
        var client = await fixture.Factory.RestAsync();
        var response = await client.SendAsync(Request(who, query)).ReadAsync();
        Assert.Equal((status, "application/json", body), response);
    }

    [Theory]
    [MemberData(nameof(RestOnly))]
    public async Task Rest_checks_the_raw_query_string(Who who, string query, int status, string body)
    {
        var client = await fixture.Factory.RestAsync();
        var response = await client.SendAsync(Request(who, query)).ReadAsync();
        Assert.Equal((status, "application/json", body), response);
    }

    [Theory]
    [MemberData(nameof(BothTransports))]
    public async Task Grpc_answers_with_the_mapped_code_and_the_same_text(Who who, string query, int _, string body, StatusCode code)
    {
        var client = await fixture.Factory.GrpcAsync();
        var call = client.GetConversationsByStatusAsync(ToRequest(query), Headers(who));
        if (code == StatusCode.OK)
        {
            var response = await call;
            Assert.Equal(body, Bodies.Of(response));
            return;
        }
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);
        var expected = System.Text.Json.JsonDocument.Parse(body).RootElement;
        var message = expected.TryGetProperty("error", out var e) ? e.GetString() : expected.GetProperty("message").GetString();
        Assert.Equal((code, message), (error.StatusCode, error.Status.Detail));
        var errorType = expected.TryGetProperty("errorType", out var t) ? t.GetString() : null;
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.Equal(errorType, info?.Reason);
        if (info is not null)
            Assert.Equal(ApiError.ErrorDomain, info.Domain);
    }

    [Fact]
    public async Task Grpc_success_carries_total_data_and_success()
    {
        var client = await fixture.Factory.GrpcAsync();
        var response = await client.GetConversationsByStatusAsync(ToRequest(Range), fixture.Manager.Headers);
        Assert.Equal(1, response.Total);
        Assert.True(response.Success);
        Assert.Equal(["Closed:1", "Open:0", "Queued:0", "On_Hold:0"], response.Data.Select(d => $"{d.Label}:{d.Value}"));
    }

    [Fact]
    public async Task Rest_token_is_not_accepted_for_another_user()
    {
        var client = await fixture.Factory.RestAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"{ConversationsByStatusPath}?{Range}");
        request.Headers.Add("X-User-Id", fixture.Agent.Id);
        request.Headers.Add("X-Auth-Token", fixture.Manager.Token);
        Assert.Equal((401, "application/json", Bodies.NotLoggedIn), await client.SendAsync(request).ReadAsync());
    }

    private HttpRequestMessage Request(Who who, string query)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, query.Length == 0 ? ConversationsByStatusPath : $"{ConversationsByStatusPath}?{query}");
        foreach (var entry in Headers(who))
            request.Headers.Add(entry.Key, entry.Value);
        return request;
    }

    private Metadata Headers(Who who) => who switch
    {
        Who.Nobody => [],
        Who.Manager => fixture.Manager.Headers,
        Who.Agent => fixture.Agent.Headers,
        Who.WrongToken => new() { { "x-user-id", fixture.Manager.Id }, { "x-auth-token", fixture.Manager.Token + "x" } },
        Who.UnknownUser => new() { { "x-user-id", "nobody-has-this-id" }, { "x-auth-token", fixture.Manager.Token } },
        Who.UserIdOnly => new() { { "x-user-id", fixture.Manager.Id } },
        Who.TokenOnly => new() { { "x-auth-token", fixture.Manager.Token } },
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    /// <summary>The gRPC request carrying the same parameters: a field is set exactly when the query names it.</summary>
    private static GetConversationsByStatusRequest ToRequest(string query)
    {
        var request = new GetConversationsByStatusRequest();
        foreach (var (key, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query))
        {
            switch (key)
            {
                case "start": request.Start = value.ToString(); break;
                case "end": request.End = value.ToString(); break;
                case "sort": request.Sort = value.ToString(); break;
                default: throw new ArgumentException($"gRPC has no parameter {key}");
            }
        }
        return request;
    }
}
