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
        var rows = scope.IsRestricted
            ? await query.RunAsync<LabelCountRow>(sql.CountByTags, sql.CountByTagsRestricted, start, end, scope, cancellationToken)
            : (await counts.CountAsync(ReportDimension.Tags, start, end, cancellationToken)).Select(c => c.Key == ReportKey.Unspecified
                ? new LabelCountRow { Unspecified = 1, Total = c.Value }
                : new LabelCountRow { Label = c.Key.K1Kind == (byte)FieldKind.Value ? c.Key.K1 : null, Total = c.Value }).ToList();
        var (data, total, unspecified) = LabelledRows.Sorted(rows, sort);
        var response = new GetConversationsByTagsResponse { Total = total, Unspecified = unspecified, Success = true };
        response.Data.AddRange(data);
        return response;
    }
}
