using System.Net;
using System.Net.Sockets;
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
        var problem = Settings(app.Services) ?? PortInUse(app.Configuration) ?? MissingStore(app.Services, commandLine) ?? await MigrateAsync(app.Services);
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync(problem);
            return 1;
        }
        app.MapAnalyticsApi();
        try
        {
            await app.RunAsync();
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Taken between the check above and Kestrel's bind (another process drew the same free port): the same one line.
            await Console.Error.WriteLineAsync(PortInUse(app.Configuration) ?? $"{ex.Message.TrimEnd('.')}: the port is in use (is another instance running?).");
            return 1;
        }
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

    /// <summary>
    /// A listener's port another process holds (a second --demo, say): said before anything starts, so that the store
    /// is not touched and Kestrel's own failure, with its stack trace, never comes.
    /// </summary>
    private static string? PortInUse(IConfiguration configuration)
    {
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (!Uri.TryCreate(endpoint["Url"], UriKind.Absolute, out var url) || url.Port == 0)
                continue;
            IPAddress? address = url.Host switch
            {
                "localhost" => IPAddress.Loopback,
                "*" or "+" or "0.0.0.0" => IPAddress.Any,
                var host => IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null,
            };
            if (address is null)
                continue;
            try
            {
                var probe = new TcpListener(address, url.Port);
                probe.Start();
                probe.Stop();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return $"Kestrel:Endpoints:{endpoint.Key}:Url {url.OriginalString}: the port is in use (is another instance running?).";
            }
        }
        return null;
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
