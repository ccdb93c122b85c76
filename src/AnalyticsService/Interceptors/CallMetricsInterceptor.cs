using AnalyticsService.Hosting;
using Grpc.Core;

namespace AnalyticsService.Interceptors;

/// <summary>Counts every call per report and outcome (its gRPC status code), with its duration (<see cref="AnalyticsMetrics"/>).</summary>
public sealed class CallMetricsInterceptor(AnalyticsMetrics metrics, TimeProvider clock) : UnaryPipelineInterceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = clock.GetTimestamp();
        Task<TResponse> call;
        try
        {
            call = continuation(request, context);
        }
        catch (Exception ex)
        {
            call = Task.FromException<TResponse>(ex);
        }
        if (call.IsCompletedSuccessfully)
        {
            Record(context, StatusCode.OK, started);
            return call;
        }
        return ObserveAsync(call, context, started);
    }

    private async Task<TResponse> ObserveAsync<TResponse>(Task<TResponse> call, ServerCallContext context, long started)
    {
        try
        {
            var response = await call;
            Record(context, StatusCode.OK, started);
            return response;
        }
        catch (Exception ex)
        {
            Record(context, CallContextExtensions.OutcomeOf(ex), started);
            throw;
        }
    }

    private void Record(ServerCallContext context, StatusCode outcome, long started) =>
        metrics.Call(context.Report(), outcome.ToString(), clock.GetElapsedTime(started));
}
