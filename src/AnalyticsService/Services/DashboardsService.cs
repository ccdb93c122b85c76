using Analytics.V1;
using AnalyticsService.Dates;
using AnalyticsService.Interceptors;
using AnalyticsService.Reports;
using AnalyticsService.Storage;
using Grpc.Core;

namespace AnalyticsService.Services;

/// <summary>
/// The dashboards. Authentication, the query schema and permissions have been checked by the interceptors
/// by the time a method runs; what remains is the endpoint's own work: the sort (where the report takes one), the
/// dates, then the answer: kept while the store is unchanged (<see cref="KeptAnswers"/>), else computed.
/// </summary>
public sealed class DashboardsService(ConversationCounts conversations, KeptAnswers kept, RoomScopes scopes, ServerTimeZone zone,
    ConversationsBySourceReport bySource, ConversationsByDepartmentReport byDepartment, ConversationsByTagsReport byTags,
    ConversationsByAgentReport byAgent) : Dashboards.DashboardsBase
{
    public override async Task<GetConversationsByStatusResponse> GetConversationsByStatus(GetConversationsByStatusRequest request, ServerCallContext context)
    {
        var (range, scope) = await RangeAndScopeAsync(request.Start, request.End, context);
        return await kept.GetOrComputeAsync(nameof(GetConversationsByStatus), range, scope, null, async () =>
            ConversationsByStatusReport.ToResponse(await conversations.CountByStatusAsync(range.Start, range.End, scope, context.CancellationToken)),
            context.CancellationToken);
    }

    public override async Task<GetConversationsBySourceResponse> GetConversationsBySource(GetConversationsBySourceRequest request, ServerCallContext context)
    {
        var (range, scope) = await RangeAndScopeAsync(request.Start, request.End, context);
        return await kept.GetOrComputeAsync(nameof(GetConversationsBySource), range, scope, null,
            () => bySource.AnswerAsync(range.Start, range.End, scope, context.CancellationToken), context.CancellationToken);
    }

    public override async Task<GetConversationsByDepartmentResponse> GetConversationsByDepartment(GetConversationsByDepartmentRequest request, ServerCallContext context)
    {
        var sort = ReportSort.Parse(request.Sort, ConversationsByDepartmentReport.DefaultSort);
        var (range, scope) = await RangeAndScopeAsync(request.Start, request.End, context);
        return await kept.GetOrComputeAsync(nameof(GetConversationsByDepartment), range, scope, request.Sort,
            () => byDepartment.AnswerAsync(range.Start, range.End, scope, sort, context.CancellationToken), context.CancellationToken);
    }

    public override async Task<GetConversationsByTagsResponse> GetConversationsByTags(GetConversationsByTagsRequest request, ServerCallContext context)
    {
        var sort = ReportSort.Parse(request.Sort, ConversationsByTagsReport.DefaultSort);
        var (range, scope) = await RangeAndScopeAsync(request.Start, request.End, context);
        return await kept.GetOrComputeAsync(nameof(GetConversationsByTags), range, scope, request.Sort,
            () => byTags.AnswerAsync(range.Start, range.End, scope, sort, context.CancellationToken), context.CancellationToken);
    }

    public override async Task<GetConversationsByAgentResponse> GetConversationsByAgent(GetConversationsByAgentRequest request, ServerCallContext context)
    {
        var sort = ReportSort.Parse(request.Sort, ConversationsByAgentReport.DefaultSort);
        var (range, scope) = await RangeAndScopeAsync(request.Start, request.End, context);
        return await kept.GetOrComputeAsync(nameof(GetConversationsByAgent), range, scope, request.Sort,
            () => byAgent.AnswerAsync(range.Start, range.End, scope, sort, context.CancellationToken), context.CancellationToken);
    }

    // The dates are checked before anything is read; then who sees which rooms.
    private async ValueTask<(ReportRange Range, RoomScope Scope)> RangeAndScopeAsync(string start, string end, ServerCallContext context)
    {
        var range = ReportRange.Parse(start, end, zone);
        return (range, await scopes.ForAsync(context.GetCaller(), context.CancellationToken));
    }
}
