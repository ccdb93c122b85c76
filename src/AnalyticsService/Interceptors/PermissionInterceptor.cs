using AnalyticsService.Api;
using AnalyticsService.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>Step 4: one of the caller's roles holds the permission the endpoint requires.</summary>
public sealed class PermissionInterceptor(IdentityStore identities) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var permitted = identities.AnyRoleHoldsAsync(context.GetCaller(), EndpointRules.For(context.Method).Permission, context.CancellationToken);
        return permitted.IsCompletedSuccessfully
            ? Continue(permitted.Result, request, context, continuation)
            : ContinueAsync(permitted, request, context, continuation);
    }

    private static Task<TResponse> Continue<TRequest, TResponse>(
        bool permitted, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class =>
        permitted ? continuation(request, context) : throw ApiError.NotPermitted.ToException();

    private static async Task<TResponse> ContinueAsync<TRequest, TResponse>(
        ValueTask<bool> permitted, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class =>
        await Continue(await permitted, request, context, continuation);
}
