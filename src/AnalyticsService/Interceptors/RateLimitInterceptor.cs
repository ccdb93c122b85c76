using System.Globalization;
using AnalyticsService.Api;
using AnalyticsService.RateLimiting;
using AnalyticsService.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Interceptors;

/// <summary>
/// Step 2: Rocket.Chat's API rate limit per client address and route, after authentication (it needs the caller:
/// holders of api-bypass-rate-limit are not limited). Reports X-RateLimit-Limit, -Remaining and -Reset (epoch
/// milliseconds) as response headers, REST and gRPC alike.
/// </summary>
public sealed class RateLimitInterceptor(ClientRateLimiter limiter, IdentityStore identities, IOptions<RateLimitOptions> options, TimeProvider clock) : UnaryPipelineInterceptor
{
    public const string BypassPermission = "api-bypass-rate-limit";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!options.Value.Enabled)
            return continuation(request, context);
        return identities.AnyRoleHoldsAsync(context.GetCaller(), BypassPermission, context.CancellationToken)
            .Then((limit: this, request, context, continuation), static (bypass, call) =>
                bypass ? call.continuation(call.request, call.context) : call.limit.Limit(call.request, call.context, call.continuation));
    }

    private Task<TResponse> Limit<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class
    {
        var http = context.GetHttpContext();
        var decision = limiter.Acquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", context.Method);
        var headers = http.Response.Headers;
        headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = decision.ResetAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
            throw ApiError.TooManyRequests(decision.SecondsLeft(clock.GetUtcNow())).ToException();
        return continuation(request, context);
    }
}
