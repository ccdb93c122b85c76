using System.Reflection;
using Dapper;

namespace AnalyticsService.Storage;

/// <summary>
/// Brings the schema up to the newest version at start-up: the embedded scripts of the dialect's folder,
/// named NNNN_name.sql, each applied once in its own transaction and recorded in schema_migrations.
/// </summary>
public sealed class SchemaMigrator(Store store, ILogger<SchemaMigrator> logger, TimeProvider clock)
{
    public sealed record Migration(int Version, string Name, string Sql);

    // What a migration does beyond its script, in its transaction: work the service's own code does better than SQL
    // would (one place for a rule, not a second copy in a script).
    private static readonly Dictionary<int, Func<WriteSession, CancellationToken, Task>> AfterScript = new()
    {
        [8] = (session, cancellationToken) => session.CountStoredRoomsIntoReportCellsAsync(cancellationToken),
        [11] = (session, cancellationToken) => session.CountStoredRoomsIntoSourceCellsAsync(cancellationToken),
    };

    public static IReadOnlyList<Migration> Load(SqlDialect dialect)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(dialect.MigrationFolder, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                var file = Path.GetFileNameWithoutExtension(name[dialect.MigrationFolder.Length..]);
                var version = int.Parse(file.AsSpan(0, file.IndexOf('_')), System.Globalization.CultureInfo.InvariantCulture);
                return new Migration(version, file, ReadResource(assembly, name));
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var sql = store.Dialect;
        if (sql.Startup is { } startup)
            await connection.ExecuteAsync(store.Command(startup, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(store.Command(sql.CreateMigrationsTable, cancellationToken: cancellationToken));
        var applied = 0;
        foreach (var migration in Load(store.Dialect))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (sql.MigrationLock is { } migrationLock)
                await connection.ExecuteAsync(store.Command(migrationLock, transaction, cancellationToken));
            // Checked inside the transaction, so two instances starting together apply each script once.
            var done = await connection.ExecuteScalarAsync<long>(store.Command(sql.MigrationApplied, new VersionParameters(migration.Version), transaction, cancellationToken));
            if (done > 0)
                continue;
            foreach (var batch in sql.SplitBatches(migration.Sql))
                await connection.ExecuteAsync(store.Script(batch, transaction, cancellationToken));
            if (AfterScript.TryGetValue(migration.Version, out var step))
                await step(new WriteSession(store, connection, transaction), cancellationToken);
            await connection.ExecuteAsync(store.Command(sql.RecordMigration,
                new MigrationParameters(migration.Version, migration.Name, clock.GetUtcNow().UtcDateTime), transaction, cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied schema migration {Version} {Name}", migration.Version, migration.Name);
            applied++;
        }
        return applied;
    }

    /// <summary>Rooms an earlier release stored without what the current rules need (see migration 0005).</summary>
    public Task<long> CountRoomsNeedingReimportAsync(CancellationToken cancellationToken) =>
        store.QueryAsync(forReports: false, connection => connection.ExecuteScalarAsync<long>(
            store.Command(store.Dialect.CountRoomsNeedingReimport, cancellationToken: cancellationToken)), cancellationToken);

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
