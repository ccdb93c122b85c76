using System.Collections.Concurrent;
using System.Data.Common;
using Analytics.V1;
using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AnalyticsService.Services;
using Grpc.AspNetCore.Server;
using Dapper;

namespace AnalyticsService.Tests;

/// <summary>
/// A call whose client goes away, or whose deadline passes, stops its store query where it is (the query does not run
/// on to its end for nobody: the first test), and ends Cancelled or DeadlineExceeded with nothing logged but its access
/// line (the others: the call reaches the store only once its token is cancelled).
/// </summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task A_cancelled_token_stops_a_SQLite_statement_mid_way()
    {
        using var directory = new TempDirectory("analytics-cancel-");
        var store = new Store(SqliteFactory.Instance, new SqliteDialect(), new StoreConnectionStrings($"Data Source={Path.Combine(directory.Path, "a.db")}"), 30);
        using var cancelling = new CancellationTokenSource();
        // The statement itself cancels the token at its first row, then would count to 200 million (seconds of work).
        var query = store.QueryAsync(forReports: true, connection =>
        {
            ((SqliteConnection)connection).CreateFunction("cancel_now", () => { cancelling.Cancel(); return 1L; });
            return connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "WITH RECURSIVE c(x) AS (SELECT cancel_now() UNION ALL SELECT x + 1 FROM c WHERE x < 200000000) SELECT COUNT(*) FROM c",
                cancellationToken: cancelling.Token));
        }, cancelling.Token);

        var stopped = await Assert.ThrowsAsync<SqliteException>(() => query.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(9, stopped.SqliteErrorCode); // SQLITE_INTERRUPT
    }

    // Partial hours at both edges: an edge hour not yet held in memory is read from the store (a range of whole hours
    // would be answered from memory alone, without reaching the store).
    private const string BySourcePath = "/api/v1/livechat/analytics/dashboards/conversations-by-source?start=2020-01-01T00:30:00Z&end=2020-12-31T00:30:00Z";

    [Fact]
    public async Task A_REST_client_that_goes_away_ends_the_call_Cancelled_without_an_error()
    {
        await using var setup = await GatedSetup.CreateAsync();
        var client = setup.Service.CreateClient();
        client.Timeout = AnalyticsFactory.CallTimeout;
        using var leaving = new CancellationTokenSource();

        var call = client.SendAsync(setup.Admin.Get(BySourcePath), leaving.Token);
        await setup.Gate.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.StartsWith("Information: GetConversationsBySource REST Cancelled ", await setup.AccessLine());
        Assert.DoesNotContain(setup.Logs, line => !line.StartsWith("Information:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gRPC_deadline_that_passes_ends_the_call_DeadlineExceeded_without_an_error()
    {
        await using var setup = await GatedSetup.CreateAsync();

        var call = setup.Grpc().GetConversationsBySourceAsync(new() { Start = "2020-01-01T00:30:00Z", End = "2020-12-31T00:30:00Z" }, setup.Admin.Headers,
            DateTime.UtcNow.AddSeconds(2)); // time to reach the gate on a loaded machine; the gate then holds it past the deadline
        // The client's own timer says DeadlineExceeded; but grpc-dotnet's server timer fires a few ms earlier and, on the
        // in-memory test server, ends the response stream, which a client that reads it first reports as Internal or
        // Cancelled (each seen about once in twenty loaded runs). What the service itself decides is in its access line.
        Assert.NotEqual(StatusCode.OK, (await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync)).StatusCode);

        Assert.StartsWith("Information: GetConversationsBySource gRPC DeadlineExceeded ", await setup.AccessLine());
        Assert.DoesNotContain(setup.Logs, line => !line.StartsWith("Information:", StringComparison.Ordinal));
    }

    /// <summary>The service with the gate before its dashboards, an admin to call it, and its access lines.</summary>
    private sealed class GatedSetup : IAsyncDisposable
    {
        private readonly AnalyticsFactory _parent;
        private readonly BlockingCollection<string> _accessLines = new();
        private GrpcChannel? _channel;

        private GatedSetup(AnalyticsFactory parent, TestUser admin)
        {
            _parent = parent;
            Admin = admin;
            Service = parent.WithWebHostBuilder(builder =>
            {
                builder.ConfigureLogging(logging => logging.AddProvider(new AccessLineProvider(_accessLines)));
                builder.ConfigureTestServices(services =>
                {
                    services.AddSingleton(Gate);
                    services.AddSingleton<CallGateInterceptor>();
                    services.Configure<GrpcServiceOptions<DashboardsService>>(options => options.Interceptors.Add<CallGateInterceptor>());
                });
            });
        }

        public CallGate Gate { get; } = new(goOnAfterCancel: true);

        public TestUser Admin { get; }

        public Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Service { get; }

        /// <summary>(A factory made WithWebHostBuilder logs through its parent's configuration too.)</summary>
        public ConcurrentQueue<string> Logs => _parent.Logs;

        public static async Task<GatedSetup> CreateAsync()
        {
            var parent = new AnalyticsFactory();
            var admin = await parent.CreateUserAsync("admin");
            return new GatedSetup(parent, admin);
        }

        public Dashboards.DashboardsClient Grpc()
        {
            _channel ??= GrpcChannel.ForAddress(Service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Service.Server.CreateHandler() });
            return new Dashboards.DashboardsClient(_channel);
        }

        /// <summary>The access line of the call: written when the service has ended it.</summary>
        public Task<string> AccessLine() => Task.Run(() =>
            _accessLines.TryTake(out var line, TimeSpan.FromSeconds(30)) ? line : throw new TimeoutException("No access line in 30 s."));

        public async ValueTask DisposeAsync()
        {
            _channel?.Dispose();
            await Service.DisposeAsync();
            await _parent.DisposeAsync();
        }
    }

    private sealed class AccessLineProvider(BlockingCollection<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName == typeof(Interceptors.AccessLogInterceptor).FullName ? new Logger(lines) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose() { }

        private sealed class Logger(BlockingCollection<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
