using AnalyticsService.Cli;
using AnalyticsService.Storage;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Hosting;

/// <summary>
/// Starts the service only on settings and a store it can serve from, saying in one line what is wrong otherwise
/// (exit code 1): a setting out of range, a store file that does not exist, a store that cannot be opened or migrated.
/// </summary>
public static class Startup
{
    public static async Task<int> RunAnalyticsAsync(this WebApplication app, CommandLine commandLine)
    {
        var problem = Settings(app.Services) ?? MissingStore(app.Services, commandLine) ?? await MigrateAsync(app.Services);
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync(problem);
            return 1;
        }
        app.MapAnalyticsApi();
        await app.RunAsync();
        return 0;
    }

    /// <summary>The settings checked at start (ValidateOnStart), checked here first so that a bad one is one line, not a stack trace.</summary>
    public static string? Settings(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return string.Join(Environment.NewLine, ex.Failures);
        }
    }

    private static string? MissingStore(IServiceProvider services, CommandLine commandLine)
    {
        var store = services.GetRequiredService<Store>();
        if (store.Dialect is not SqliteDialect || commandLine.Demo || services.GetRequiredService<IOptions<DatabaseOptions>>().Value.CreateIfMissing)
            return null;
        var file = store.Location;
        return file.Length == 0 || file == ":memory:" || File.Exists(file) ? null
            : $"The store {file} (ConnectionStrings:Analytics) does not exist: make one with `import <dir>` or `--demo`, " +
              "or set Database:CreateIfMissing=true to start with an empty one.";
    }

    private static async Task<string?> MigrateAsync(IServiceProvider services)
    {
        try
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
            return null;
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex))
        {
            return StoreFailures.Describe(ex, services.GetRequiredService<Store>().Location) + " (ConnectionStrings:Analytics)";
        }
    }
}
