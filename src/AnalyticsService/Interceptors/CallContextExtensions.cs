using AnalyticsService.Storage;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace AnalyticsService.Interceptors;

public static class CallContextExtensions
{
    /// <summary>Whether the call came in as REST through JSON transcoding rather than as gRPC.</summary>
    public static bool IsRest(this ServerCallContext context) =>
        context.GetHttpContext().GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null;

    public static void SetCaller(this ServerCallContext context, Caller caller) => context.UserState[typeof(Caller)] = caller;

    /// <summary>The authenticated caller; the authentication interceptor runs before anything that asks.</summary>
    public static Caller GetCaller(this ServerCallContext context) =>
        context.UserState.TryGetValue(typeof(Caller), out var caller) ? (Caller)caller
            : throw new InvalidOperationException("The call has not been authenticated.");
}
