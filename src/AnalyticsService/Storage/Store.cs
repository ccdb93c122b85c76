using System.Data.Common;
using Dapper;

namespace AnalyticsService.Storage;

/// <summary>
/// The configured database: opens connections (report queries on the read-only one when configured), knows its
/// dialect and command timeout, and retries what the engine reports as transient.
/// </summary>
public sealed class Store(DbProviderFactory factory, SqlDialect dialect, StoreConnectionStrings connectionStrings, int commandTimeoutSeconds,
    IStoreRetry? retry = null)
{
    public SqlDialect Dialect { get; } = dialect;

    /// <summary>Where the store is, for messages: a file, or a server and database; never credentials.</summary>
    public string Location => Dialect.Location(connectionStrings.Primary);

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(connectionStrings.Primary, cancellationToken);

    /// <summary>A connection for report queries: the readable secondary when one is configured.</summary>
    public Task<DbConnection> OpenForReportsAsync(CancellationToken cancellationToken) =>
        OpenAsync(connectionStrings.Reports ?? connectionStrings.Primary, cancellationToken);

    /// <summary>
    /// Opens, queries and closes, the whole retried when the engine reports a transient fault. A cancelled token stops
    /// the query where it is, not only before it starts.
    /// </summary>
    public Task<T> QueryAsync<T>(bool forReports, Func<DbConnection, Task<T>> query, CancellationToken cancellationToken)
    {
        async Task<T> Once()
        {
            await using var connection = forReports ? await OpenForReportsAsync(cancellationToken) : await OpenAsync(cancellationToken);
            using var stop = Dialect.StopCommandsOnCancel(connection, cancellationToken);
            return await query(connection);
        }
        return retry is null ? Once() : retry.ExecuteAsync(Once, cancellationToken);
    }

    public CommandDefinition Command<TParameters>(SqlStatement<TParameters> statement, TParameters parameters,
        DbTransaction? transaction = null, CancellationToken cancellationToken = default) =>
        new(statement.Text, parameters is NoParameters ? null : parameters, transaction, commandTimeoutSeconds, cancellationToken: cancellationToken);

    public CommandDefinition Command(SqlStatement<NoParameters> statement, DbTransaction? transaction = null, CancellationToken cancellationToken = default) =>
        Command(statement, NoParameters.Instance, transaction, cancellationToken);

    /// <summary>A migration script's batch: not a catalogued statement, but sent with the same timeout.</summary>
    public CommandDefinition Script(string sql, DbTransaction transaction, CancellationToken cancellationToken) =>
        new(sql, null, transaction, commandTimeoutSeconds, cancellationToken: cancellationToken);

    public int CommandTimeoutSeconds => commandTimeoutSeconds;

    private async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
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
}

/// <summary>The primary connection string, and the one report queries use when it differs (a readable secondary).</summary>
public sealed record StoreConnectionStrings(string Primary, string? Reports = null);

/// <summary>Retries work that failed on a transient fault of the engine.</summary>
public interface IStoreRetry
{
    Task<T> ExecuteAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken);
}
