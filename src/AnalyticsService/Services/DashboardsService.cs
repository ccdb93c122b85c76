using Analytics.V1;
using AnalyticsService.Dates;
using AnalyticsService.Interceptors;
using AnalyticsService.Reports;
using AnalyticsService.Storage;
using Grpc.Core;

namespace AnalyticsService.Services;

/// <summary>
/// The dashboards. Authentication, the query schema and permissions have been checked by the interceptors
/// by the time a method runs; what remains is the endpoint's own work: the dates, then the counts.
/// </summary>
public sealed class DashboardsService(ConversationCounts conversations, RoomScopes scopes, ServerTimeZone zone) : Dashboards.DashboardsBase
{
    public override async Task<GetConversationsByStatusResponse> GetConversationsByStatus(GetConversationsByStatusRequest request, ServerCallContext context)
    {
        var range = ReportRange.Parse(request.Start, request.End, zone);
        var scope = await scopes.ForAsync(context.GetCaller(), context.CancellationToken);
        var counts = await conversations.CountByStatusAsync(range.Start, range.End, scope, context.CancellationToken);
        return ConversationsByStatusReport.ToResponse(counts);
    }
}
