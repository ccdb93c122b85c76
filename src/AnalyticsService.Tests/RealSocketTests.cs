using System.Net.Sockets;
using System.Text;
using Analytics.V1;
using AnalyticsService.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// The service as shipped, started with --demo on real sockets: REST over HTTP/1.1, gRPC over h2c, reflection for
/// grpcurl, health, and what reaches its log.
/// </summary>
public sealed class RealSocketTests(RealSocketTests.Fixture fixture) : IClassFixture<RealSocketTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public ServiceProcess Service { get; private set; } = null!;

        // Debug logging, so that the no-secrets check reads everything the service can log.
        public async Task InitializeAsync() =>
            Service = await ServiceProcess.StartAsync("--demo", environment: [("Logging__LogLevel__Default", "Debug"), ("Logging__LogLevel__Microsoft.AspNetCore", "Debug"),
                ("Logging__LogLevel__Grpc.AspNetCore.Server", "Debug")]);

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            Service.DeleteDirectory();
        }
    }

    private ServiceProcess Service => fixture.Service;

    private string DemoRange()
    {
        var now = DateTimeOffset.UtcNow;
        return $"start={now.AddDays(-30):yyyy-MM-dd}T00:00:00Z&end={now.AddDays(1):yyyy-MM-dd}T00:00:00Z";
    }

    [Fact]
    public async Task Demo_prints_a_token_that_works_over_rest()
    {
        using var client = Service.Rest();
        var request = new HttpRequestMessage(HttpMethod.Get, $"{ConversationsByStatusPath}?{DemoRange()}");
        request.Headers.Add("X-User-Id", Service.DemoUserId);
        request.Headers.Add("X-Auth-Token", Service.DemoToken);

        using var response = await client.SendAsync(request);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal((200, "application/json", new Version(1, 1)), ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), response.Version));
        Assert.Equal(3000, body.GetProperty("total").GetInt32());
        var data = body.GetProperty("data").EnumerateArray().Select(d => (Label: d.GetProperty("label").GetString(), Value: d.GetProperty("value").GetInt32())).ToList();
        Assert.Equal(["Closed", "On_Hold", "Open", "Queued"], data.Select(d => d.Label).Order());
        Assert.Equal("Closed", data[0].Label); // the generator closes most old conversations
        Assert.Equal(data.Select(d => d.Value).OrderDescending(), data.Select(d => d.Value));
        Assert.InRange(data.Sum(d => d.Value), 2900, 3000);
        Assert.True(body.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Grpc_over_h2c_gives_the_same_answer_as_rest()
    {
        var channel = Service.Grpc();
        var client = new Dashboards.DashboardsClient(channel);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(DemoRange());
        var headers = new Metadata { { "x-user-id", Service.DemoUserId! }, { "x-auth-token", Service.DemoToken! } };

        var grpc = await client.GetConversationsByStatusAsync(new() { Start = query["start"].ToString(), End = query["end"].ToString() }, headers);

        using var http = Service.Rest();
        var request = new HttpRequestMessage(HttpMethod.Get, $"{ConversationsByStatusPath}?{DemoRange()}");
        request.Headers.Add("X-User-Id", Service.DemoUserId);
        request.Headers.Add("X-Auth-Token", Service.DemoToken);
        var rest = await (await http.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Equal(rest, Bodies.Of(grpc));
        Assert.Equal(3000, grpc.Total);
    }

    [Fact]
    public async Task Grpc_without_credentials_is_unauthenticated()
    {
        var channel = Service.Grpc();
        var client = new Dashboards.DashboardsClient(channel);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.GetConversationsByStatusAsync(new() { Start = "2020-01-01", End = "2020-02-01" }));
        Assert.Equal((StatusCode.Unauthenticated, "You must be logged in to do this."), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task Reflection_lists_the_services_for_grpcurl_without_credentials()
    {
        var channel = Service.Grpc();
        var reflection = new ServerReflection.ServerReflectionClient(channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "analytics.v1.Dashboards" });
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order().ToArray();
        Assert.Equal(["analytics.v1.Dashboards", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"], services);
        Assert.True(await call.ResponseStream.MoveNext());
        var file = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("analytics/v1/dashboards.proto", file.Name);
        Assert.Equal(["GetConversationsByStatus", "GetConversationsBySource", "GetConversationsByDepartment", "GetConversationsByTags", "GetConversationsByAgent"],
            file.Service.Single().Method.Select(m => m.Name));
    }

    [Fact]
    public async Task Health_reports_serving()
    {
        var channel = Service.Grpc();
        var client = new Health.HealthClient(channel);
        // The status is published by a background check that runs at start-up: Watch tells each change, no polling.
        using var watch = client.Watch(new HealthCheckRequest());
        var statuses = new List<HealthCheckResponse.Types.ServingStatus>();
        while (statuses.LastOrDefault() != HealthCheckResponse.Types.ServingStatus.Serving && await watch.ResponseStream.MoveNext(CancellationToken.None))
            statuses.Add(watch.ResponseStream.Current.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, statuses.Last());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await client.CheckAsync(new HealthCheckRequest())).Status);

        using var http = Service.Rest();
        var ping = await http.GetAsync("/ping");
        Assert.Equal((200, "{\"success\":true}"), ((int)ping.StatusCode, await ping.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Each_listener_serves_only_what_it_is_for()
    {
        // h2c on the gRPC port: REST routes (any case) and /ping are not found there; gRPC is.
        using var h2c = new HttpClient { Timeout = AnalyticsFactory.CallTimeout };
        foreach (var path in new[] { $"{ConversationsByStatusPath}?{DemoRange()}", $"{ConversationsByStatusPath.ToUpperInvariant()}?{DemoRange()}", "/ping" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Service.GrpcPort}{path}")
            {
                Version = System.Net.HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.Add("X-User-Id", Service.DemoUserId);
            request.Headers.Add("X-Auth-Token", Service.DemoToken);
            using var response = await h2c.SendAsync(request);
            Assert.Equal((404, ""), ((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        // HTTP/1.1 on the REST port: a gRPC method's path is not found there.
        var grpcOverHttp1 = $"POST /analytics.v1.Dashboards/GetConversationsByStatus HTTP/1.1\r\nHost: l\r\nContent-Type: application/grpc\r\n" +
            $"Content-Length: 0\r\nConnection: close\r\nX-User-Id: {Service.DemoUserId}\r\nX-Auth-Token: {Service.DemoToken}\r\n\r\n";
        Assert.StartsWith("HTTP/1.1 404 ", await SendRawAsync(grpcOverHttp1));

        // And each still serves its own.
        var channel = Service.Grpc();
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.NotEqual(HealthCheckResponse.Types.ServingStatus.Unknown, health.Status);
        Assert.StartsWith("HTTP/1.1 200 ", await SendRawAsync("GET /ping HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n"));
    }

    [Fact]
    public async Task A_request_kestrel_cannot_parse_gets_a_400_and_the_server_keeps_serving()
    {
        // A bare CR inside a header value: the classic header-injection attempt.
        var raw = $"GET {ConversationsByStatusPath}?start=a&end=b HTTP/1.1\r\nHost: localhost\r\nX-User-Id: a\rX-Injected: b\r\nX-Auth-Token: t\r\n\r\n";
        Assert.StartsWith("HTTP/1.1 400 ", await SendRawAsync(raw));

        var fine = $"GET {ConversationsByStatusPath}?start=a&end=b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        var answer = await SendRawAsync(fine);
        Assert.StartsWith("HTTP/1.1 401 ", answer);
        Assert.EndsWith(Bodies.NotLoggedIn, answer);
    }

    [Fact]
    public async Task Odd_bytes_and_huge_values_get_answers_in_the_api_shape()
    {
        // Invalid UTF-8 in the query, a 6 KB start, a 4 KB token, a non-ASCII user id (raw bytes).
        var huge = new string('9', 6000);
        var cases = new (string Request, string Status, string Body)[]
        {
            ($"GET {ConversationsByStatusPath}?start=%FF%FE%00&end=x HTTP/1.1\r\nHost: l\r\nConnection: close\r\nX-User-Id: {Service.DemoUserId}\r\nX-Auth-Token: {Service.DemoToken}\r\n\r\n", "400", Bodies.InvalidStart),
            ($"GET {ConversationsByStatusPath}?start={huge}&end=x HTTP/1.1\r\nHost: l\r\nConnection: close\r\nX-User-Id: {Service.DemoUserId}\r\nX-Auth-Token: {Service.DemoToken}\r\n\r\n", "400", Bodies.InvalidStart),
            ($"GET {ConversationsByStatusPath}?start=1&end=2 HTTP/1.1\r\nHost: l\r\nConnection: close\r\nX-User-Id: {Service.DemoUserId}\r\nX-Auth-Token: {new string('x', 4000)}\r\n\r\n", "401", Bodies.NotLoggedIn),
            ($"GET {ConversationsByStatusPath}?start=1&end=2 HTTP/1.1\r\nHost: l\r\nConnection: close\r\nX-User-Id: usér\u00ff\r\nX-Auth-Token: t\r\n\r\n", "401", Bodies.NotLoggedIn),
        };
        foreach (var (request, status, body) in cases)
        {
            var answer = await SendRawAsync(request);
            Assert.True(answer.StartsWith($"HTTP/1.1 {status} "), answer);
            Assert.EndsWith(body, answer);
        }
    }

    /// <summary>
    /// A gRPC client that goes away while its request is still arriving (a load tool stopping with calls in flight) is
    /// nobody to answer: the call ends at a debug line, before the handler (GrpcRequestArrivalTests), and nothing is an error.
    /// </summary>
    [Fact]
    public async Task A_grpc_client_gone_before_its_request_arrived_is_no_error_in_the_log()
    {
        const string path = "/analytics.v1.Dashboards/GetConversationsByStatus";
        static int Lines(string output, string what) => output.Split('\n').Count(l => l.Contains($"Request {what} HTTP/2 POST", StringComparison.Ordinal)
            && l.Contains(path, StringComparison.Ordinal));
        var (started, finished) = (Lines(Service.Output, "starting"), Lines(Service.Output, "finished"));
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync("127.0.0.1", Service.GrpcPort).WaitAsync(CallTimeout);
            // HTTP/2 by prior knowledge: the preface, empty settings, the call's headers (HPACK literals, no Huffman),
            // and three of the five bytes of its message's header; then the connection closes.
            byte[] Literal(string name, string value) => [0x00, (byte)name.Length, .. Encoding.ASCII.GetBytes(name), (byte)value.Length, .. Encoding.ASCII.GetBytes(value)];
            byte[] Frame(byte type, byte flags, int stream, byte[] payload) =>
                [(byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, flags, 0, 0, 0, (byte)stream, .. payload];
            byte[] headers = [0x83, 0x86, 0x04, (byte)path.Length, .. Encoding.ASCII.GetBytes(path), .. Literal("content-type", "application/grpc"),
                .. Literal("te", "trailers")];
            byte[] sent = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. Frame(4, 0, 0, []), .. Frame(1, 0x4, 1, headers), .. Frame(0, 0, 1, [0, 0, 0])];
            await socket.SendAsync(sent, SocketFlags.None).WaitAsync(CallTimeout);
            await Service.WaitForOutputAsync(output => Lines(output, "starting") > started);
        }
        await Service.WaitForOutputAsync(output => Lines(output, "finished") > finished);

        Assert.Contains($"{path}: the request did not arrive whole", Service.Output);
        Assert.DoesNotContain("fail:", Service.Output);
        Assert.DoesNotContain("Error when executing service method", Service.Output);
    }

    [Fact]
    public async Task No_token_reaches_the_log()
    {
        using var client = Service.Rest();
        const string wrongToken = "wrong-token-e2e-7f3a9c";
        static int FinishedCalls(string output) => output.Split('\n')
            .Count(l => l.Contains("Request finished", StringComparison.Ordinal) && l.Contains("conversations-by-status", StringComparison.Ordinal));
        var finishedBefore = FinishedCalls(Service.Output);
        foreach (var token in new[] { Service.DemoToken!, wrongToken })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{ConversationsByStatusPath}?{DemoRange()}");
            request.Headers.Add("X-User-Id", Service.DemoUserId);
            request.Headers.Add("X-Auth-Token", token);
            (await client.SendAsync(request)).Dispose();
        }
        // Hosting logs each request as it finishes (the fixture logs every category at Debug): wait for both.
        await Service.WaitForOutputAsync(output => FinishedCalls(output) >= finishedBefore + 2);

        // The demo prints its own token once, on purpose; nothing else may.
        var lines = Service.Output.Split('\n');
        var demoStart = Array.FindIndex(lines, line => line.StartsWith("Analytics demo:", StringComparison.Ordinal));
        var demoEnd = Array.FindIndex(lines, line => line.StartsWith("Stop with Ctrl+C.", StringComparison.Ordinal));
        Assert.True(demoStart >= 0 && demoEnd > demoStart, "the demo instructions were printed");
        var log = lines.Where((_, i) => i < demoStart || i > demoEnd).ToList();
        Assert.DoesNotContain(log, line => line.Contains(Service.DemoToken!, StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains(wrongToken, StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains("Data Source=", StringComparison.Ordinal));
    }

    private async Task<string> SendRawAsync(string request)
    {
        using var timeout = new CancellationTokenSource(AnalyticsFactory.CallTimeout);
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", Service.RestPort, timeout.Token);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
