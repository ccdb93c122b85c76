using AnalyticsService.Storage;

namespace AnalyticsService.Hosting;

/// <summary>
/// Migrates the schema before the server takes requests (hosted services start before Kestrel listens), then says in
/// one line when rooms stored by an earlier release need a re-import to be counted exactly.
/// </summary>
public sealed class SchemaMigrationService(SchemaMigrator migrator, ILogger<SchemaMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        var stale = await migrator.CountRoomsNeedingReimportAsync(cancellationToken);
        if (stale > 0)
            logger.LogWarning("{Rooms} rooms were stored by an earlier release, which did not keep all the reports need (servedBy null or {{}}, " +
                "departmentId null or missing, source.alias, tags): import rocketchat_room.json again to count them exactly.", stale);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
