using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;

namespace AnalyticsService.Hosting;

/// <summary>
/// The query string as a Node server reads it: names are case-sensitive (ASP.NET Core's are not) and a name may
/// come more than once. Pairs keep their order; a pair without a name is dropped, as qs does.
/// </summary>
public sealed record RawQueryFeature(IReadOnlyList<KeyValuePair<string, string>> Pairs)
{
    public static RawQueryFeature Parse(string? queryString)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in (queryString ?? "").TrimStart('?').Split('&'))
        {
            var equals = part.IndexOf('=');
            var name = Decode(equals < 0 ? part : part[..equals]);
            if (name.Length > 0)
                pairs.Add(new(name, equals < 0 ? "" : Decode(part[(equals + 1)..])));
        }
        return new RawQueryFeature(pairs);
    }

    // decodeURIComponent after '+' becomes a space; a malformed escape stays as written.
    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}

/// <summary>
/// For REST endpoints, keeps the client's query in <see cref="RawQueryFeature"/> for the schema check, and shows
/// transcoding only the parameters given once: it fails a repeated one (start=a&amp;start=b) before any interceptor
/// runs, which would answer before authentication.
/// </summary>
public sealed class RawQueryMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null)
        {
            context.Features.Set(RawQueryFeature.Parse(context.Request.QueryString.Value));
            var query = context.Request.Query;
            if (query.Any(p => p.Value.Count > 1))
                context.Request.Query = new QueryCollection(query.Where(p => p.Value.Count == 1).ToDictionary(p => p.Key, p => p.Value));
        }
        return next(context);
    }
}
