using Analytics.V1;
using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>
/// Conversations by where they came from (docs/behaviour.md, "By source"): one row per distinct (source.type,
/// source.alias), an absent alias and a null one apart, labelled by the alias, else the type; by value descending.
/// </summary>
public sealed class ConversationsBySourceReport(ReportCounts counts)
{
    public async Task<GetConversationsBySourceResponse> AnswerAsync(DateTimeOffset start, DateTimeOffset end, RoomScope scope, CancellationToken cancellationToken)
    {
        var cells = scope.IsRestricted
            ? await counts.CountSourcesAsync(start, end, scope, cancellationToken)
            : await counts.CountAsync(ReportDimension.Source, start, end, cancellationToken);
        var rows = cells.Select(c => new SourceCountRow
        {
            TypeKind = c.Key.K1Kind, Type = c.Key.K1Kind == (byte)FieldKind.Value ? c.Key.K1 : null,
            AliasKind = c.Key.K2Kind, Alias = c.Key.K2Kind == (byte)FieldKind.Value ? c.Key.K2 : null, Total = c.Value,
        }).ToList();
        var labelled = rows.Select(r => (Label: Label(r), r.Total)).ToList();
        var response = new GetConversationsBySourceResponse { Total = checked((int)labelled.Sum(r => r.Total)), Success = true };
        var sorted = ReportSort.ByTotalDescending.Apply(labelled, (r, key) => key == "total" ? r.Total : null, r => r.Label, _ => null);
        response.Data.AddRange(sorted.Select(r => Row.Of(r.Label, r.Total)));
        return response;
    }

    // $ifNull(alias, type): the alias unless it is absent or null.
    private static string? Label(SourceCountRow row) =>
        row.AliasKind == (long)FieldKind.Value ? row.Alias : row.TypeKind == (long)FieldKind.Value ? row.Type : null;
}
