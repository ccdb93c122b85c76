using AnalyticsService.Storage;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace AnalyticsService.Interceptors;

public static class CallContextExtensions
{
    /// <summary>Whether the call came in as REST through JSON transcoding rather than as gRPC.</summary>
    public static bool IsRest(this ServerCallContext context) =>
        context.GetHttpContext().GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null;

    /// <summary>
    /// A request header, from the HTTP request itself: gRPC metadata and REST headers alike, without building the
    /// call's whole <see cref="ServerCallContext.RequestHeaders"/> collection for two names. A header sent more than
    /// once is its values joined with ", ", as Node gives it to Rocket.Chat (so duplicated credentials are not a login).
    /// </summary>
    public static string? RequestHeader(this ServerCallContext context, string name)
    {
        var values = context.GetHttpContext().Request.Headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => string.Join(", ", values.ToArray()),
        };
    }

    /// <summary>The method's own name ("GetConversationsByStatus"): the report a call asks for.</summary>
    public static string Report(this ServerCallContext context) => context.Method[(context.Method.LastIndexOf('/') + 1)..];

    /// <summary>The status code a call that threw ends with, as the client sees it.</summary>
    public static StatusCode OutcomeOf(Exception exception) => exception switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException => StatusCode.Cancelled,
        _ => StatusCode.Internal,
    };

    public static void SetCaller(this ServerCallContext context, Caller caller) => context.UserState[typeof(Caller)] = caller;

    /// <summary>The authenticated caller; the authentication interceptor runs before anything that asks.</summary>
    public static Caller GetCaller(this ServerCallContext context) =>
        context.UserState.TryGetValue(typeof(Caller), out var caller) ? (Caller)caller
            : throw new InvalidOperationException("The call has not been authenticated.");
}
