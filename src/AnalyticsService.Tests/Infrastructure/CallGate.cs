using AnalyticsService.Api;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>
/// Holds a call at the innermost interceptor until its token is cancelled (its client went away, its deadline passed),
/// telling the test when it arrived; then the call either goes on to the service, which meets the cancelled token in
/// the store, or fails as a check would.
/// </summary>
public sealed class CallGate(bool goOnAfterCancel)
{
    public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool GoOnAfterCancel { get; } = goOnAfterCancel;
}

public sealed class CallGateInterceptor(CallGate gate) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        gate.Arrived.TrySetResult();
        var cancelled = new TaskCompletionSource();
        await using (context.CancellationToken.Register(() => cancelled.TrySetResult()))
            await cancelled.Task;
        return gate.GoOnAfterCancel ? await continuation(request, context)
            : throw ApiError.Failure("The \"start\" query parameter must be a valid date.").ToException();
    }
}
