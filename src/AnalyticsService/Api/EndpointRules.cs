using Analytics.V1;

namespace AnalyticsService.Api;

/// <summary>What Rocket.Chat's route declares for an endpoint: its query schema and the permission it requires.</summary>
public sealed record EndpointRule(QuerySchema Query, string Permission);

public static class EndpointRules
{
    public const string ViewLivechatReports = "view-livechat-reports";

    private static readonly Dictionary<string, EndpointRule> ByMethod = new(StringComparer.Ordinal)
    {
        ["/" + Dashboards.Descriptor.FullName + "/" + nameof(Dashboards.DashboardsBase.GetConversationsByStatus)] =
            new(new QuerySchema(["start", "end", "sort"], ["start", "end"]), ViewLivechatReports),
    };

    /// <summary>The rule of a gRPC method ("/package.Service/Method").</summary>
    public static EndpointRule For(string method) =>
        ByMethod.TryGetValue(method, out var rule)
            ? rule
            : throw new InvalidOperationException($"No endpoint rule for {method}."); // a new rpc must declare its rule here
}
