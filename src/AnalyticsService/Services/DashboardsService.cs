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
    public override async Task<GetConversationsByStatusResponse> GetConversationsByStatus(GetConversationsByStatusRequest request, ServerCallContext context) =>
        await AnswerAsync(nameof(GetConversationsByStatus), request.Start, request.End, null, context, async (range, scope, cancellationToken) =>
            ConversationsByStatusReport.ToResponse(await conversations.CountByStatusAsync(range.Start, range.End, scope, cancellationToken)));

    public override async Task<GetConversationsBySourceResponse> GetConversationsBySource(GetConversationsBySourceRequest request, ServerCallContext context) =>
        await AnswerAsync(nameof(GetConversationsBySource), request.Start, request.End, null, context,
            (range, scope, cancellationToken) => bySource.AnswerAsync(range.Start, range.End, scope, cancellationToken));

    public override async Task<GetConversationsByDepartmentResponse> GetConversationsByDepartment(GetConversationsByDepartmentRequest request, ServerCallContext context)
    {
        var sort = ReportSort.Parse(request.Sort, ConversationsByDepartmentReport.DefaultSort);
        return await AnswerAsync(nameof(GetConversationsByDepartment), request.Start, request.End, request.Sort, context,
            (range, scope, cancellationToken) => byDepartment.AnswerAsync(range.Start, range.End, scope, sort, cancellationToken));
    }

    public override async Task<GetConversationsByTagsResponse> GetConversationsByTags(GetConversationsByTagsRequest request, ServerCallContext context)
    {
        var sort = ReportSort.Parse(request.Sort, ConversationsByTagsReport.DefaultSort);
        return await AnswerAsync(nameof(GetConversationsByTags), request.Start, request.End, request.Sort, context,
            (range, scope, cancellationToken) => byTags.AnswerAsync(range.Start, range.End, scope, sort, cancellationToken));
    }

    public override async Task<GetConversationsByAgentResponse> GetConversationsByAgent(GetConversationsByAgentRequest request, ServerCallContext context)
    {
        var sort = ReportSort.Parse(request.Sort, ConversationsByAgentReport.DefaultSort);
        return await AnswerAsync(nameof(GetConversationsByAgent), request.Start, request.End, request.Sort, context,
            (range, scope, cancellationToken) => byAgent.AnswerAsync(range.Start, range.End, scope, sort, cancellationToken));
    }

    // The dates are checked before anything is read; then who sees which rooms; then the answer, kept or computed.
    private async Task<TAnswer> AnswerAsync<TAnswer>(string report, string start, string end, string? sort, ServerCallContext context,
        Func<ReportRange, RoomScope, CancellationToken, Task<TAnswer>> compute) where TAnswer : class, Google.Protobuf.IMessage
    {
        var range = ReportRange.Parse(start, end, zone);
        var scope = await scopes.ForAsync(context.GetCaller(), context.CancellationToken);
        return await kept.GetOrComputeAsync(report, range, scope, sort, () => compute(range, scope, context.CancellationToken), context.CancellationToken);
    }
}
