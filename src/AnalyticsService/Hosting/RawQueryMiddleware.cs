using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;

namespace AnalyticsService.Hosting;

/// <summary>The query string as the client sent it, kept for the schema check.</summary>
public sealed record RawQueryFeature(IQueryCollection Query);

/// <summary>
/// Transcoding fails a request whose parameter is repeated (start=a&amp;start=b) before any interceptor runs, which
/// would answer before authentication. For REST endpoints this keeps the client's query in <see cref="RawQueryFeature"/>
/// and shows transcoding only the single-valued parameters; the query-schema interceptor judges the original.
/// </summary>
public sealed class RawQueryMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null)
        {
            context.Features.Set(new RawQueryFeature(query));
            if (query.Any(p => p.Value.Count > 1))
                context.Request.Query = new QueryCollection(query.Where(p => p.Value.Count == 1).ToDictionary(p => p.Key, p => p.Value));
        }
        return next(context);
    }
}
