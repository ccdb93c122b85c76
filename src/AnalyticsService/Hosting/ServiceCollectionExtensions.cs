using AnalyticsService.Cli;
using AnalyticsService.Dates;
using AnalyticsService.Demo;
using System.Net;
using AnalyticsService.Import;
using AnalyticsService.Interceptors;
using AnalyticsService.RateLimiting;
using AnalyticsService.Reports;
using Microsoft.AspNetCore.HttpOverrides;
using AnalyticsService.Services;
using AnalyticsService.Storage;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnalyticsService.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>The interceptors every call passes, outermost first: the pipeline's order (docs/behaviour.md, section 1).</summary>
    /// <summary>The tag of the checks /healthz/ready runs.</summary>
    public const string ReadyTag = "ready";

    public static IReadOnlyList<Type> Pipeline { get; } =
    [
        typeof(RestResponseInterceptor),
        typeof(StoreFailureInterceptor),
        typeof(AuthenticationInterceptor),
        typeof(RateLimitInterceptor),
        typeof(QuerySchemaInterceptor),
        typeof(PermissionInterceptor),
    ];

    /// <summary>The gRPC service with its interceptors (in pipeline order), transcoding, reflection and health.</summary>
    public static IServiceCollection AddAnalyticsApi(this IServiceCollection services)
    {
        // The interceptors hold no per-call state: one instance each, rather than one per call.
        foreach (var interceptor in Pipeline)
            services.AddSingleton(interceptor);
        var grpc = services.AddGrpc();
        // Every service bound with requests that fail cleanly when they cannot be read, in place of grpc-dotnet's binder.
        foreach (var binder in services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Name == "BinderServiceMethodProvider`1").ToList())
            services.Remove(binder);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(ReadableRequestServiceMethodProvider<>));
        grpc.AddServiceOptions<DashboardsService>(options =>
        {
            foreach (var interceptor in Pipeline)
                options.Interceptors.Add(interceptor);
        }).AddJsonTranscoding(options =>
            // Error details are google.protobuf.Any; transcoding can only write the types it is told about.
            options.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.ErrorInfo.Descriptor));
        services.AddGrpcReflection();
        services.AddListeners();
        // Like Node, read header bytes above 0x7F as Latin-1 instead of refusing the request: an odd X-User-Id
        // then gets Rocket.Chat's 401, not an empty 400 from the server.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1);
        // One readiness check, kept as a singleton so that its reused answer keeps probes cheap: gRPC health asks it on
        // every Check (and its publisher for Watch), /healthz/ready on every request.
        services.AddSingleton<StoreHealthCheck>();
        services.AddGrpcHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [ReadyTag]);
        services.Configure<Grpc.AspNetCore.HealthChecks.GrpcHealthChecksOptions>(health => health.UseHealthChecksCache = false);
        services.Configure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(10);
        });
        return services;
    }

    /// <summary>The API rate limit, and the client address taken from X-Forwarded-For only when sent by a trusted proxy.</summary>
    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RateLimitOptions>(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<ClientRateLimiter>();
        var proxies = configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new();
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.KnownProxies.Clear(); // the default trusts loopback; only what the setting names is trusted
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.KnownProxies)
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in proxies.KnownNetworks)
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        services.AddSingleton(proxies);
        return services;
    }

    public static IServiceCollection AddAnalyticsStore(this IServiceCollection services, IConfiguration configuration, bool migrateOnStart = true)
    {
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        var readOnly = configuration.GetConnectionString(DatabaseOptions.ReadOnlyConnectionStringName);
        services.AddSingleton(database.Provider switch
        {
            DatabaseProvider.Sqlite => new Store(SqliteFactory.Instance, new SqliteDialect(),
                new(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString, readOnly), database.CommandTimeoutSeconds),
            DatabaseProvider.SqlServer => new Store(SqlClientFactory.Instance, new SqlServerDialect(),
                new(connectionString ?? throw new InvalidOperationException("Database:Provider SqlServer needs ConnectionStrings:Analytics."), readOnly),
                database.CommandTimeoutSeconds, new SqlServerRetry(database.RetryTries, TimeSpan.FromSeconds(database.RetryMaxDelaySeconds))),
            _ => throw new InvalidOperationException($"Database:Provider '{database.Provider}' is not supported."),
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton(typeof(AuthCache<,>));
        services.AddSingleton<IdentityStore>();
        services.AddSingleton<StoreVersionReader>();
        services.AddSingleton<ConversationCounts>();
        services.AddSingleton<RoomScopes>();
        services.AddSingleton<ReportQuery>();
        services.AddSingleton<ConversationsBySourceReport>();
        services.AddSingleton<ConversationsByDepartmentReport>();
        services.AddSingleton<ConversationsByTagsReport>();
        services.AddSingleton<ConversationsByAgentReport>();
        services.AddSingleton<StoreWriter>();
        services.AddSingleton<Importer>();
        if (migrateOnStart)
            services.AddHostedService<SchemaMigrationService>();
        return services;
    }

    /// <summary>--demo: seed and print how to call (after the schema migration, which is registered first).</summary>
    public static IServiceCollection AddDemo(this IServiceCollection services, CommandLine commandLine)
    {
        if (commandLine.Demo)
            services.AddHostedService<DemoSeeder>();
        return services;
    }

    public static IServiceCollection AddAnalyticsSettings(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AnalyticsOptions.Section).Get<AnalyticsOptions>() ?? new AnalyticsOptions();
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"Analytics:TimeZone '{options.TimeZone}' is not a time zone known to this machine.", ex);
        }
        services.AddSingleton(new ServerTimeZone(zone));
        services.Configure<AnalyticsOptions>(configuration.GetSection(AnalyticsOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
