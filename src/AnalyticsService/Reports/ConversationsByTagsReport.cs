using Analytics.V1;
using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>
/// Tag uses (docs/behaviour.md, "By tags"): each element of a conversation's tags is one use of that tag; those with
/// no tags field or an empty one are unspecified, a null tags counts nowhere.
/// </summary>
public sealed class ConversationsByTagsReport(ReportQuery query, ReportCounts counts, Store store)
{
    public static ReportSort DefaultSort => ReportSort.ByTotalAscending;

    public async Task<GetConversationsByTagsResponse> AnswerAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, ReportSort sort,
        CancellationToken cancellationToken)
    {
        var sql = store.Dialect;
        var rows = !scope.IsRestricted ? Labelled(await counts.CountAsync(ReportDimension.Tags, start, end, cancellationToken))
            : await counts.CountRestrictedAsync(ReportDimension.Tags, start, end, scope, cancellationToken) is { } cells ? Labelled(cells)
            : await query.RunAsync<LabelCountRow>(sql.CountByTags, sql.CountByTagsRestricted, start, end, scope, cancellationToken);
        var (data, total, unspecified) = LabelledRows.Sorted(rows, sort);
        var response = new GetConversationsByTagsResponse { Total = total, Unspecified = unspecified, Success = true };
        response.Data.AddRange(data);
        return response;
    }

    private static List<LabelCountRow> Labelled(Dictionary<ReportKey, long> cells)
    {
        var rows = new List<LabelCountRow>(cells.Count);
        foreach (var (key, total) in cells)
        {
            rows.Add(key == ReportKey.Unspecified ? new LabelCountRow { Unspecified = 1, Total = total }
                : new LabelCountRow { Label = key.K1Kind == (byte)FieldKind.Value ? key.K1 : null, Total = total });
        }
        return rows;
    }
}
