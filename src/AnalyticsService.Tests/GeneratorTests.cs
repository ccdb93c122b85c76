using System.Text;
using AnalyticsService.Cli;
using AnalyticsService.Import;
using AnalyticsService.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static AnalyticsService.Tests.Infrastructure.AnalyticsFactory;

namespace AnalyticsService.Tests;

/// <summary>`generate`: mongoexport files of a plausible workspace, the same for the same seed, and usable through `import`.</summary>
public sealed class GeneratorTests : IDisposable
{
    private readonly TempDirectory _root = new("analytics-generate-");

    public void Dispose() => _root.Dispose();

    private (string Directory, string Output) Generate(string name, int seed, int rooms = 500, string end = "2026-11-01")
    {
        var directory = _root.Combine(name);
        var output = new StringWriter();
        Assert.Equal(0, GenerateTool.Run(CommandLine.Parse(["generate", "--rooms", rooms.ToString(), "--out", directory, "--seed", seed.ToString(), "--days", "30", "--end", end]),
            output, TimeProvider.System));
        return (directory, output.ToString());
    }

    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.GetFiles(directory).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);

    [Fact]
    public void The_same_seed_gives_the_same_files_and_another_seed_other_files()
    {
        var (first, _) = Generate("a", seed: 42);
        var (second, _) = Generate("b", seed: 42);
        var (other, _) = Generate("c", seed: 43);

        Assert.Equal(["rocketchat_livechat_department_agents.json", "rocketchat_livechat_department.json", "rocketchat_livechat_unit_monitors.json", "rocketchat_permissions.json",
            "rocketchat_roles.json", "rocketchat_room.json", "users.json"], Files(first).Keys.Order());
        Assert.Equal(Files(first), Files(second));
        Assert.NotEqual(Files(first)["rocketchat_room.json"], Files(other)["rocketchat_room.json"]);
    }

    [Fact]
    public async Task Prints_tokens_once_stores_only_hashes_and_the_tokens_work_after_import()
    {
        var (directory, output) = Generate("w", seed: 7, rooms: 2000);
        var tokens = output.Split('\n').Skip(2).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(p => p[0], p => (Id: p[1], Token: p[2]));
        Assert.Equal(["admin", "agent.1", "agent.2", "agent.3", "agent.4", "agent.5", "agent.6", "agent.7", "agent.8", "manager", "monitor.1", "monitor.2"], tokens.Keys.Order());
        var everything = string.Concat(Directory.GetFiles(directory).Select(File.ReadAllText));
        Assert.All(tokens.Values, t => Assert.DoesNotContain(t.Token, everything));

        var database = _root.Combine("analytics.db");
        Assert.Equal(0, (await ImportCommand.RunAsync(directory, database)).Exit);

        await using var factory = new AnalyticsFactory().WithoutDefaults().With("ConnectionStrings:Analytics", $"Data Source={database}");
        var client = await factory.RestAsync();
        const string query = $"{ConversationsByStatusPath}?start=2026-10-02&end=2026-11-01";
        var admin = await client.SendAsync(new TestUser(tokens["admin"].Id, tokens["admin"].Token).Get(query)).ReadAsync();
        var monitor = await client.SendAsync(new TestUser(tokens["monitor.1"].Id, tokens["monitor.1"].Token).Get(query)).ReadAsync();
        var agent = await client.SendAsync(new TestUser(tokens["agent.1"].Id, tokens["agent.1"].Token).Get(query)).ReadAsync();

        var adminTotal = System.Text.Json.JsonDocument.Parse(admin.Body).RootElement.GetProperty("total").GetInt32();
        var monitorTotal = System.Text.Json.JsonDocument.Parse(monitor.Body).RootElement.GetProperty("total").GetInt32();
        Assert.Equal((200, 2000), (admin.Status, adminTotal));
        // Six departments in two units, rooms spread evenly: a monitor sees about half.
        Assert.Equal(200, monitor.Status);
        Assert.InRange(monitorTotal, 800, 1200);
        Assert.Equal((403, Bodies.NotPermitted), (agent.Status, agent.Body));
    }

    [Theory]
    [InlineData("--rooms", "many", "--rooms must be a whole number of at least 0")]
    [InlineData("--days", "0", "--days must be a whole number of at least 1")]
    [InlineData("--end", "tomorrow", "--end must be a date, yyyy-MM-dd")]
    public void Bad_options_are_usage_errors(string option, string value, string message)
    {
        var args = new List<string> { "generate", "--rooms", "1", "--out", _root.Combine("x") };
        var at = args.IndexOf(option);
        if (at >= 0)
            args[at + 1] = value;
        else
            args.AddRange([option, value]);
        var error = Assert.Throws<UsageException>(() => GenerateTool.Run(CommandLine.Parse([.. args]), new StringWriter(), TimeProvider.System));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Without_end_the_rooms_end_at_the_start_of_today_on_the_clock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2031-04-05T17:45:00Z"));
        var output = new StringWriter();

        GenerateTool.Run(CommandLine.Parse(["generate", "--rooms", "1", "--out", _root.Combine("today"), "--seed", "3", "--days", "2"]), output, clock);

        Assert.StartsWith("Wrote 1 rooms over 2 days before 2031-04-05 (seed 3)", output.ToString());
    }
}

