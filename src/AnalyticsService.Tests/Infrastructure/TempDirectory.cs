using Microsoft.Data.Sqlite;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>A folder of a test's own for export files and SQLite stores, removed at the end.</summary>
public sealed class TempDirectory(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Combine(params string[] names) => System.IO.Path.Combine([Path, .. names]);

    // The stores in it are released by their users (SqlitePools); Linux removes a file that is still open.
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
