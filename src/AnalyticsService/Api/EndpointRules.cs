using Analytics.V1;

namespace AnalyticsService.Api;

/// <summary>What Rocket.Chat's route declares for an endpoint: its query schema and the permission it requires.</summary>
public sealed record EndpointRule(QuerySchema Query, string Permission);

public static class EndpointRules
{
    public const string ViewLivechatReports = "view-livechat-reports";

    // Every report of the Reports page takes the same query and needs the same permission.
    private static readonly EndpointRule Report = new(new QuerySchema(["start", "end", "sort"], ["start", "end"]), ViewLivechatReports);

    private static readonly Dictionary<string, EndpointRule> ByMethod = Dashboards.Descriptor.Methods
        .ToDictionary(method => "/" + Dashboards.Descriptor.FullName + "/" + method.Name, _ => Report, StringComparer.Ordinal);

    /// <summary>The rule of a gRPC method ("/package.Service/Method").</summary>
    public static EndpointRule For(string method) =>
        ByMethod.TryGetValue(method, out var rule)
            ? rule
            : throw new InvalidOperationException($"No endpoint rule for {method}."); // a new rpc must declare its rule here
}
