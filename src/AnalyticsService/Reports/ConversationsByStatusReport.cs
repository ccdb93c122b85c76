using Analytics.V1;
using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>Shapes status counts into Rocket.Chat's answer (docs/behaviour.md, section 6).</summary>
public static class ConversationsByStatusReport
{
    public static GetConversationsByStatusResponse ToResponse(StatusCounts counts)
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
