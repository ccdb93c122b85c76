using AnalyticsService.Api;
using AnalyticsService.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>
/// Answers 503 / Unavailable when the store cannot be reached or does not answer in time. A call whose client went
/// away or whose deadline passed stops its SQL command (every command takes the call's token, see Store.QueryAsync);
/// that is no failure of the store, and ends the call as Cancelled or DeadlineExceeded without a log line.
/// </summary>
public sealed class StoreFailureInterceptor(ILogger<StoreFailureInterceptor> logger, TimeProvider clock) : UnaryPipelineInterceptor
{
    private const int DeadlineMarginMilliseconds = 100;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Task<TResponse> response;
        try
        {
            response = continuation(request, context);
        }
        catch (Exception ex)
        {
            response = Task.FromException<TResponse>(ex);
        }
        // A call answered at once (from what is kept in memory) needs no watching.
        return response.IsCompletedSuccessfully ? response : GuardAsync(response, context);
    }

    private async Task<TResponse> GuardAsync<TResponse>(Task<TResponse> response, ServerCallContext context)
    {
        try
        {
            return await response;
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex) && !context.CancellationToken.IsCancellationRequested)
        {
            // The exception's type and message only: its data could hold connection details.
            logger.LogError("Store failure in {Method}: {ExceptionType}: {Message}", context.Method, ex.GetType().Name, ex.Message);
            throw ApiError.StoreUnavailable.ToException();
        }
        catch (Exception ex) when (ex is not RpcException && context.CancellationToken.IsCancellationRequested)
        {
            // The call's token is cancelled by its client going away or by its deadline (grpc-dotnet's timer can fire a
            // little before the deadline it reports, hence the margin).
            throw clock.GetUtcNow().UtcDateTime >= context.Deadline.AddMilliseconds(-DeadlineMarginMilliseconds)
                ? new RpcException(new Status(StatusCode.DeadlineExceeded, "The call's deadline passed."))
                : new RpcException(new Status(StatusCode.Cancelled, "The call's client went away."));
        }
    }
}
