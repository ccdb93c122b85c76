using AnalyticsService.Cli;
using Microsoft.Data.Sqlite;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>`import &lt;dir&gt;` as the README gives it, into a SQLite store of the test's own.</summary>
public static class ImportCommand
{
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(string directory, string database, params string[] extra)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        string[] args = ["import", directory, $"--ConnectionStrings:Analytics=Data Source={database}", .. extra];
        var exit = await HostStarts.OneAsync(() => ImportTool.RunAsync(CommandLine.Parse(args), output, errors));
        SqlitePools.Release(database); // the next step opens the file afresh, possibly in another process
        return (exit, output.ToString(), errors.ToString());
    }
}
