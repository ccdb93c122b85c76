using AnalyticsService.Api;
using AnalyticsService.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>Step 4: one of the caller's roles holds the permission the endpoint requires.</summary>
public sealed class PermissionInterceptor(IdentityStore identities) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var permission = EndpointRules.For(context.Method).Permission;
        if (!await identities.AnyRoleHoldsAsync(context.GetCaller(), permission, context.CancellationToken))
            throw ApiError.NotPermitted.ToException();
        return await continuation(request, context);
    }
}
