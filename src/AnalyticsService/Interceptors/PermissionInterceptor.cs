using AnalyticsService.Api;
using AnalyticsService.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>Step 4: one of the caller's roles holds the permission the endpoint requires.</summary>
public sealed class PermissionInterceptor(IdentityStore identities) : UnaryPipelineInterceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        return identities.AnyRoleHoldsAsync(context.GetCaller(), EndpointRules.For(context.Method).Permission, context.CancellationToken)
            .Then((request, context, continuation), static (permitted, call) =>
                permitted ? call.continuation(call.request, call.context) : throw ApiError.NotPermitted.ToException());
    }
}
