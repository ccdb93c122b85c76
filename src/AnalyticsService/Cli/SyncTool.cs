using AnalyticsService.Hosting;
using AnalyticsService.Storage;
using AnalyticsService.Sync;

namespace AnalyticsService.Cli;

/// <summary>
/// <c>sync --mongo &lt;url&gt;</c>: follows Rocket.Chat's MongoDB into the store the service's settings name until
/// stopped (Ctrl-C, SIGTERM), logging what it loads and any retry. The running service does the same when Sync:MongoUrl is set.
/// </summary>
public static class SyncTool
{
    public static async Task<int> RunAsync(CommandLine commandLine, TextWriter errors)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. commandLine.HostArguments, $"--{SyncOptions.Section}:{nameof(SyncOptions.MongoUrl)}={commandLine.Text("--mongo")}"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddAnalyticsStore(builder.Configuration, migrateOnStart: false).AddAnalyticsSync(builder.Configuration);
        using var host = builder.Build();
        try
        {
            await host.RunAsync();
            return Environment.ExitCode; // 1 when the store could not be opened (SyncService says why)
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await errors.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex))
        {
            await errors.WriteLineAsync(StoreFailures.Describe(ex, host.Services.GetRequiredService<Store>().Location));
            return 1;
        }
    }
}
