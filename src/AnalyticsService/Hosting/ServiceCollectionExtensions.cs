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
using Microsoft.Extensions.Options;

namespace AnalyticsService.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>The tag of the checks /healthz/ready runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The interceptors every call passes, outermost first: the pipeline's order (docs/behaviour.md, section 1).</summary>
    public static IReadOnlyList<Type> Pipeline { get; } =
    [
        typeof(AccessLogInterceptor),
        typeof(CallMetricsInterceptor),
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
        // Every service bound by AnalyticsServiceMethodProvider, in place of grpc-dotnet's binder.
        foreach (var binder in services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Name == "BinderServiceMethodProvider`1").ToList())
            services.Remove(binder);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(AnalyticsServiceMethodProvider<>));
        grpc.AddServiceOptions<DashboardsService>(options =>
        {
            foreach (var interceptor in Pipeline)
                options.Interceptors.Add(interceptor);
        }).AddJsonTranscoding(options =>
            // Error details are google.protobuf.Any; transcoding can only write the types it is told about.
            options.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.ErrorInfo.Descriptor));
        // After every other setting: transcoding makes its JSON options from them when they are first read.
        services.PostConfigure<Microsoft.AspNetCore.Grpc.JsonTranscoding.GrpcJsonTranscodingOptions>(Api.AnswerBytes.WriteJsonOnce);
        services.AddHostedService<ReportTotalsLoader>(); // the first load of the reports' totals, in the background
        services.AddGrpcReflection();
        services.AddListeners();
        // Like Node, read header bytes above 0x7F as Latin-1 instead of refusing the request: an odd X-User-Id
        // then gets Rocket.Chat's 401, not an empty 400 from the server.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1);
        // One readiness check, kept as a singleton so that its reused answer keeps probes cheap: /healthz/ready asks it
        // on every request, gRPC health reads what its publisher last found, every second (a Check costs no query).
        services.AddSingleton<StoreHealthCheck>();
        services.AddGrpcHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [ReadyTag]);
        services.Configure<Grpc.AspNetCore.HealthChecks.GrpcHealthChecksOptions>(health => health.UseHealthChecksCache = true);
        services.Configure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(1);
        });
        return services;
    }

    /// <summary>The API rate limit, and the client address taken from X-Forwarded-For only when sent by a trusted proxy.</summary>
    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.Calls >= 1, "RateLimit:Calls must be at least 1 (RateLimit:Enabled=false switches the limit off).")
            .Validate(o => o.WindowSeconds > 0, "RateLimit:WindowSeconds must be more than 0.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersSettings>().Bind(configuration.GetSection(ForwardedHeadersSettings.Section))
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "ForwardedHeaders:KnownProxies must hold IP addresses.")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "ForwardedHeaders:KnownNetworks must hold networks in CIDR notation (10.0.0.0/8).")
            .ValidateOnStart();
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
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section))
            .Validate(o => o.CommandTimeoutSeconds >= 1, "Database:CommandTimeoutSeconds must be at least 1.")
            .Validate(o => o.RetryTries >= 1, "Database:RetryTries must be at least 1.")
            .Validate(o => o.RetryMaxDelaySeconds >= 0, "Database:RetryMaxDelaySeconds must be 0 or more.")
            .ValidateOnStart();
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
        services.AddMetrics();
        services.TryAddSingleton<AnalyticsMetrics>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton(typeof(AuthCache<,>));
        services.AddSingleton<IdentityStore>();
        services.AddSingleton<StoreVersionReader>();
        services.AddSingleton<ConversationCounts>();
        services.AddSingleton<RoomScopes>();
        services.AddSingleton<ReportQuery>();
        services.AddSingleton<ReportTotals>();
        services.AddSingleton<ScopeTotals>();
        services.AddSingleton<EdgeHours>();
        services.AddSingleton<ScopeEdgeDays>();
        services.AddSingleton<KeptAnswers>();
        services.AddSingleton<ReportCounts>();
        services.AddSingleton<ReportLabels>();
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

    /// <summary>The service's own settings, each checked at start with a message that names it (docs: README, Settings).</summary>
    public static IServiceCollection AddAnalyticsSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnalyticsOptions>().Bind(configuration.GetSection(AnalyticsOptions.Section))
            .Validate(o => ServerTimeZone.Find(o.TimeZone) is not null, "Analytics:TimeZone must be a time zone known to this machine (an IANA id such as Europe/Paris).")
            .Validate(o => o.AuthCacheSeconds >= 0, "Analytics:AuthCacheSeconds must be 0 or more.")
            .Validate(o => o.ReadinessCacheSeconds >= 0, "Analytics:ReadinessCacheSeconds must be 0 or more.")
            .Validate(o => o.ShutdownSeconds > 0, "Analytics:ShutdownSeconds must be more than 0.")
            .Validate(o => o.RestrictedTotalsScopes is 0 or (>= 3 and <= 1000), "Analytics:RestrictedTotalsScopes must be 0 (none kept) or from 3 to 1000.")
            .ValidateOnStart();
        services.AddSingleton(provider => new ServerTimeZone(ServerTimeZone.Find(provider.GetRequiredService<IOptions<AnalyticsOptions>>().Value.TimeZone)!));
        // SIGTERM: in-flight calls get this long to finish; then open connections (a client that never ends its
        // request) are closed and the process exits.
        // (Read from the configuration itself: the host reads its options as it is built, before the check of settings
        // can say in one line what is wrong with them.)
        var shutdownSeconds = double.TryParse(configuration[$"{AnalyticsOptions.Section}:{nameof(AnalyticsOptions.ShutdownSeconds)}"],
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds : new AnalyticsOptions().ShutdownSeconds;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(shutdownSeconds));
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
