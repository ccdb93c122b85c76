using AnalyticsService.Api;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>
/// Gives REST callers Rocket.Chat's response shape: <c>application/json</c>, and on failure Rocket.Chat's error
/// body and status instead of transcoding's google.rpc.Status JSON. gRPC calls pass through untouched.
/// </summary>
public sealed class RestResponseInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        context.IsRest() ? RestAsync(request, context, continuation) : continuation(request, context);

    private static async Task<TResponse> RestAsync<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class
    {
        var response = context.GetHttpContext().Response;
        response.OnStarting(() =>
        {
            response.ContentType = "application/json";
            return Task.CompletedTask;
        });
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is ApiException or not (RpcException or OperationCanceledException) && !response.HasStarted)
        {
            // Anything unforeseen is still answered in Rocket.Chat's shape; transcoding logs the exception.
            var error = (ex as ApiException)?.Error ?? ApiError.Internal;
            var body = error.ToRestBody();
            response.StatusCode = error.HttpStatus;
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.CancellationToken);
            await response.CompleteAsync();
            // Transcoding still writes its own error body after this; it goes nowhere.
            response.Body = Stream.Null;
            throw;
        }
    }
}
