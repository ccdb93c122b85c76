using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Analytics.Benchmarks;

/// <summary>
/// bench/run's same-size baseline: a Kestrel server that does nothing but send a body of the size asked for, as REST
/// JSON over HTTP/1.1 (GET /json/N) and as one gRPC message over h2c (POST /grpc/N, N bytes after the 5-byte prefix,
/// then grpc-status 0). A thousand agents' answer is 33 KB of JSON; sending those bytes costs the server and the load
/// tool on the same two cores whatever made them, so the no-op baselines (a few bytes) cannot say how close a large
/// answer comes to what its size allows: this server says what that size allows.
///   fixed-bodies REST-PORT GRPC-PORT   (runs until stopped)
/// </summary>
public static class FixedBodies
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || !int.TryParse(args[0], out var restPort) || !int.TryParse(args[1], out var grpcPort))
        {
            Console.Error.WriteLine("fixed-bodies REST-PORT GRPC-PORT");
            return 2;
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(restPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.ListenLocalhost(grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        var json = new BodiesOfSize(size => Enumerable.Repeat((byte)'a', size).ToArray());
        var grpc = new BodiesOfSize(size => [0, (byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size, .. new byte[size]]);
        app.MapGet("/json/{size:int:range(0,10000000)}", (HttpContext context, int size) =>
        {
            var body = json.Of(size);
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        app.MapPost("/grpc/{size:int:range(0,10000000)}", async (HttpContext context, int size) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(grpc.Of(size));
            context.Response.AppendTrailer("grpc-status", "0");
        });
        await app.RunAsync();
        return 0;
    }

    private sealed class BodiesOfSize(Func<int, byte[]> make)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte[]> _made = new();

        public byte[] Of(int size) => _made.GetOrAdd(size, make);
    }
}
