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

/// <summary>Rows keyed by their label alone (departments, tags): sorted by total and _id (the label), the unspecified row apart.</summary>
public static class LabelledRows
{
    public static (List<ReportRow> Data, int Total, int Unspecified) Sorted(List<LabelCountRow> rows, ReportSort sort)
    {
        var counted = rows.Where(r => r.Unspecified == 0).ToList();
        var sorted = sort.Apply(counted, (r, key) => key switch { "total" => r.Total, "_id" => r.Label, _ => null }, r => r.Label, _ => null);
        return (sorted.Select(r => Row.Of(r.Label, r.Total)).ToList(), checked((int)counted.Sum(r => r.Total)),
            checked((int)rows.Where(r => r.Unspecified == 1).Sum(r => r.Total)));
    }
}
