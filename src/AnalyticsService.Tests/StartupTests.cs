using System.Net.Sockets;
using System.Text;
using AnalyticsService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsService.Tests;

/// <summary>
/// Clean start and stop, as an operator meets them: a setting out of range, a store that does not exist or cannot be
/// opened each stop the start with one line and exit code 1; SIGTERM ends the service with exit code 0 within
/// Analytics:ShutdownSeconds even while a client holds a half-sent request open.
/// </summary>
public sealed class StartupTests : IDisposable
{
    private readonly TempDirectory _directory = new("analytics-startup-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_store_file_that_does_not_exist_is_refused_with_how_to_make_one()
    {
        var (exit, output, errors) = await ServiceProcess.RunToExitAsync("", _directory.Path, ("Database__CreateIfMissing", "false"));

        Assert.Equal(1, exit);
        Assert.Equal($"The store {_directory.Combine("analytics.db")} (ConnectionStrings:Analytics) does not exist: make one with `import <dir>` or " +
            "`--demo`, or set Database:CreateIfMissing=true to start with an empty one.", errors.Trim());
        Assert.DoesNotContain("   at ", output + errors);
        Assert.False(File.Exists(_directory.Combine("analytics.db"))); // nothing was created
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_is_one_line_naming_the_setting_and_the_path()
    {
        var store = _directory.Combine("no-such-folder", "analytics.db");
        var (exit, output, errors) = await ServiceProcess.RunToExitAsync("", _directory.Path,
            ("ConnectionStrings__Analytics", $"Data Source={store}"), ("Database__CreateIfMissing", "true"));

        Assert.Equal(1, exit);
        Assert.Equal($"The store cannot be reached: {store}: SQLite Error 14: 'unable to open database file'. (ConnectionStrings:Analytics)", errors.Trim());
        Assert.DoesNotContain("   at ", output + errors);
    }

    [Theory]
    [InlineData("RateLimit__Calls", "0", "RateLimit:Calls must be at least 1 (RateLimit:Enabled=false switches the limit off).")]
    [InlineData("Database__CommandTimeoutSeconds", "-5", "Database:CommandTimeoutSeconds must be at least 1.")]
    [InlineData("Analytics__AuthCacheSeconds", "-1", "Analytics:AuthCacheSeconds must be 0 or more.")]
    [InlineData("Analytics__ShutdownSeconds", "0", "Analytics:ShutdownSeconds must be more than 0.")]
    [InlineData("Analytics__RestrictedTotalsScopes", "2", "Analytics:RestrictedTotalsScopes must be 0 (none kept) or from 3 to 1000.")]
    [InlineData("ForwardedHeaders__KnownProxies__0", "proxy.local", "ForwardedHeaders:KnownProxies must hold IP addresses.")]
    [InlineData("Analytics__TimeZone", "Mars/Olympus_Mons", "Analytics:TimeZone must be a time zone known to this machine (an IANA id such as Europe/Paris).")]
    public async Task A_setting_out_of_range_is_refused_naming_it(string key, string value, string message)
    {
        var (exit, output, errors) = await ServiceProcess.RunToExitAsync("", _directory.Path, ("Database__CreateIfMissing", "true"), (key, value));

        Assert.Equal((1, message), (exit, errors.Trim()));
        Assert.DoesNotContain("   at ", output + errors);
    }

    [Fact]
    public async Task Sigterm_exits_0_within_the_shutdown_bound_while_a_client_holds_a_half_sent_request()
    {
        await using var service = await ServiceProcess.StartAsync("", _directory.Path, ("Analytics__ShutdownSeconds", "1"));
        using var timeout = new CancellationTokenSource(AnalyticsFactory.CallTimeout);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", service.RestPort, timeout.Token);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /ping HTTP/1.1\r\nHost: l\r\nX-Slow: "), timeout.Token); // never finished

        // Kestrel's default would wait 30 s for that request; the call timeout (15 s) would fail this test first.
        Assert.Equal(0, await service.TerminateAsync());
    }

