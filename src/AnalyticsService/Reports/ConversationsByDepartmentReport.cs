using Analytics.V1;
using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>
/// Conversations by department name (docs/behaviour.md, "By department"): departments sharing a name are one row, a
/// deleted department's conversations count nowhere, and those without a departmentId field are unspecified.
/// </summary>
public sealed class ConversationsByDepartmentReport(ReportQuery query, Store store)
{
    public static ReportSort DefaultSort => ReportSort.ByTotalAscending;

    public async Task<GetConversationsByDepartmentResponse> AnswerAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, ReportSort sort,
        CancellationToken cancellationToken)
    {
        var sql = store.Dialect;
        var rows = await query.RunAsync<LabelCountRow>(sql.CountByDepartment, sql.CountByDepartmentRestricted, start, end, scope, cancellationToken);
        var (data, total, unspecified) = LabelledRows.Sorted(rows, sort);
        var response = new GetConversationsByDepartmentResponse { Total = total, Unspecified = unspecified, Success = true };
        response.Data.AddRange(data);
        return response;
    }
}
