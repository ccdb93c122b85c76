using Analytics.V1;
using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>
/// Conversations by the agent serving them (docs/behaviour.md, "By agent"): one row per servedBy._id, labelled by the
/// user's name, else its id (null for a servedBy that is null or has no _id); those without servedBy are unspecified.
/// </summary>
public sealed class ConversationsByAgentReport(ReportQuery query, ReportCounts counts, ReportLabels labels, Store store)
{
    public static ReportSort DefaultSort => ReportSort.ByNameAscending;

    public async Task<GetConversationsByAgentResponse> AnswerAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, ReportSort sort,
        CancellationToken cancellationToken)
    {
        var sql = store.Dialect;
        var rows = scope.IsRestricted
            ? await query.RunAsync<AgentCountRow>(sql.CountByAgent, sql.CountByAgentRestricted, start, end, scope, cancellationToken)
            : await NamedAsync(await counts.CountAsync(ReportDimension.Agent, start, end, cancellationToken), cancellationToken);
        var counted = rows.Where(r => r.Unspecified == 0).ToList();
        var sorted = sort.Apply(counted, (r, key) => key switch { "total" => r.Total, "name" => Label(r), "_id" => r.AgentId, _ => null },
            Label, r => r.AgentId);
        var response = new GetConversationsByAgentResponse
        {
            Total = checked((int)counted.Sum(r => r.Total)),
            Unspecified = checked((int)rows.Where(r => r.Unspecified == 1).Sum(r => r.Total)),
            Success = true,
        };
        response.Data.AddRange(sorted.Select(r => Row.Of(Label(r), r.Total)));
        return response;
    }

    private async Task<List<AgentCountRow>> NamedAsync(Dictionary<ReportKey, long> cells, CancellationToken cancellationToken)
    {
        var ids = cells.Keys.Where(k => k.K1Kind == (byte)FieldKind.Value).Select(k => k.K1).ToList();
        var names = await labels.UserNamesAsync(ids, cancellationToken);
        return cells.Select(c => c.Key == ReportKey.Unspecified ? new AgentCountRow { Unspecified = 1, Total = c.Value }
            : c.Key.K1Kind == (byte)FieldKind.Value ? new AgentCountRow { AgentId = c.Key.K1, Name = names.GetValueOrDefault(c.Key.K1), Total = c.Value }
            : new AgentCountRow { Total = c.Value }).ToList();
    }

    private static string? Label(AgentCountRow row) => row.Name ?? row.AgentId;
}
