using Grpc.Core;

namespace AnalyticsService.Hosting;

/// <summary>
/// A unary gRPC call's request is read to its end before grpc-dotnet's handler runs, so that a client that goes away while
/// it is still arriving (a load tool stopping with calls in flight, a dropped connection) ends the call quietly: nobody is
/// left to answer. grpc-dotnet logs each such call as an error with its stack trace (95 of them when one h2load run
/// ended), which any client could cause at will. What has arrived stays unread for the handler.
/// </summary>
public sealed partial class GrpcRequestArrivalMiddleware(RequestDelegate next, ILogger<GrpcRequestArrivalMiddleware> logger)
{
    // A request longer than this goes on to the handler as it comes (its message size limit applies there); the
    // service's own requests are a few dozen bytes.
    private const long MaxHeld = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        if (GrpcEndpoints.MethodOf(context) is not { Type: MethodType.Unary } method)
            return next(context);
        var reader = context.Request.BodyReader;
        bool whole;
        try
        {
            // Usually the whole request came with its headers.
            whole = reader.TryRead(out var arrived) && Held(reader, arrived);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            Gone(context, method, ex);
            return Task.CompletedTask;
        }
        return whole ? next(context) : ArrivingAsync(context, method);
    }

    private async Task ArrivingAsync(HttpContext context, IMethod method)
    {
        var reader = context.Request.BodyReader;
        try
        {
            while (!Held(reader, await reader.ReadAsync(context.RequestAborted)))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            Gone(context, method, ex);
            return;
        }
        await next(context);
    }

    // What has arrived stays in the reader, all of it examined: whether it is all there is (or all this holds).
    private static bool Held(System.IO.Pipelines.PipeReader reader, System.IO.Pipelines.ReadResult arrived)
    {
        reader.AdvanceTo(arrived.Buffer.Start, arrived.Buffer.End);
        return arrived.IsCompleted || arrived.IsCanceled || arrived.Buffer.Length > MaxHeld;
    }

    // The request's stream or connection is gone (its cancellation may not even be signalled yet), or Kestrel cut it off:
    // no answer can reach anyone, and the stream is reset if it is still open.
    private void Gone(HttpContext context, IMethod method, Exception ex)
    {
        ClientGone(logger, method.FullName, ex.GetType().Name);
        context.Abort();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method}: the request did not arrive whole ({ExceptionType}); the client is gone, nothing to answer.")]
    private static partial void ClientGone(ILogger logger, string method, string exceptionType);
}
