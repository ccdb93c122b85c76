using AnalyticsService.RateLimiting;
using AnalyticsService.Services;

namespace AnalyticsService.Hosting;

public static class WebApplicationExtensions
{
    public static WebApplication MapAnalyticsApi(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ForwardedHeadersSettings>().Any)
            app.UseForwardedHeaders();
        app.UseMiddleware<ListenerRoutesMiddleware>();
        app.UseMiddleware<GrpcMethodNameMiddleware>();
        app.UseMiddleware<GrpcRequestArrivalMiddleware>();
        app.UseMiddleware<RawQueryMiddleware>();
        app.MapGrpcService<DashboardsService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        // A no-op REST endpoint: a liveness probe, and the benchmarks' baseline for the same server configuration.
        app.MapMetrics();
        app.MapGet("/ping", () => Results.Text("{\"success\":true}", "application/json"));
        // Probes, on the REST listener: live while the process serves; ready while the store answers what the reports need.
        app.MapHealthChecks("/healthz/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/healthz/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ServiceCollectionExtensions.ReadyTag),
            ResponseWriter = StoreHealthCheck.WriteAsync,
        });
        return app;
    }
}
