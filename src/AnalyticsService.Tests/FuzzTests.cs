using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.V1;
using AnalyticsService.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// Seeded random requests over REST and gRPC (query strings, headers, methods, paths, protobuf bytes): every answer
/// is one of the API's documented shapes (docs/api.md), none is a 500 or UNKNOWN, and the service answers normally
/// afterwards. The seed is in the failure message, so a failure can be replayed.
/// </summary>
public sealed partial class FuzzTests : IAsyncLifetime
{
    private const int Seed = 20261126;
    private readonly AnalyticsFactory _factory = new();
    private HttpClient _rest = null!;
    private GrpcChannel _channel = null!;
    private TestUser _admin = null!, _agent = null!, _monitor = null!;

    public async Task InitializeAsync()
    {
        _admin = await _factory.CreateUserAsync("admin");
        _agent = await _factory.CreateUserAsync("livechat-agent");
        _monitor = await _factory.CreateUserAsync("livechat-monitor");
        await _factory.AddRoomsAsync(Rooms.Closed(Rooms.At("2020-01-10T10:00:00Z")), Rooms.Open(Rooms.At("2020-01-11T10:00:00Z")));
        _rest = await _factory.RestAsync();
        await _factory.GrpcAsync();
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _factory.DisposeAsync();
    }

    private static readonly string[] Names = ["start", "end", "sort", "Start", "END", "foo", "start[]", "start[a]", "", "st%61rt", "end ", "sort[x]"];
    private static readonly string[] Values =
    [
        "2020-01-01", "2020-02-01", "2020-01-01T10:00:00Z", "2021-06-01", "2019-12-31T23:59:59.999+01:00", "Thu, 10 Sep 2020 23:59:22 +0000",
        "", "test", "2020-13-01", "%FF%FE", "%", "%2", "+", "%00", "😀", "{\"total\":1}", "null", "-1", "99999999999999999999",
        "2020-W37-4", "2020-254", "/Date(1599782362345)/", "24:00", "2020-02-30", new string('9', 300),
    ];
    private static readonly string[] Paths =
    [
        ConversationsByStatusPath, ConversationsByStatusPath.ToUpperInvariant(), ConversationsByStatusPath + "/", "/api/v1/livechat/analytics/dashboards",
        "/ping", "/", "/api/v1/me", "/analytics.v1.Dashboards/GetConversationsByStatus", "/%2e%2e/etc/passwd", ConversationsByStatusPath + "%20",
    ];
    private static readonly HttpMethod[] Methods = [HttpMethod.Get, HttpMethod.Get, HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Head, HttpMethod.Options, HttpMethod.Patch];

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Mutate(Random random, string value) => random.Next(6) switch
    {
        0 when value.Length > 0 => value.Remove(random.Next(value.Length), 1),
        1 => value.Insert(random.Next(value.Length + 1), ((char)random.Next(0x20, 0x7F)).ToString()),
        _ => value,
    };

