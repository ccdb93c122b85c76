using System.Reflection;
using System.Text.RegularExpressions;
using AnalyticsService.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnalyticsService.Tests.Sql;

/// <summary>
/// The SQLite twin of the T-SQL checks: SQLite itself prepares every statement of its dialect against the migrated
/// schema (an unknown table or column fails there), and each uses exactly the @parameters its caller passes.
/// </summary>
public sealed partial class SqliteStatementTests : IAsyncLifetime
{
    private static readonly SqliteDialect Dialect = new();
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"analytics-statements-{Guid.NewGuid():N}.db");

    public async Task InitializeAsync()
    {
        var store = new Store(SqliteFactory.Instance, Dialect, new($"Data Source={_path};Pooling=False"), 15);
        await new SchemaMigrator(store, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            File.Delete(file);
        return Task.CompletedTask;
    }

    /// <summary>A command on a connection of its own to the migrated store, closed with it.</summary>
    private SqliteCommand Command(string text)
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.Disposed += (_, _) => connection.Dispose();
        return command;
    }

    public static TheoryData<string> StatementNames() => new(Dialect.AllStatements().Select(s => s.Name));

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Each_statement_prepares_and_takes_the_parameters_its_caller_passes(string name)
    {
        var statement = Dialect.AllStatements().Single(s => s.Name == name);
        using var command = Command(statement.Text);
        command.Prepare(); // SQLite compiles the statement: unknown tables and columns fail here

        var used = Parameter().Matches(statement.Text).Select(m => m.Value[1..]).ToHashSet();
        var passed = statement.AsJsonBatch ? ["Batch"]
            : statement.Parameters.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet();
        Assert.Equal(passed.Order(), used.Order());
    }

    public static TheoryData<string> RoomRangeStatementNames() =>
        new(Dialect.AllStatements().Where(s => s.Text.Contains("FROM rooms r WHERE r.t = 'l' AND r.ts")).Select(s => s.Name));

    /// <summary>
    /// Each statement that reads rooms by creation time (partial hours, restricted callers, the plain scans) reads the
    /// index alone: a room looked up in the table is a random page read, which at ten million rooms made a partial hour
    /// of agents take up to 19 ms.
    /// </summary>
    [Theory]
    [MemberData(nameof(RoomRangeStatementNames))]
    public void Each_statement_over_a_range_of_rooms_reads_the_covering_index_alone(string name)
    {
        using var command = Command("EXPLAIN QUERY PLAN " + Dialect.AllStatements().Single(s => s.Name == name).Text);
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                plan.Add(reader.GetString(3));
        var rooms = plan.Where(step => step.StartsWith("SEARCH r ", StringComparison.Ordinal) || step.StartsWith("SCAN r", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rooms);
        Assert.All(rooms, step => Assert.StartsWith("SEARCH r USING COVERING INDEX ix_rooms_livechat_ts (ts>? AND ts<?)", step));
    }
}
