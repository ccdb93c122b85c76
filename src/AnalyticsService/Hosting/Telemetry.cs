using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AnalyticsService.Hosting;

/// <summary>Settings section "Telemetry".</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// Where /metrics (Prometheus' text format) is served: "Rest" (the REST listener), "Management" (the listener
    /// Kestrel:Endpoints:Management, which then serves it and the probes only) or "None".
    /// </summary>
    public string MetricsListener { get; set; } = Listeners.Rest;
}

/// <summary>
/// The service's own measurements, as OpenTelemetry meters: calls per report and outcome with their duration, answers
/// served from memory or read from the store, store-version reads, rows imported and synced, and the sync's lag.
/// </summary>
public sealed class AnalyticsMetrics : IDisposable
{
    public const string MeterName = "Analytics";

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _answers;
    private readonly Counter<long> _versionReads;
    private readonly Counter<long> _rowsImported;
    private readonly Counter<long> _rowsSynced;
    private readonly Histogram<double> _totalsLoads;
    private double? _syncLagSeconds;

    public AnalyticsMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        // The calls are counted by this histogram alone (its count: analytics_call_duration_seconds_count in Prometheus).
        _duration = _meter.CreateHistogram<double>("analytics.call.duration", "s", "Calls per report (rpc) and outcome (gRPC status code), and how long they took.");
        _answers = _meter.CreateCounter<long>("analytics.answers", "{answer}", "Answers served from memory (kept, still current) or read from the store.");
        _versionReads = _meter.CreateCounter<long>("analytics.store_version.reads", "{read}", "Reads of the store version (to know whether kept answers still hold).");
        _rowsImported = _meter.CreateCounter<long>("analytics.rows.imported", "{row}", "Documents written to the store by import, per collection.");
        _rowsSynced = _meter.CreateCounter<long>("analytics.rows.synced", "{row}", "Documents written or deleted by following MongoDB.");
        _totalsLoads = _meter.CreateHistogram<double>("analytics.totals.load.duration", "s",
            "Loads of the counts held in memory: every cell (kind full) or the days writes changed (kind changed_days), and how long they took.");
        _meter.CreateObservableGauge("analytics.sync.lag", () => _syncLagSeconds is { } lag ? [new Measurement<double>(lag)] : Array.Empty<Measurement<double>>(),
            "s", "Now minus the time of the newest change applied from MongoDB.");
    }

    public void Call(string report, string outcome, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new TagList { { "report", report }, { "outcome", outcome } });

    public void Answer(bool fromMemory) => _answers.Add(1, new KeyValuePair<string, object?>("source", fromMemory ? "memory" : "store"));

    public void StoreVersionRead() => _versionReads.Add(1);

    public void RowsImported(string collection, long rows) => _rowsImported.Add(rows, new KeyValuePair<string, object?>("collection", collection));

    public void RowsSynced(long rows) => _rowsSynced.Add(rows);

    public void TotalsLoaded(string kind, TimeSpan duration) => _totalsLoads.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));

    public void SyncLag(TimeSpan lag) => _syncLagSeconds = lag.TotalSeconds;

    /// <summary>The newest lag recorded, for the readiness answer; null before any change was applied.</summary>
    public TimeSpan? LastSyncLag => _syncLagSeconds is { } lag ? TimeSpan.FromSeconds(lag) : null;

    public void Dispose() => _meter.Dispose();
}

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics and traces through OpenTelemetry: ASP.NET Core (which carries the gRPC server's calls), the runtime,
    /// SqlClient and the service's own meter; exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, and for
    /// Prometheus at /metrics on the listener Telemetry:MetricsListener names.
    /// </summary>
    public static IServiceCollection AddAnalyticsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section))
            .Validate(o => o.MetricsListener is Listeners.Rest or Listeners.Management or "None", "Telemetry:MetricsListener must be Rest, Management or None.")
            .Validate(o => o.MetricsListener != Listeners.Management || !string.IsNullOrEmpty(configuration["Kestrel:Endpoints:Management:Url"]),
                "Telemetry:MetricsListener is Management, but Kestrel:Endpoints:Management:Url is not set.")
            .ValidateOnStart();
        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = (configuration[$"{TelemetryOptions.Section}:{nameof(TelemetryOptions.MetricsListener)}"] ?? Listeners.Rest) != "None";
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("analytics"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddSqlClientInstrumentation().AddMeter(AnalyticsMetrics.MeterName);
                if (prometheus)
                    metrics.AddPrometheusExporter();
                if (otlp)
                    metrics.AddOtlpExporter();
            });
        // Traces only where they go somewhere: recording a span per call for no exporter costs throughput for nothing.
        if (otlp)
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation() // a gRPC call's span carries grpc.method and grpc.status_code (grpc-dotnet's tags)
                .AddSqlClientInstrumentation().AddOtlpExporter());
        return services;
    }

    /// <summary>/metrics, unless Telemetry:MetricsListener is None.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value.MetricsListener != "None")
            app.MapPrometheusScrapingEndpoint("/metrics"); // on which listener: ListenerRoutesMiddleware
        return app;
    }
}
