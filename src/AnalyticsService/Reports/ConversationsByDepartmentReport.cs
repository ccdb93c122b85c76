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
        var rows = await ByNameAsync(!scope.IsRestricted ? await counts.CountAsync(ReportDimension.Department, start, end, cancellationToken)
            : await counts.CountRestrictedAsync(ReportDimension.Department, start, end, scope, cancellationToken)
              ?? await counts.CountDepartmentsAsync(start, end, scope, cancellationToken), cancellationToken);
        var (data, total, unspecified) = LabelledRows.Sorted(rows, sort);
        var response = new GetConversationsByDepartmentResponse { Total = total, Unspecified = unspecified, Success = true };
        response.Data.AddRange(data);
        return response;
    }

    // Departments sharing a name are one row; the rooms of a department no longer stored count nowhere.
    private async Task<List<LabelCountRow>> ByNameAsync(Dictionary<ReportKey, long> cells, CancellationToken cancellationToken)
    {
        var names = await labels.DepartmentNamesAsync(cancellationToken);
        var byName = new Dictionary<string, LabelCountRow>(StringComparer.Ordinal);
        LabelCountRow? unnamed = null, unspecified = null; // a department stored without a name; rooms without departmentId
        foreach (var (key, total) in cells)
        {
            LabelCountRow row;
            if (key == ReportKey.Unspecified)
                row = unspecified ??= new LabelCountRow { Unspecified = 1 };
            else if (!names.TryGetValue(key.K1, out var name))
                continue;
            else if (name is null)
                row = unnamed ??= new LabelCountRow();
            else if (!byName.TryGetValue(name, out row!))
                byName[name] = row = new LabelCountRow { Label = name };
            row.Total += total;
        }
        var rows = new List<LabelCountRow>(byName.Count + 2);
        rows.AddRange(byName.Values);
        if (unnamed is not null)
            rows.Add(unnamed);
        if (unspecified is not null)
            rows.Add(unspecified);
        return rows;
    }
}
