using AnalyticsService.Api;
using AnalyticsService.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>
/// Step 3: the endpoint's query schema. REST calls are checked on the raw query string, since transcoding
/// binds only the fields it knows and silently drops the rest; gRPC calls on the fields set in the message.
/// </summary>
public sealed class QuerySchemaInterceptor : UnaryPipelineInterceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var schema = EndpointRules.For(context.Method).Query;
        var error = context.IsRest()
            ? schema.Validate(context.GetHttpContext().Features.GetRequiredFeature<RawQueryFeature>().Pairs)
            : schema.Validate((IMessage)request);
        if (error is not null)
            throw error.ToException();
        return continuation(request, context);
    }
}
