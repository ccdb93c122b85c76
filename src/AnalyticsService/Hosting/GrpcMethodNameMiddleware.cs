using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace AnalyticsService.Hosting;

/// <summary>
/// gRPC method names are case-sensitive, but ASP.NET Core's routing is not: "/analytics.v1.dashboards/getconversationsbystatus"
/// reaches the handler. A gRPC call whose path is not the method's exact name is answered UNIMPLEMENTED here, before
/// any interceptor runs, as an unknown method is. REST paths (transcoding) stay case-insensitive, as Rocket.Chat's are.
/// </summary>
public sealed class GrpcMethodNameMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (GrpcEndpoints.MethodOf(context) is { } method && !IsExactly(context.Request.Path.Value, method.ServiceName, method.Name))
        {
            // A trailers-only response, as grpc-dotnet answers an unknown method.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "12";
            context.Response.Headers["grpc-message"] = "Method is unimplemented.";
            return Task.CompletedTask;
        }
        return next(context);
    }

    private static bool IsExactly(string? path, string service, string name) =>
        path is not null && path.Length == service.Length + name.Length + 2 && path[0] == '/' && path[service.Length + 1] == '/'
        && string.CompareOrdinal(path, 1, service, 0, service.Length) == 0
        && string.CompareOrdinal(path, service.Length + 2, name, 0, name.Length) == 0;
}

public static class GrpcEndpoints
{
    /// <summary>The gRPC method a request's endpoint calls as gRPC; null for anything else, its REST transcoding included.</summary>
    public static Grpc.Core.IMethod? MethodOf(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        return metadata?.GetMetadata<GrpcMethodMetadata>() is { } grpc && metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null ? grpc.Method : null;
    }
}
