using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Hosting;

/// <summary>
/// The two listeners of appsettings.json, each serving what README's table says: <c>Rest</c> (HTTP/1.1) the REST
/// routes and plain HTTP endpoints, <c>Grpc</c> (h2c) the gRPC services. Each connection is tagged with the name of
/// the listener that accepted it; <see cref="ListenerRoutesMiddleware"/> answers 404 to what the other one serves.
/// </summary>
public static class Listeners
{
    public const string Rest = "Rest";
    public const string Grpc = "Grpc";

    /// <summary>An optional third listener (Kestrel:Endpoints:Management) for /metrics and the probes, kept off the public ones.</summary>
    public const string Management = "Management";

    public static IServiceCollection AddListeners(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
            kestrel.Configure(configuration.GetSection("Kestrel"), reloadOnChange: false)
                .Endpoint(Rest, endpoint => Tag(endpoint.ListenOptions, Rest))
                .Endpoint(Grpc, endpoint => Tag(endpoint.ListenOptions, Grpc))
                .Endpoint(Management, endpoint => Tag(endpoint.ListenOptions, Management)));
        return services;
    }

    private static void Tag(ListenOptions listen, string name) =>
        listen.Use(next => connection =>
        {
            connection.Items[typeof(Listeners)] = name;
            return next(connection);
        });

    /// <summary>The name of the listener that accepted this request's connection; null when not one of the two (a test server).</summary>
    public static string? Of(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(Listeners), out var name) == true ? name as string : null;
}

/// <summary>
/// A request for what another listener serves is answered 404, whatever its path's case: gRPC on the gRPC listener,
/// REST on the REST one, /metrics where Telemetry:MetricsListener says, and on a Management listener only /metrics and
/// the probes.
/// </summary>
public sealed class ListenerRoutesMiddleware(RequestDelegate next, IOptions<TelemetryOptions> telemetry)
{
    public Task InvokeAsync(HttpContext context)
    {
        var listener = Listeners.Of(context);
        if (listener is null)
            return next(context);
        var path = context.Request.Path;
        var metrics = path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);
        if (metrics || listener == Listeners.Management)
        {
            var served = metrics ? listener == telemetry.Value.MetricsListener : path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase);
            if (served)
                return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        var grpc = GrpcEndpoints.MethodOf(context) is not null;
        var gRpcRequest = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
        // On the gRPC listener only gRPC calls (grpc-dotnet answers an unknown method itself); on the REST listener no gRPC.
        if (listener == Listeners.Grpc ? grpc || gRpcRequest : !grpc)
            return next(context);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
