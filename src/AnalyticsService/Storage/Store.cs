using System.Data.Common;
using Dapper;

namespace AnalyticsService.Storage;

/// <summary>The configured database: opens connections and knows its dialect and command timeout.</summary>
public sealed class Store(DbProviderFactory factory, string connectionString, SqlDialect dialect, int commandTimeoutSeconds)
{
    public SqlDialect Dialect { get; } = dialect;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = factory.CreateConnection()
            ?? throw new InvalidOperationException("The database provider cannot create connections.");
        connection.ConnectionString = connectionString;
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A Dapper command with the configured timeout.</summary>
    public CommandDefinition Command(string sql, object? parameters = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default) =>
        new(sql, parameters, transaction, commandTimeoutSeconds, cancellationToken: cancellationToken);
}
