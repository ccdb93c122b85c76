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
        var rows = !scope.IsRestricted ? await NamedAsync(await counts.CountAsync(ReportDimension.Agent, start, end, cancellationToken), cancellationToken)
            : await counts.CountRestrictedAsync(ReportDimension.Agent, start, end, scope, cancellationToken) is { } cells ? await NamedAsync(cells, cancellationToken)
            : await query.RunAsync<AgentCountRow>(sql.CountByAgent, sql.CountByAgentRestricted, start, end, scope, cancellationToken);
        var (counted, unspecified) = CountedRows.Split(rows);
        var sorted = sort.Apply(counted, (r, key) => key switch { "total" => r.Total, "name" => Label(r), "_id" => r.AgentId, _ => null },
            Label, r => r.AgentId);
        var response = new GetConversationsByAgentResponse
        {
            Total = checked((int)counted.Sum(r => r.Total)),
            Unspecified = checked((int)unspecified),
            Success = true,
        };
        response.Data.AddRange(sorted.ConvertAll(r => Row.Of(Label(r), r.Total)));
        return response;
    }

    private async Task<List<AgentCountRow>> NamedAsync(Dictionary<ReportKey, long> cells, CancellationToken cancellationToken)
    {
        var ids = new List<string>(cells.Count);
        foreach (var key in cells.Keys)
        {
            if (key.K1Kind == (byte)FieldKind.Value)
                ids.Add(key.K1);
        }
        var names = await labels.UserNamesAsync(ids, cancellationToken);
        var rows = new List<AgentCountRow>(cells.Count);
        foreach (var (key, total) in cells)
        {
            rows.Add(key == ReportKey.Unspecified ? new AgentCountRow { Unspecified = 1, Total = total }
                : key.K1Kind == (byte)FieldKind.Value ? new AgentCountRow { AgentId = key.K1, Name = names.GetValueOrDefault(key.K1), Total = total }
                : new AgentCountRow { Total = total });
        }
        return rows;
    }

    private static string? Label(AgentCountRow row) => row.Name ?? row.AgentId;
}
