using Microsoft.Data.SqlClient;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>
/// A database of its own on the SQL Server that ANALYTICS_TEST_SQLSERVER names (its login needs CREATE DATABASE),
/// dropped afterwards. Without the variable, the SQL Server tests report themselves skipped.
/// </summary>
public sealed class SqlServerTestDatabase : IAsyncDisposable
{
    public const string Variable = "ANALYTICS_TEST_SQLSERVER";
    public const string SkipReason = $"no SQL Server here: set {Variable} to a connection string to run the SQL Server tests";

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private readonly string _server;
    private readonly string _name;

    public string ConnectionString { get; }

    private SqlServerTestDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
    }

    public static async Task<SqlServerTestDatabase> CreateAsync()
    {
        var server = ServerConnectionString ?? throw new InvalidOperationException(SkipReason);
        var database = new SqlServerTestDatabase(server, $"analytics_test_{Guid.NewGuid():N}");
        await database.RunOnMasterAsync($"CREATE DATABASE [{database._name}]");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        SqlConnection.ClearAllPools();
        await RunOnMasterAsync($"ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_name}]");
    }

    // The name is made here from a GUID, never from input.
    private async Task RunOnMasterAsync(string sql)
    {
        await using var connection = new SqlConnection(new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
