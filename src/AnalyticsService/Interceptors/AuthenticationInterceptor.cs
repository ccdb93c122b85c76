using System.Security.Cryptography;
using System.Text;
using AnalyticsService.Api;
using AnalyticsService.Storage;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>
/// Step 1: the caller is a user (x-user-id) holding a login token (x-auth-token) whose Meteor hash,
/// base64(sha256(utf8(token))), is stored for that user.
/// </summary>
public sealed class AuthenticationInterceptor(IdentityStore identities) : Interceptor
{
    public const string UserIdHeader = "x-user-id";
    public const string AuthTokenHeader = "x-auth-token";

    // Far longer than any Meteor id or token; longer values are refused before any hashing or lookup.
    private const int MaxCredentialLength = 512;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var userId = context.RequestHeaders.GetValue(UserIdHeader);
        var token = context.RequestHeaders.GetValue(AuthTokenHeader);
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token)
            || userId.Length > MaxCredentialLength || token.Length > MaxCredentialLength)
            throw ApiError.NotLoggedIn.ToException();

        var caller = await identities.FindCallerAsync(userId, HashToken(token), context.CancellationToken)
            ?? throw ApiError.NotLoggedIn.ToException();
        context.SetCaller(caller);
        return await continuation(request, context);
    }

    /// <summary>Meteor's login-token hash (Accounts._hashLoginToken).</summary>
    public static string HashToken(string token) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