    private string Query(Random random)
    {
        var pairs = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(8) switch
        {
            0 => Pick(random, Names),
            _ => $"{Pick(random, Names)}={Uri.EscapeDataString(Mutate(random, Pick(random, Values))).Replace("%25", random.Next(2) == 0 ? "%" : "%25")}",
        });
        return random.Next(5) == 0 ? $"start={Pick(random, Values)}&end={Pick(random, Values)}" : string.Join(random.Next(6) == 0 ? "&&" : "&", pairs);
    }

    private (string? UserId, string? Token) Credentials(Random random) => random.Next(9) switch
    {
        0 => (null, null),
        1 => (_admin.Id, null),
        2 => (_admin.Id, _admin.Token + "x"),
        3 => ("no-such-user", _admin.Token),
        4 => (_agent.Id, _agent.Token),
        5 => (_monitor.Id, _monitor.Token),
        6 => (new string('u', 600), new string('t', 600)),
        7 => (_admin.Id, "é\u00ff" + _admin.Token),
        _ => (_admin.Id, _admin.Token),
    };

    [GeneratedRegex("""^\{"success":false,"error":"Error, too many requests\. Please slow down\. You must wait \d+ seconds before trying this endpoint again\. \[error-too-many-requests\]"\}$""")]
    private static partial Regex TooManyRequests();

    private static readonly HashSet<string> BadRequests =
    [
        Bodies.MissingStart, Bodies.MissingEnd, Bodies.AdditionalProperties, Bodies.MustBeString,
        Bodies.InvalidStart, Bodies.InvalidEnd, Bodies.MoreThanAYear, Bodies.StartAfterEnd,
    ];

    /// <summary>Null when the answer is one the API documents; otherwise what is wrong with it.</summary>
    private static string? RestProblem(string path, int status, string? contentType, string body) => status switch
    {
        200 when path == "/ping" => body == "{\"success\":true}" ? null : "a /ping that is not {\"success\":true}",
        200 => contentType == "application/json" && IsCounts(body) ? null : "a 200 that is not the counts body",
        400 when BadRequests.Contains(body) => null,
        401 when body == Bodies.NotLoggedIn => null,
        403 when body == Bodies.NotPermitted => null,
        429 when TooManyRequests().IsMatch(body) => null,
        404 or 405 when body.Length == 0 => null, // a path or method the API does not serve
        415 when body.Length == 0 => null,        // not a gRPC request, to a gRPC method's path (the REST listener says 404)
        _ => "not a documented answer",
    };

    private static bool IsCounts(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return root.EnumerateObject().Select(p => p.Name).SequenceEqual(["total", "data", "success"])
            && root.GetProperty("total").ValueKind == JsonValueKind.Number && root.GetProperty("success").ValueKind == JsonValueKind.True
            && root.GetProperty("data").EnumerateArray().All(d => d.EnumerateObject().Select(p => p.Name).SequenceEqual(["label", "value"]));
    }

    [Fact]
    public async Task Random_rest_requests_get_documented_answers_and_the_service_keeps_answering()
    {
        var random = new Random(Seed);
        var seen = new Dictionary<int, int>();
        for (var i = 0; i < 2500; i++)
        {
            var path = Pick(random, Paths);
            var query = Query(random);
            var request = new HttpRequestMessage(Methods[random.Next(Methods.Length)], query.Length > 0 || random.Next(2) == 0 ? $"{path}?{query}" : path);
            var (userId, token) = Credentials(random);
            if (userId is not null)
                request.Headers.TryAddWithoutValidation("X-User-Id", random.Next(10) == 0 ? [userId, userId] : [userId]);
            if (token is not null)
                request.Headers.TryAddWithoutValidation("X-Auth-Token", token);
            if (random.Next(4) == 0)
                request.Headers.TryAddWithoutValidation(Pick(random, ["Accept", "Content-Type", "X-Forwarded-For", "Cookie"]), Mutate(random, Pick(random, Values)));
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && random.Next(2) == 0)
                request.Content = new ByteArrayContent(RandomBytes(random));

            var (status, contentType, body) = await _rest.SendAsync(request).ReadAsync();

            var problem = RestProblem(path, status, contentType, body);
            Assert.True(problem is null, $"seed {Seed}, case {i}: {request.Method} {request.RequestUri}: {status} {contentType} {body}: {problem}");
            seen[status] = seen.GetValueOrDefault(status) + 1;
        }
        // The cases reach every step of the pipeline, not only its first refusals.
        Assert.Superset(new HashSet<int> { 200, 400, 401, 403, 404, 405 }, seen.Keys.ToHashSet());
        await AssertStillAnswersAsync();
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static readonly string[] GrpcMethods = ["GetConversationsByStatus", "GetConversationsByStatus", "getConversationsByStatus", "GetConversationsBySource", "", "Get"];
    private static readonly string[] GrpcServices = ["analytics.v1.Dashboards", "analytics.v1.Dashboards", "analytics.v1.dashboards", "grpc.health.v1.Health", "x"];

    [Fact]
    public async Task Random_grpc_calls_get_documented_statuses_and_the_service_keeps_answering()
    {
        var random = new Random(Seed + 1);
        var seen = new HashSet<StatusCode>();
        for (var i = 0; i < 1500; i++)
        {
            var (service, method) = (Pick(random, GrpcServices), Pick(random, GrpcMethods));
            var body = random.Next(3) switch
            {
                0 => RandomBytes(random),
                _ => Message(random).ToByteArray(),
            };
            var headers = new Metadata();
            var (userId, token) = Credentials(random);
            if (userId is not null && Encoding.ASCII.GetByteCount(userId) == userId.Length)
                headers.Add("x-user-id", userId);
            if (token is not null && token.All(char.IsAscii))
                headers.Add("x-auth-token", token);

            StatusCode status;
            string detail;
            try
            {
                await RawGrpc.UnaryAsync(_channel, service, method, body, headers);
                (status, detail) = (StatusCode.OK, "");
            }
            catch (RpcException ex)
            {
                (status, detail) = (ex.StatusCode, ex.Status.Detail);
            }

            var documented = status is StatusCode.OK or StatusCode.Unauthenticated or StatusCode.ResourceExhausted or StatusCode.InvalidArgument
                or StatusCode.PermissionDenied or StatusCode.Unimplemented
                || (status == StatusCode.Internal && detail == "The request message cannot be read.");
            Assert.True(documented, $"seed {Seed + 1}, case {i}: /{service}/{method} {Convert.ToHexString(body)}: {status} {detail}");
            seen.Add(status);
        }
        Assert.Superset(new HashSet<StatusCode> { StatusCode.OK, StatusCode.Unauthenticated, StatusCode.InvalidArgument, StatusCode.PermissionDenied,
            StatusCode.Unimplemented, StatusCode.Internal }, seen);
        await AssertStillAnswersAsync();
    }

    private GetConversationsByStatusRequest Message(Random random)
    {
        var message = new GetConversationsByStatusRequest();
        if (random.Next(4) == 0)
            return new GetConversationsByStatusRequest { Start = "2020-01-01", End = "2020-02-01" };
        if (random.Next(5) > 0)
            message.Start = Mutate(random, Pick(random, Values));
        if (random.Next(5) > 0)
            message.End = Mutate(random, Pick(random, Values));
        if (random.Next(4) == 0)
            message.Sort = Pick(random, Values);
        return message;
    }

    private async Task AssertStillAnswersAsync()
    {
        var (status, _, body) = await _rest.SendAsync(_admin.Get($"{ConversationsByStatusPath}?start=2020-01-01&end=2020-02-01")).ReadAsync();
        Assert.Equal((200, Bodies.Counts(2, ("Open", 1), ("Closed", 1), ("Queued", 0), ("On_Hold", 0))), (status, body));
    }
}
