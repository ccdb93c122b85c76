using AnalyticsService.Api;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AnalyticsService.Interceptors;

/// <summary>
/// Gives REST callers Rocket.Chat's response shape: <c>application/json</c>, and on failure Rocket.Chat's error
/// body and status instead of transcoding's google.rpc.Status JSON. gRPC calls pass through untouched.
/// </summary>
public sealed class RestResponseInterceptor : UnaryPipelineInterceptor
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
            if (!context.CancellationToken.IsCancellationRequested)
                await WriteAsync(response, (ex as ApiException)?.Error ?? ApiError.Internal);
            // Transcoding still writes its own error body after this; it goes nowhere.
            response.Body = Stream.Null;
            throw;
        }
    }

    /// <summary>
    /// The whole body, its length declared: written without the call's token, so a client that goes away meanwhile
    /// cannot leave it half-written (Kestrel drops what is written to a closed connection, and that is no error).
    /// </summary>
    private static async Task WriteAsync(HttpResponse response, ApiError error)
    {
        var body = error.ToRestBody();
        response.StatusCode = error.HttpStatus;
        response.ContentLength = body.Length;
        try
        {
            await response.Body.WriteAsync(body, CancellationToken.None);
            await response.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The connection is gone: nobody is left to answer.
        }
    }
}
