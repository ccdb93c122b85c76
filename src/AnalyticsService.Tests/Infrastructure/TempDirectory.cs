using Microsoft.Data.Sqlite;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>A folder of a test's own for export files and SQLite stores, removed at the end with SQLite's pooled handles.</summary>
public sealed class TempDirectory(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Combine(params string[] names) => System.IO.Path.Combine([Path, .. names]);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
