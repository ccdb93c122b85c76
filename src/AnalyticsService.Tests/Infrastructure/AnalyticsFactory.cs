using System.Net.Http.Headers;
using Analytics.V1;
using AnalyticsService.Demo;
using AnalyticsService.Interceptors;
using AnalyticsService.Storage;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>
/// The real service on ASP.NET Core's test server, over its own SQLite file, with Rocket.Chat's default
/// roles and permissions. Tests talk to it with an HttpClient (REST) and a GrpcChannel (gRPC).
/// </summary>
public class AnalyticsFactory : WebApplicationFactory<Program>
{
    public const string ConversationsByStatusPath = "/api/v1/livechat/analytics/dashboards/conversations-by-status";

    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-tests-").FullName;
    private readonly Dictionary<string, string?> _settings = new();
    private GrpcChannel? _channel;
    private bool _seeded;
    private bool _seedDefaults = true;

    public string DatabasePath => Path.Combine(_directory, "analytics.db");

    /// <summary>Settings applied on top of appsettings.json; set before the first client is made.</summary>
    public AnalyticsFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Every line the service logged, as "Level: message".</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        // Tests other than the rate limiter's make many calls from one address; its own tests set their limits.
        builder.UseSetting("RateLimit:Calls", "1000000");
        // Tests change users and roles and expect the next call to see it; the cache has tests of its own.
        builder.UseSetting("Analytics:AuthCacheSeconds", "0");
        // Each test starts on a store of its own, made at start.
        builder.UseSetting("Database:CreateIfMissing", "true");
        if (!_settings.ContainsKey("ConnectionStrings:Analytics"))
            builder.UseSetting("ConnectionStrings:Analytics", $"Data Source={DatabasePath}");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        if (Clock is { } clock)
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
    }

    // No test call may hang: a call the service does not answer fails in seconds, not at CI's limit.
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    // Built and started one at a time (HostStarts): the factory finds its host through process-wide events.
    protected override IHost CreateHost(IHostBuilder builder) => HostStarts.One(() => base.CreateHost(builder));

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.Timeout = CallTimeout;
    }

    /// <summary>The service's clock, for tests that move time instead of waiting for it; set before the first client is made.</summary>
    public FakeTimeProvider? Clock { get; private set; }

    public AnalyticsFactory WithClock(FakeTimeProvider clock)
    {
        Clock = clock;
        return this;
    }

    /// <summary>Starts with the store as it is (an import's), without Rocket.Chat's default roles and permissions.</summary>
    public AnalyticsFactory WithoutDefaults()
    {
        _seedDefaults = false;
        return this;
    }

    public StoreWriter Writer => Services.GetRequiredService<StoreWriter>();

    public async Task<HttpClient> RestAsync()
    {
        await EnsureSeededAsync();
        return CreateClient();
    }

    public async Task<Dashboards.DashboardsClient> GrpcAsync()
    {
        await EnsureSeededAsync();
        _channel ??= GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });
        return new Dashboards.DashboardsClient(_channel.Intercept(new CallDeadline()));
    }

    /// <summary>A user with these roles and one fresh login token.</summary>
    public async Task<TestUser> CreateUserAsync(params string[] roles)
    {
        await EnsureSeededAsync();
        var id = "u" + Guid.NewGuid().ToString("N")[..16];
        var token = DataGenerator.NewLoginToken();
        await Writer.UpsertUsersAsync([new UserRecord(id, id, roles, [new LoginTokenRecord(LoginTokens.Hash(token))])]);
        return new TestUser(id, token);
    }

    public Task AddRoomsAsync(params RoomRecord[] rooms) => Writer.UpsertRoomsAsync(rooms);

    private async Task EnsureSeededAsync()
    {
        if (_seeded)
            return;
        _ = Server; // starts the host, which migrates the schema
        if (_seedDefaults)
        {
            await Writer.UpsertRolesAsync(DataGenerator.DefaultRoles);
            await Writer.UpsertPermissionsAsync(DataGenerator.DefaultPermissions);
        }
        _seeded = true;
    }

    public override async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        await base.DisposeAsync();
        SqlitePools.ReleaseConnectionString(_settings.GetValueOrDefault("ConnectionStrings:Analytics") ?? $"Data Source={DatabasePath}");
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

public sealed record TestUser(string Id, string Token)
{
    public Metadata Headers => new() { { "x-user-id", Id }, { "x-auth-token", Token } };

    public HttpRequestMessage Get(string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Add("X-User-Id", Id);
        request.Headers.Add("X-Auth-Token", Token);
        return request;
    }
}

public static class HttpExtensions
{
    /// <summary>Status, content type and body of a response, for exact comparisons.</summary>
    public static async Task<(int Status, string? ContentType, string Body)> ReadAsync(this Task<HttpResponseMessage> pending)
    {
        using var response = await pending;
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Keeps what the service logs, for tests that assert on it.</summary>
public sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(lines);

    public void Dispose() { }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
    }
}

/// <summary>Gives every gRPC call of the tests a deadline, unless it has one: a call the service does not answer fails in seconds.</summary>
public sealed class CallDeadline : Interceptor
{
    private static ClientInterceptorContext<TRequest, TResponse> WithDeadline<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class where TResponse : class =>
        context.Options.Deadline is null
            ? new(context.Method, context.Host, context.Options.WithDeadline(DateTime.UtcNow + AnalyticsFactory.CallTimeout))
            : context;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation) => continuation(request, WithDeadline(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDeadline(context));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithDeadline(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithDeadline(context));
}
