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
        var cells = !scope.IsRestricted ? await counts.CountAsync(ReportDimension.Source, start, end, cancellationToken)
            : await counts.CountRestrictedAsync(ReportDimension.Source, start, end, scope, cancellationToken)
              ?? await counts.CountSourcesAsync(start, end, scope, cancellationToken);
        var labelled = cells.Select(c => (Label: Label(c.Key), Total: c.Value)).ToList();
        var response = new GetConversationsBySourceResponse { Total = checked((int)labelled.Sum(r => r.Total)), Success = true };
        var sorted = ReportSort.ByTotalDescending.Apply(labelled, (r, key) => key == "total" ? r.Total : null, r => r.Label, _ => null);
        response.Data.AddRange(sorted.ConvertAll(r => Row.Of(r.Label, r.Total)));
        return response;
    }

    // $ifNull(alias, type): the alias unless it is absent or null (the key's second value is source.alias, its first source.type).
    private static string? Label(ReportKey key) =>
        key.K2Kind == (byte)FieldKind.Value ? key.K2 : key.K1Kind == (byte)FieldKind.Value ? key.K1 : null;
}
