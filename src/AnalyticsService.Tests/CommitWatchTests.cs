using System.Diagnostics;
using Analytics.V1;
using AnalyticsService.Interceptors;
using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>
/// Kept answers are reused only while SQLite's wal-index header is unchanged: every commit, from this process or
/// another, changes it, and nothing else needs to.
/// </summary>
public sealed class CommitWatchTests : IDisposable
{
    private readonly TempDirectory _directory = new("analytics-watch-");
    private string Database => _directory.Combine("analytics.db");

    public void Dispose() => _directory.Dispose();

    private SqliteConnection Open(string journalMode = "WAL")
    {
        var connection = new SqliteConnection($"Data Source={Database}");
        connection.Open();
        connection.Execute($"PRAGMA journal_mode = {journalMode}; CREATE TABLE IF NOT EXISTS t (v INTEGER)");
        return connection;
    }

    [Fact]
    public void The_header_changes_with_every_commit_and_not_with_reads_or_rollbacks()
    {
        using var writer = Open();
        using var watch = SqliteCommitWatch.Open(Open())!;
        var start = watch.Read();

        using (var reader = Open())
            Assert.Equal(0L, reader.ExecuteScalar<long>("SELECT COUNT(*) FROM t"));
        Assert.Equal(start, watch.Read());

        writer.Execute("INSERT INTO t VALUES (1)");
        var afterFirst = watch.Read();
        Assert.NotEqual(start, afterFirst);

        using (var transaction = writer.BeginTransaction())
        {
            writer.Execute("INSERT INTO t VALUES (2)", transaction: transaction);
            transaction.Rollback();
        }
        Assert.Equal(afterFirst, watch.Read());

        writer.Execute("UPDATE t SET v = 3");
        Assert.NotEqual(afterFirst, watch.Read());
    }

    [Fact]
    public void A_database_without_a_write_ahead_log_is_not_watched()
    {
        Open(journalMode: "DELETE").Dispose();
        Assert.Null(SqliteCommitWatch.Open(Open(journalMode: "DELETE")));
    }

    [Fact]
    public async Task What_an_import_in_another_process_commits_shows_in_the_running_services_next_answer()
    {
        const string token = "watch-admin-token-5e1c";
        var export = Directory.CreateDirectory(_directory.Combine("export")).FullName;
        File.WriteAllText(Path.Combine(export, "users.json"),
            """{"_id":"u-admin","username":"boss","roles":["admin"],"services":{"resume":{"loginTokens":[{"hashedToken":""" + "\"" + LoginTokens.Hash(token) + "\"}]}}}");
        File.WriteAllText(Path.Combine(export, "rocketchat_permissions.json"), """{"_id":"view-livechat-reports","roles":["admin"]}""");
        File.WriteAllText(Path.Combine(export, "rocketchat_room.json"), """
            {"_id":"r1","t":"l","ts":{"$date":"2020-09-10T10:00:00Z"},"open":true,"servedBy":{"_id":"a1"}}
            {"_id":"r2","t":"l","ts":{"$date":"2020-09-10T11:00:00Z"},"open":true}
            """);
        await ImportInAnotherProcessAsync(export);

        await using var service = await ServiceProcess.StartAsync("", _directory.Path);
        using var rest = service.Rest();
        var channel = service.Grpc();
        var grpc = new Dashboards.DashboardsClient(channel);
        var admin = new TestUser("u-admin", token);
        const string query = "start=2020-09-10T00:00:00Z&end=2020-09-11T00:00:00Z";
        var before = """{"total":2,"data":[{"label":"Open","value":1},{"label":"Queued","value":1},{"label":"Closed","value":0},{"label":"On_Hold","value":0}],"success":true}""";
        Assert.Equal((200, before), await GetAsync(rest, admin, query));
        Assert.Equal((200, before), await GetAsync(rest, admin, query)); // the kept answer

        // While the service runs: r2 closed, r3 queued, by another process.
        File.WriteAllText(Path.Combine(export, "rocketchat_room.json"), """
            {"_id":"r2","t":"l","ts":{"$date":"2020-09-10T11:00:00Z"},"open":false,"closedAt":{"$date":"2020-09-10T11:30:00Z"},"metrics":{"chatDuration":1800}}
            {"_id":"r3","t":"l","ts":{"$date":"2020-09-10T12:00:00Z"},"open":true}
            """);
        await ImportInAnotherProcessAsync(export);

        Assert.Equal((200, """{"total":3,"data":[{"label":"Open","value":1},{"label":"Closed","value":1},{"label":"Queued","value":1},{"label":"On_Hold","value":0}],"success":true}"""),
            await GetAsync(rest, admin, query));
        var reply = await grpc.GetConversationsByStatusAsync(new() { Start = "2020-09-10T00:00:00Z", End = "2020-09-11T00:00:00Z" }, admin.Headers);
        Assert.Equal((3, "Open=1 Closed=1 Queued=1 On_Hold=0"), (reply.Total, string.Join(' ', reply.Data.Select(d => $"{d.Label}={d.Value}"))));
    }

    private static async Task<(int Status, string Body)> GetAsync(HttpClient client, TestUser user, string query)
    {
        var (status, _, body) = await client.SendAsync(user.Get($"{ConversationsByStatusPath}?{query}")).ReadAsync();
        return (status, body);
    }

    private async Task ImportInAnotherProcessAsync(string export)
    {
        var serviceDll = typeof(Program).Assembly.Location;
        using var import = Process.Start(new ProcessStartInfo("dotnet",
            ["exec", serviceDll, "import", export, $"--ConnectionStrings:Analytics=Data Source={Database}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = import.StandardOutput.ReadToEndAsync();
        var errors = import.StandardError.ReadToEndAsync();
        await import.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(import.ExitCode == 0, $"import failed:\n{await output}\n{await errors}");
        Assert.Contains("rocketchat_room.json", await output); // it read the rooms, as the answers below need
    }
}
