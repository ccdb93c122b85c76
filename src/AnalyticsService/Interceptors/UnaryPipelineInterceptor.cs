using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>
/// The base of every interceptor of the pipeline, which each handle unary calls only. A call of any other kind is
/// refused here, so a streaming method added to the proto runs nowhere until every step of the pipeline handles it:
/// the pipeline fails closed rather than letting such a call through without authentication or permission.
/// </summary>
public abstract class UnaryPipelineInterceptor : Interceptor
{
    public const string StreamingRefused = "Streaming calls are not served: the request pipeline checks unary calls only.";

    public abstract override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation);

    public sealed override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) => throw Refused();

    public sealed override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        throw Refused();

    public sealed override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) => throw Refused();

    private static RpcException Refused() => new(new Status(StatusCode.Unimplemented, StreamingRefused));
}
