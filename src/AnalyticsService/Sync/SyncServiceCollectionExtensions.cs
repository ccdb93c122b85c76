using AnalyticsService.Storage;

namespace AnalyticsService.Sync;

/// <summary>Options of following MongoDB: where it is. Without a URL the service does not follow (import keeps it current).</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>mongodb:// or mongodb+srv:// URL of Rocket.Chat's database (its name in the path; rocketchat when absent).</summary>
    public string? MongoUrl { get; set; }
}

public static class SyncServiceCollectionExtensions
{
    /// <summary>Follows Rocket.Chat's MongoDB in the background when Sync:MongoUrl is set (the sync command sets it).</summary>
    public static IServiceCollection AddAnalyticsSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.Section))
            .Validate(o => o.MongoUrl is null || IsMongoUrl(o.MongoUrl), "Sync:MongoUrl must be a mongodb:// or mongodb+srv:// URL.")
            .ValidateOnStart();
        var url = configuration[$"{SyncOptions.Section}:{nameof(SyncOptions.MongoUrl)}"];
        if (string.IsNullOrEmpty(url))
            return services;
        services.AddSingleton<ChangeApplier>();
        services.AddSingleton<IChangeSource>(_ => new MongoChangeSource(url));
        services.AddSingleton<MongoFollower>();
        services.AddHostedService<SyncService>();
        return services;
    }

    private static bool IsMongoUrl(string url)
    {
        try
        {
            MongoDB.Driver.MongoUrl.Create(url);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or MongoDB.Driver.MongoConfigurationException)
        {
            return false;
        }
    }
}

/// <summary>Runs the follower for as long as the host runs; the schema is migrated before it starts.</summary>
public sealed class SyncService(MongoFollower follower, SchemaMigrator migrator, Store store, ILogger<SyncService> logger, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrator.MigrateAsync(stoppingToken);
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex))
        {
            // The follower retries MongoDB for ever; a store it cannot write to is the operator's to fix.
            logger.LogCritical("{Problem}", StoreFailures.Describe(ex, store.Location));
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }
        await follower.RunAsync(stoppingToken);
    }
}
