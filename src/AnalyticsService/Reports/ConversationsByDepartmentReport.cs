using Analytics.V1;
using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>
/// Conversations by department name (docs/behaviour.md, "By department"): departments sharing a name are one row, a
/// deleted department's conversations count nowhere, and those without a departmentId field are unspecified.
/// </summary>
public sealed class ConversationsByDepartmentReport(ReportCounts counts, ReportLabels labels)
{
    public static ReportSort DefaultSort => ReportSort.ByTotalAscending;

    public async Task<GetConversationsByDepartmentResponse> AnswerAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, ReportSort sort,
        CancellationToken cancellationToken)
    {
        var rows = await ByNameAsync(scope.IsRestricted
            ? await counts.CountDepartmentsAsync(start, end, scope, cancellationToken)
            : await counts.CountAsync(ReportDimension.Department, start, end, cancellationToken), cancellationToken);
        var (data, total, unspecified) = LabelledRows.Sorted(rows, sort);
        var response = new GetConversationsByDepartmentResponse { Total = total, Unspecified = unspecified, Success = true };
        response.Data.AddRange(data);
        return response;
    }

    // Departments sharing a name are one row; the rooms of a department no longer stored count nowhere.
    private async Task<List<LabelCountRow>> ByNameAsync(Dictionary<ReportKey, long> cells, CancellationToken cancellationToken)
    {
        var names = await labels.DepartmentNamesAsync(cancellationToken);
        var rows = new List<LabelCountRow>();
        foreach (var group in cells.Where(c => c.Key == ReportKey.Unspecified || names.ContainsKey(c.Key.K1))
                     .GroupBy(c => c.Key == ReportKey.Unspecified ? (Unspecified: 1, Name: (string?)null) : (Unspecified: 0, Name: names[c.Key.K1])))
            rows.Add(new LabelCountRow { Unspecified = group.Key.Unspecified, Label = group.Key.Name, Total = group.Sum(c => c.Value) });
        return rows;
    }
}
