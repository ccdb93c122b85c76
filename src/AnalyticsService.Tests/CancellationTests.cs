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
using SQLitePCL;

namespace AnalyticsService.Tests;

/// <summary>
/// A call whose client goes away, or whose deadline passes, stops its store query where it is: the query does not run
/// on to its end for nobody. The store here is made slow (SQLite calls back every few steps of a statement and the
/// callback waits a moment, like a slow disk), so a query that is not stopped runs for seconds and ends OK.
/// </summary>
public sealed class CancellationTests
{
    private const string BySourcePath = "/api/v1/livechat/analytics/dashboards/conversations-by-source?start=2020-01-01&end=2020-12-31";

    [Fact]
    public async Task A_REST_client_that_goes_away_stops_the_store_query()
    {
        await using var setup = await SlowStoreSetup.CreateAsync();
        var client = setup.Service.CreateClient();
        client.Timeout = AnalyticsFactory.CallTimeout;
        using var leaving = new CancellationTokenSource();

        var call = client.SendAsync(setup.Admin.Get(BySourcePath), leaving.Token);
        await setup.QueryRunning();
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.StartsWith($"Information: GetConversationsBySource REST Cancelled ", await setup.AccessLine());
        setup.AssertQueryStoppedEarly();
        Assert.DoesNotContain(setup.Logs, line => !line.StartsWith("Information:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gRPC_client_that_cancels_stops_the_store_query()
    {
        await using var setup = await SlowStoreSetup.CreateAsync();
        using var cancelling = new CancellationTokenSource();

        var call = setup.Grpc().GetConversationsBySourceAsync(new() { Start = "2020-01-01", End = "2020-12-31" }, setup.Admin.Headers,
            DateTime.UtcNow + AnalyticsFactory.CallTimeout, cancelling.Token);
        await setup.QueryRunning();
        await cancelling.CancelAsync();
        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync)).StatusCode);

        Assert.StartsWith($"Information: GetConversationsBySource gRPC Cancelled ", await setup.AccessLine());
        setup.AssertQueryStoppedEarly();
        Assert.DoesNotContain(setup.Logs, line => !line.StartsWith("Information:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gRPC_deadline_that_passes_stops_the_store_query()
    {
        await using var setup = await SlowStoreSetup.CreateAsync();

        // The deadline is the service's own timer (grpc-dotnet's); the slow query takes seconds, far longer.
        var call = setup.Grpc().GetConversationsBySourceAsync(new() { Start = "2020-01-01", End = "2020-12-31" }, setup.Admin.Headers,
            DateTime.UtcNow.AddMilliseconds(300));
        Assert.Equal(StatusCode.DeadlineExceeded, (await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync)).StatusCode);

        Assert.StartsWith($"Information: GetConversationsBySource gRPC DeadlineExceeded ", await setup.AccessLine());
        setup.AssertQueryStoppedEarly();
        Assert.DoesNotContain(setup.Logs, line => !line.StartsWith("Information:", StringComparison.Ordinal));
    }

    /// <summary>Whether store statements run slowly, whether one has run since, and how many steps of 10 they made.</summary>
    private sealed class SlowControl
    {
        private long _steps;

        public volatile bool Slow;

        public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Steps => Interlocked.Read(ref _steps);

        public void Step() => Interlocked.Increment(ref _steps);
    }

    /// <summary>SQLite connections whose statements, while the control says so, wait a millisecond every 10 steps.</summary>
    private sealed class SlowSqliteFactory(SlowControl control) : DbProviderFactory
    {
        public override DbConnection CreateConnection()
        {
            var connection = new SqliteConnection();
            connection.StateChange += (_, change) =>
            {
                if (change.CurrentState == System.Data.ConnectionState.Open)
                    raw.sqlite3_progress_handler(connection.Handle, 10, _ =>
                    {
                        control.Step();
                        if (!control.Slow)
                            return 0;
                        control.Running.TrySetResult();
                        Thread.Sleep(1);
                        return 0;
                    }, null);
            };
            return connection;
        }
    }

    /// <summary>The service over a store of 6,000 rooms in 2020, whose queries can be made slow; an admin to call it.</summary>
    private sealed class SlowStoreSetup : IAsyncDisposable
    {
        private readonly AnalyticsFactory _parent;
        private readonly BlockingCollection<string> _accessLines = new();
        private GrpcChannel? _channel;

        private SlowStoreSetup(AnalyticsFactory parent, TestUser admin)
        {
            _parent = parent;
            Admin = admin;
            var store = new Store(new SlowSqliteFactory(Control), new SqliteDialect(), new StoreConnectionStrings($"Data Source={parent.DatabasePath}"), 30);
            Service = parent.WithWebHostBuilder(builder =>
            {
                builder.ConfigureLogging(logging => logging.AddProvider(new AccessLineProvider(_accessLines)));
                builder.ConfigureTestServices(services => services.AddSingleton(store));
            });
        }

        public SlowControl Control { get; } = new();

        public TestUser Admin { get; }

        public Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Service { get; }

        /// <summary>(A factory made WithWebHostBuilder logs through its parent's configuration too.)</summary>
        public ConcurrentQueue<string> Logs => _parent.Logs;

        public static async Task<SlowStoreSetup> CreateAsync()
        {
            var parent = new AnalyticsFactory();
            var admin = await parent.CreateUserAsync("admin");
            var start = Rooms.At("2020-01-01T00:00:00Z");
            await parent.AddRoomsAsync(Enumerable.Range(0, 6000).Select(i => Rooms.Closed(start.AddMinutes(i * 80))).ToArray());
            var setup = new SlowStoreSetup(parent, admin);
            _ = setup.Service.Server;
            // The steps the call takes when it runs to its end, at full speed; then every statement is made slow.
            var before = setup.Control.Steps;
            var (status, _, _) = await setup.Service.CreateClient().SendAsync(admin.Get(BySourcePath)).ReadAsync().WaitAsync(AnalyticsFactory.CallTimeout);
            Assert.Equal(200, status);
            setup.WholeCallSteps = setup.Control.Steps - before;
            await setup.AccessLine();
            setup.Control.Slow = true;
            setup._callStartSteps = setup.Control.Steps;
            return setup;
        }

        public Dashboards.DashboardsClient Grpc()
        {
            _channel ??= GrpcChannel.ForAddress(Service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Service.Server.CreateHandler() });
            return new Dashboards.DashboardsClient(_channel);
        }

        private long _callStartSteps;

        /// <summary>The steps the whole call takes, its query run to the end.</summary>
        public long WholeCallSteps { get; private set; }

        /// <summary>
        /// Checks the cancelled call's statements stopped early: they made fewer than half the steps of the whole call
        /// (they go on for as long as the service takes to see the cancellation, about one step a millisecond).
        /// </summary>
        public void AssertQueryStoppedEarly()
        {
            var steps = Control.Steps - _callStartSteps;
            Assert.True(steps < WholeCallSteps / 2, $"The cancelled call made {steps} steps; the whole call makes {WholeCallSteps}.");
        }

        public Task QueryRunning() => Control.Running.Task.WaitAsync(TimeSpan.FromSeconds(10));

        /// <summary>The access line of the call: written when the service has ended it, after its query stopped or ran out.</summary>
        public Task<string> AccessLine() => Task.Run(() =>
            _accessLines.TryTake(out var line, TimeSpan.FromSeconds(30)) ? line : throw new TimeoutException("No access line in 30 s."));

        public async ValueTask DisposeAsync()
        {
            Control.Slow = false;
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
