namespace AnalyticsService.Storage;

public enum DatabaseProvider
{
    Sqlite,
}

/// <summary>Settings section "Database"; the connection string is ConnectionStrings:Analytics.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "Analytics";
    public const string DefaultSqliteConnectionString = "Data Source=analytics.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>How long one SQL command may run before it fails (and the call answers 503).</summary>
    public int CommandTimeoutSeconds { get; set; } = 15;
}
