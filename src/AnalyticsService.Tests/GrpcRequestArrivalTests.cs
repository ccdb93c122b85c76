using System.Buffers;
using System.IO.Pipelines;
using AnalyticsService.Hosting;
using AnalyticsService.Services;
using AnalyticsService.Tests.Infrastructure;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace AnalyticsService.Tests;

/// <summary>
/// A unary gRPC call's request is read to its end before the handler runs: the handler then reads all of it; a request
/// whose stream fails while it arrives (the client gone, its cancellation not yet signalled: what ending an h2load run
/// with calls in flight does) ends the call with the stream reset, without the handler and without an error in the log.
/// </summary>
public sealed class GrpcRequestArrivalTests
{
    private static readonly byte[] Request = [0, 0, 0, 0, 4, 10, 2, 49, 50];

    [Fact]
    public async Task A_request_that_came_with_its_headers_goes_on_to_the_handler_whole()
    {
        var call = new Call(MethodType.Unary);
        await call.Pipe.Writer.WriteAsync(Request);
        await call.Pipe.Writer.CompleteAsync();

        await call.InvokeAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Request, call.HandlerRead);
        Assert.False(call.Aborted);
    }

    [Fact]
    public async Task A_request_arriving_in_parts_goes_on_to_the_handler_once_it_is_whole()
    {
        var call = new Call(MethodType.Unary);
        await call.Pipe.Writer.WriteAsync(Request.AsMemory(0, 3));
        var invoked = call.InvokeAsync();
        Assert.False(invoked.IsCompleted);
        Assert.Null(call.HandlerRead);

        await call.Pipe.Writer.WriteAsync(Request.AsMemory(3));
        await call.Pipe.Writer.CompleteAsync();
        await invoked.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Request, call.HandlerRead);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_request_whose_stream_fails_ends_the_call_reset_without_the_handler_or_an_error(bool partOfItArrived)
    {
        var call = new Call(MethodType.Unary);
        if (partOfItArrived)
            await call.Pipe.Writer.WriteAsync(Request.AsMemory(0, 3));
        var invoked = call.InvokeAsync();
        await call.Pipe.Writer.CompleteAsync(new IOException("The request stream was aborted."));
        await invoked.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(call.HandlerRead);
        Assert.True(call.Aborted);
        Assert.Empty(call.Logs);
    }

    [Fact]
    public async Task A_streaming_call_goes_on_to_its_handler_at_once()
    {
        var call = new Call(MethodType.DuplexStreaming); // reflection's, which reads its requests as they come
        await call.Pipe.Writer.WriteAsync(Request.AsMemory(0, 3));

        await call.InvokeAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Request[..3], call.HandlerRead);
    }

    private sealed class Call : IHttpRequestLifetimeFeature, IRequestBodyPipeFeature
    {
        private readonly DefaultHttpContext _context = new();
        private readonly ILoggerFactory _logs;

        public Call(MethodType type)
        {
            var method = RawGrpc.Method(type, "analytics.v1.Dashboards", "GetConversationsByStatus");
            _context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new GrpcMethodMetadata(typeof(DashboardsService), method)), "gRPC"));
            _context.Features.Set<IHttpRequestLifetimeFeature>(this);
            _context.Features.Set<IRequestBodyPipeFeature>(this);
            _logs = LoggerFactory.Create(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        }

        public Pipe Pipe { get; } = new();
        public byte[]? HandlerRead { get; private set; }
        public bool Aborted { get; private set; }
        public System.Collections.Concurrent.ConcurrentQueue<string> Logs { get; } = new();

        public Task InvokeAsync()
        {
            var middleware = new GrpcRequestArrivalMiddleware(async context =>
            {
                // What the handler reads: everything that arrived, up to the end of what is there.
                var reader = context.Request.BodyReader;
                var arrived = await reader.ReadAsync();
                HandlerRead = arrived.Buffer.ToArray();
                reader.AdvanceTo(arrived.Buffer.End);
            }, _logs.CreateLogger<GrpcRequestArrivalMiddleware>());
            return middleware.InvokeAsync(_context);
        }

        public PipeReader Reader => Pipe.Reader;
        public CancellationToken RequestAborted { get; set; }
        public void Abort() => Aborted = true;
    }
}