/// <summary>The export reader on its own: layouts, line numbers, documents larger than its buffer.</summary>
public sealed class MongoExportReaderTests
{
    private static async Task<List<ExportDocument>> ReadAsync(string text)
    {
        var documents = new List<ExportDocument>();
        await foreach (var document in MongoExportReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))))
            documents.Add(document);
        return documents;
    }

    [Fact]
    public async Task Lines_and_arrays_give_the_same_documents_with_their_lines()
    {
        var lines = await ReadAsync("{\"_id\":\"a\"}\r\n\r\n{\"_id\":\"b\"}\n{\"_id\":\"c\"}");
        var array = await ReadAsync("[\n  {\n    \"_id\": \"a\"\n  },\n  {\"_id\": \"b\"}, {\"_id\": \"c\"}\n]\n");

        Assert.Equal([("a", 1L), ("b", 3L), ("c", 4L)], lines.Select(d => (d.Root.GetProperty("_id").GetString(), d.Line)));
        Assert.Equal([("a", 2L), ("b", 5L), ("c", 5L)], array.Select(d => (d.Root.GetProperty("_id").GetString(), d.Line)));
        Assert.All(lines.Concat(array), d => Assert.Null(d.Error));
    }

    [Fact]
    public async Task A_document_larger_than_the_buffer_is_read_whole()
    {
        var big = new string('x', 600_000);
        var documents = await ReadAsync($"{{\"_id\":\"small\"}}\n{{\"_id\":\"big\",\"blob\":\"{big}\"}}\n{{\"_id\":\"after\"}}\n");
        var inArray = await ReadAsync($"[{{\"_id\":\"small\"}},\n{{\"_id\":\"big\",\"blob\":\"{big}\"}},\n{{\"_id\":\"after\"}}]");

        Assert.Equal([("small", 1L), ("big", 2L), ("after", 3L)], documents.Select(d => (d.Root.GetProperty("_id").GetString(), d.Line)));
        Assert.Equal([("small", 1L), ("big", 2L), ("after", 3L)], inArray.Select(d => (d.Root.GetProperty("_id").GetString(), d.Line)));
        Assert.Equal(600_000, documents[1].Root.GetProperty("blob").GetString()!.Length);
    }

    [Fact]
    public async Task Empty_files_have_no_documents_and_text_after_an_array_is_an_error()
    {
        Assert.Empty(await ReadAsync(""));
        Assert.Empty(await ReadAsync("[]"));
        Assert.Empty(await ReadAsync("\n\n"));
        var after = await ReadAsync("[{\"_id\":\"a\"}]\n{\"_id\":\"b\"}");
        Assert.Equal([(null, 1L), ("there is more after the array", 2L)], after.Select(d => (d.Error, d.Line)));
    }
}
