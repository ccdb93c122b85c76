using AnalyticsService.Api;
using AnalyticsService.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>
/// Answers 503 / Unavailable when the store cannot be reached or does not answer in time. A call whose client went
/// away or whose deadline passed cancels its SQL command (every command takes the call's token); that is no failure.
/// </summary>
public sealed class StoreFailureInterceptor(ILogger<StoreFailureInterceptor> logger) : UnaryPipelineInterceptor
{
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
    }
}
