using Analytics.V1;
using AnalyticsService.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// What an adversarial run found, each reproduced: gRPC method names in another letter case, protobuf bodies that
/// cannot be read, repeated credential headers, and the error body of a REST client that went away.
/// </summary>
public sealed class HardeningTests : IAsyncLifetime
{
    private readonly AnalyticsFactory _factory = new AnalyticsFactory().With("RateLimit:Calls", "3");
    private TestUser _admin = null!;
    private TestUser _agent = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _admin = await _factory.CreateUserAsync("admin");
        _agent = await _factory.CreateUserAsync("livechat-agent");
        await _factory.GrpcAsync();
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _factory.DisposeAsync();
    }

    /// <summary>A unary call of any path with any bytes, as a client that does not use the proto would send it.</summary>
    private Task<byte[]> CallAsync(string service, string method, byte[] body, Metadata? headers = null) =>
        RawGrpc.UnaryAsync(_channel, service, method, body, headers);

    private static byte[] Request(string start = "2020-01-01", string end = "2020-02-01") =>
        new GetConversationsByStatusRequest { Start = start, End = end }.ToByteArray();

    private IEnumerable<string> ErrorLogs => _factory.Logs.Where(line => !line.StartsWith("Information:", StringComparison.Ordinal));

    [Theory]
    [InlineData("analytics.v1.Dashboards", "getConversationsByStatus")]
    [InlineData("analytics.v1.Dashboards", "GETCONVERSATIONSBYSTATUS")]
    [InlineData("Analytics.V1.Dashboards", "GetConversationsByStatus")]
    [InlineData("analytics.v1.dashboards", "GetConversationsByStatus")]
    [InlineData("analytics.v1.Dashboards", "NoSuchMethod")]
    [InlineData("grpc.health.v1.health", "Check")]
    public async Task A_method_spelt_in_another_case_is_unimplemented_before_any_work(string service, string method)
    {
        // The agent lacks the permission: a method that ran would answer PermissionDenied, and use up its calls.
        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(service, method, Request(), _agent.Headers));
            Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        }
        // Its rate-limit budget is untouched: the real method still answers PermissionDenied, not ResourceExhausted.
        var real = await Assert.ThrowsAsync<RpcException>(() => CallAsync("analytics.v1.Dashboards", "GetConversationsByStatus", Request(), _agent.Headers));
        Assert.Equal(StatusCode.PermissionDenied, real.StatusCode);
        Assert.Empty(ErrorLogs);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF })]                   // a truncated varint tag
    [InlineData(new byte[] { 0x0A, 0x05, 0x41 })]                   // a string field longer than the message
    [InlineData(new byte[] { 0x0A, 0x02, 0xC3, 0x28 })]             // a string field that is not UTF-8
    [InlineData(new byte[] { 0x0F })]                               // an invalid wire type
    public async Task A_body_that_is_not_the_request_message_is_internal_without_a_stack_trace(byte[] body)
    {
        foreach (var headers in new[] { null, _admin.Headers })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync("analytics.v1.Dashboards", "GetConversationsByStatus", body, headers));
            Assert.Equal((StatusCode.Internal, "The request message cannot be read."), (error.StatusCode, error.Status.Detail));
        }
        Assert.Empty(ErrorLogs);
        Assert.DoesNotContain(_factory.Logs, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("X-Auth-Token")]
    [InlineData("X-User-Id")]
    public async Task A_credential_header_sent_twice_is_not_a_login_over_rest_or_grpc(string header)
    {
        var client = await _factory.RestAsync();
        var value = header == "X-User-Id" ? _admin.Id : _admin.Token;
        var request = _admin.Get($"{ConversationsByStatusPath}?start=2020-01-01&end=2020-02-01");
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, [value, value]);
        var metadata = new Metadata();
        foreach (var entry in _admin.Headers)
            metadata.Add(entry);
        metadata.Add(header.ToLowerInvariant(), value);

        var (status, _, body) = await client.SendAsync(request).ReadAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync("analytics.v1.Dashboards", "GetConversationsByStatus", Request(), metadata));

        Assert.Equal((401, Bodies.NotLoggedIn), (status, body));
        Assert.Equal((StatusCode.Unauthenticated, "You must be logged in to do this."), (error.StatusCode, error.Status.Detail));
        // Sent once, the same credentials log in.
        Assert.Equal(200, (await client.SendAsync(_admin.Get($"{ConversationsByStatusPath}?start=2020-01-01&end=2020-02-01")).ReadAsync()).Status);
    }
}
