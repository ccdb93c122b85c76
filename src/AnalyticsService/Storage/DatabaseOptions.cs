namespace AnalyticsService.Storage;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Settings section "Database"; the connection string is ConnectionStrings:Analytics.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "Analytics";

    /// <summary>Optional: where report queries go (a readable secondary, ApplicationIntent=ReadOnly).</summary>
    public const string ReadOnlyConnectionStringName = "AnalyticsReadOnly";
    public const string DefaultSqliteConnectionString = "Data Source=analytics.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>How long one SQL command may run before it fails (and the call answers 503).</summary>
    public int CommandTimeoutSeconds { get; set; } = 15;

    /// <summary>SQL Server: how many times a read is tried in all when it fails on a transient fault.</summary>
    public int RetryTries { get; set; } = 3;

    /// <summary>SQL Server: the longest wait between two tries.</summary>
    public double RetryMaxDelaySeconds { get; set; } = 5;

    /// <summary>
    /// SQLite: start with an empty store when the file does not exist. Off by default, so that a mistyped path is not
    /// silently a new, empty store: make one with import or --demo.
    /// </summary>
    public bool CreateIfMissing { get; set; }
}
