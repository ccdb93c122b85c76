using Analytics.V1;
using AnalyticsService.Storage;
using BitFaster.Caching.Lru;

namespace AnalyticsService.Reports;

/// <summary>Shapes status counts into Rocket.Chat's answer (docs/behaviour.md, section 6).</summary>
public static class ConversationsByStatusReport
{
    // The same numbers give the same message; messages are only read once built, so one can answer many calls
    // (measured as needed: see ReportRange.Parse).
    private static readonly ConcurrentLru<StatusCounts, GetConversationsByStatusResponse> Built = new(10_000);

    public static GetConversationsByStatusResponse ToResponse(StatusCounts counts) =>
        Built.GetOrAdd(counts, Build);

    private static GetConversationsByStatusResponse Build(StatusCounts counts)
    {
        var response = new GetConversationsByStatusResponse { Total = checked((int)counts.Total), Success = true };
        if (counts.Total == 0)
            return response;
        // This order breaks ties; OrderByDescending is a stable sort.
        (string Label, long Value)[] statuses =
        [
            ("Open", counts.Open),
            ("Closed", counts.Closed),
            ("Queued", counts.Queued),
            ("On_Hold", counts.OnHold),
        ];
        response.Data.AddRange(statuses
            .OrderByDescending(s => s.Value)
            .Select(s => new StatusCount { Label = s.Label, Value = checked((int)s.Value) }));
        return response;
    }
}
