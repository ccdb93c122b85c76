using Grpc.Core;
using Grpc.Net.Client;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>gRPC calls as a client without the proto makes them: any path, any bytes, with a deadline.</summary>
public static class RawGrpc
{
    public static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static Method<byte[], byte[]> Method(MethodType type, string service, string name) => new(type, service, name, Bytes, Bytes);

    public static CallOptions Options(Metadata? headers) => new(headers, DateTime.UtcNow + AnalyticsFactory.CallTimeout);

    /// <summary>A unary call of /service/name with these bytes; the response's bytes, or the call's RpcException.</summary>
    public static Task<byte[]> UnaryAsync(GrpcChannel channel, string service, string name, byte[] body, Metadata? headers = null) =>
        channel.CreateCallInvoker().AsyncUnaryCall(Method(MethodType.Unary, service, name), null, Options(headers), body).ResponseAsync;
}
