using Grpc.Core;

namespace AnalyticsService.Interceptors;

/// <summary>
/// One access line per call: the report, the transport, the outcome, the duration and the authenticated user's id
/// (never a token, a hash, or what an unauthenticated caller claims to be). Refused calls are lines a client can cause
/// at will, so they are limited to a few a second, the next one written saying how many were left out.
/// </summary>
public sealed partial class AccessLogInterceptor(ILogger<AccessLogInterceptor> logger, TimeProvider clock) : UnaryPipelineInterceptor
{
    private const double RefusalsPerSecond = 5;
    private const double RefusalBurst = 10;
    private readonly Lock _lock = new();
    private double _refusalCredit = RefusalBurst;
    private long _refilledAt = clock.GetTimestamp();
    private long _refusalsLeftOut;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!logger.IsEnabled(LogLevel.Information))
            return continuation(request, context);
        return LogAsync(request, context, continuation);
    }

    private async Task<TResponse> LogAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class
    {
        var started = clock.GetTimestamp();
        var outcome = StatusCode.OK;
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex)
        {
            outcome = CallContextExtensions.OutcomeOf(ex);
            throw;
        }
        finally
        {
            var leftOut = outcome == StatusCode.OK ? 0 : TakeRefusal();
            if (leftOut >= 0)
            {
                var user = context.UserState.TryGetValue(typeof(Storage.Caller), out var caller) ? ((Storage.Caller)caller).UserId : "-";
                Access(logger, context.Report(), context.IsRest() ? "REST" : "gRPC", outcome,
                    clock.GetElapsedTime(started).TotalMilliseconds, user, leftOut);
            }
        }
    }

    /// <summary>-1 when this refusal's line is left out; otherwise how many were left out before it.</summary>
    private long TakeRefusal()
    {
        lock (_lock)
        {
            var now = clock.GetTimestamp();
            _refusalCredit = Math.Min(RefusalBurst, _refusalCredit + clock.GetElapsedTime(_refilledAt, now).TotalSeconds * RefusalsPerSecond);
            _refilledAt = now;
            if (_refusalCredit < 1)
            {
                _refusalsLeftOut++;
                return -1;
            }
            _refusalCredit--;
            var leftOut = _refusalsLeftOut;
            _refusalsLeftOut = 0;
            return leftOut;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Report} {Transport} {Outcome} {DurationMs:0.0} ms user {UserId} ({LeftOut} refused calls not logged before this one)")]
    private static partial void Access(ILogger logger, string report, string transport, StatusCode outcome, double durationMs, string userId, long leftOut);
}
