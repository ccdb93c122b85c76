using AnalyticsService.Api;
using AnalyticsService.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>
/// Step 1: the caller is a user (x-user-id) holding a login token (x-auth-token) whose Meteor hash,
/// base64(sha256(utf8(token))), is stored for that user.
/// </summary>
public sealed class AuthenticationInterceptor(IdentityStore identities) : UnaryPipelineInterceptor
{
    public const string UserIdHeader = "x-user-id";
    public const string AuthTokenHeader = "x-auth-token";

    // Far longer than any Meteor id or token; longer values are refused before any hashing or lookup.
    private const int MaxCredentialLength = 512;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var userId = context.RequestHeader(UserIdHeader);
        var token = context.RequestHeader(AuthTokenHeader);
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token)
            || userId.Length > MaxCredentialLength || token.Length > MaxCredentialLength)
            throw ApiError.NotLoggedIn.ToException();

        return identities.FindCallerAsync(new Credentials(userId, token), context.CancellationToken)
            .Then((request, context, continuation), static (caller, call) =>
            {
                call.context.SetCaller(caller ?? throw ApiError.NotLoggedIn.ToException());
                return call.continuation(call.request, call.context);
            });
    }
}
