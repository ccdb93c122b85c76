using AnalyticsService.RateLimiting;
using AnalyticsService.Services;

namespace AnalyticsService.Hosting;

public static class WebApplicationExtensions
{
    public static WebApplication MapAnalyticsApi(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ForwardedHeadersSettings>().Any)
            app.UseForwardedHeaders();
        app.UseMiddleware<RawQueryMiddleware>();
        app.MapGrpcService<DashboardsService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        return app;
    }
}
