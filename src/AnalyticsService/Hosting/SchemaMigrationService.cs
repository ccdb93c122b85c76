using AnalyticsService.Storage;

namespace AnalyticsService.Hosting;

/// <summary>Migrates the schema before the server takes requests (hosted services start before Kestrel listens).</summary>
public sealed class SchemaMigrationService(SchemaMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