    [Theory]
    [InlineData("--help", 0, "Usage:")]
    [InlineData("import --help", 0, "AnalyticsService import <dir> [options]")]
    [InlineData("generate --help", 0, "--departments")]
    [InlineData("imprt", 2, "Unrecognized command or argument 'imprt'.")]
    [InlineData("--dmeo", 2, "Unrecognized command or argument '--dmeo'.")]
    [InlineData("generate --rooms 1 --out x --bogus 3", 2, "Unrecognized command or argument '--bogus'.")]
    [InlineData("import", 2, "Required argument 'dir' missing for command: 'import'.")]
    [InlineData("sync --help", 0, "--mongo")]
    [InlineData("sync", 2, "Option '--mongo' is required.")]
    [InlineData("sync --mongo http://not-mongo", 1, "Sync:MongoUrl must be a mongodb:// or mongodb+srv:// URL.")]
    public async Task The_command_line_says_what_it_does_and_never_starts_a_server_on_a_mistake(string arguments, int exit, string said)
    {
        var (code, output, errors) = await ServiceProcess.RunToExitAsync(arguments, _directory.Path, ("Database__CreateIfMissing", "true"));

        Assert.Equal(exit, code);
        Assert.Contains(said, exit == 0 ? output : errors);
        Assert.DoesNotContain("Application started", output + errors);
        Assert.False(File.Exists(_directory.Combine("analytics.db")), "no store is made");
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_and_the_store_is_not_touched()
    {
        using var holder = new TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;

        var (exit, output, errors) = await ServiceProcess.RunToExitAsync("--demo", _directory.Path, ("Kestrel__Endpoints__Rest__Url", $"http://127.0.0.1:{port}"));

        Assert.Equal((1, $"Kestrel:Endpoints:Rest:Url http://127.0.0.1:{port}: the port is in use (is another instance running?)."), (exit, errors.Trim()));
        Assert.DoesNotContain("   at ", output + errors);
        Assert.False(File.Exists(_directory.Combine("analytics.db")), "the demo seeded nothing");
    }

    [Fact]
    public async Task Demo_tokens_do_not_pile_up()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-05-01T08:00:00Z"));
        await using var factory = new AnalyticsFactory().WithoutDefaults().WithClock(clock);
        await factory.RestAsync();
        var services = factory.Services;
        var seeder = new Demo.DemoSeeder(services.GetRequiredService<Storage.Store>(), services.GetRequiredService<Storage.StoreWriter>(),
            services.GetRequiredService<Import.Importer>(), services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(),
            services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(), clock);

        for (var run = 0; run < Demo.DemoSeeder.KeptTokens + 3; run++)
        {
            await seeder.StartAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={factory.DatabasePath}");
        var tokens = await Dapper.SqlMapper.QueryAsync<long>(connection,
            "SELECT t.created_at FROM login_tokens t JOIN users u ON u.id = t.user_id WHERE u.username = 'admin' ORDER BY t.created_at");
        // The newest five runs' tokens: 08:03 to 08:07.
        Assert.Equal(Enumerable.Range(3, 5).Select(m => clock.Start.AddMinutes(m).ToUnixTimeMilliseconds()), tokens);
    }

    [Fact]
    public async Task Metrics_can_move_to_a_management_listener_that_serves_nothing_else()
    {
        var management = ServiceProcess.FreePort();
        await using var service = await ServiceProcess.StartAsync("", _directory.Path,
            ("Kestrel__Endpoints__Management__Url", $"http://127.0.0.1:{management}"), ("Telemetry__MetricsListener", "Management"));
        using var http = new HttpClient { Timeout = AnalyticsFactory.CallTimeout };
        async Task<int> StatusAsync(int port, string path)
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
            return (int)response.StatusCode;
        }

        Assert.Equal(200, await StatusAsync(management, "/metrics"));
        Assert.Equal(200, await StatusAsync(management, "/healthz/live"));
        Assert.Equal(404, await StatusAsync(management, "/ping"));
        Assert.Equal(404, await StatusAsync(management, AnalyticsFactory.ConversationsByStatusPath + "?start=2020-01-01&end=2020-02-01"));
        Assert.Equal(404, await StatusAsync(service.RestPort, "/metrics"));
        Assert.Equal(200, await StatusAsync(service.RestPort, "/ping"));
    }
}
