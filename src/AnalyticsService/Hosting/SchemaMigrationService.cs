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
            logger.LogWarning("{Rooms} rooms were stored by an earlier release, which kept \"servedBy\": null like \"servedBy\": {{}} and a null " +
                "departmentId like a missing one: import rocketchat_room.json again to count them exactly (until then they count as served and as " +
                "having no department).", stale);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
