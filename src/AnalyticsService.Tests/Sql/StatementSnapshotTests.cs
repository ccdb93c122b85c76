using System.Runtime.CompilerServices;
using System.Text;
using AnalyticsService.Storage;

namespace AnalyticsService.Tests.Sql;

/// <summary>
/// Every statement each dialect can send, written out to a committed file (docs/sql/), so that a change to the SQL
/// shows in review as SQL. The test fails when the code's statements and the file differ; run the tests with
/// UPDATE_SQL_SNAPSHOTS=1 to write the files anew, then review and commit them.
/// </summary>
public sealed class StatementSnapshotTests
{
    public static TheoryData<string> Dialects() => new() { nameof(SqliteDialect), nameof(SqlServerDialect) };

    private static SqlDialect Dialect(string name) => name == nameof(SqliteDialect) ? new SqliteDialect() : new SqlServerDialect();

    public static string Render(SqlDialect dialect)
    {
        var text = new StringBuilder();
        text.Append($"-- Every statement {dialect.GetType().Name} sends, as the code builds it. Written by StatementSnapshotTests: do not edit.\n");
        foreach (var statement in dialect.AllStatements().OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var parameters = statement.AsJsonBatch ? "@Batch: JSON rows of " + statement.Parameters.Name
                : string.Join(", ", statement.Parameters.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p => "@" + p.Name));
            text.Append($"\n-- {statement.Name} ({(parameters.Length > 0 ? parameters : "no parameters")})\n");
            text.Append(statement.Text.Trim().ReplaceLineEndings("\n")).Append('\n');
        }
        return text.ToString();
    }

    private static string SnapshotPath(string dialect, [CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "docs", "sql", $"{dialect}.sql"));

    [Theory]
    [MemberData(nameof(Dialects))]
    public void The_committed_sql_is_what_the_code_sends(string dialect)
    {
        var path = SnapshotPath(dialect);
        var rendered = Render(Dialect(dialect));
        if (Environment.GetEnvironmentVariable("UPDATE_SQL_SNAPSHOTS") == "1")
            File.WriteAllText(path, rendered);
        Assert.True(File.Exists(path), $"{path} is missing: run the tests with UPDATE_SQL_SNAPSHOTS=1 and commit it");
        Assert.True(File.ReadAllText(path).ReplaceLineEndings("\n") == rendered,
            $"{path} differs from the statements {dialect} sends: run the tests with UPDATE_SQL_SNAPSHOTS=1, review the diff and commit it");
    }
}
