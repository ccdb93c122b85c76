using System.Diagnostics;
using Analytics.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Analytics.Benchmarks;

/// <summary>
/// bench/run's gRPC load with a new range on every call, which h2load cannot send (it repeats one body): calls in flight
/// over a few HTTP/2 connections for some seconds, printing the completed calls per second. The same client measures
/// Health/Check, the no-op baseline, so that the ratio carries the client's own cost on both sides. Responses are
/// received whole but not parsed (as wrk and h2load do not parse theirs): parsing a thousand agents' rows would be this
/// client's work on the same two cores, not the service's.
///   grpc-load URL METHOD SECONDS [USER TOKEN]   (METHOD: health, status, source, department, tags, agent)
/// </summary>
public static class GrpcLoad
{
    private const int Connections = 4;
    private const int InFlight = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("grpc-load URL METHOD SECONDS [USER TOKEN]");
            return 2;
        }
        var (url, method, duration) = (args[0], args[1], TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)));
        var headers = args.Length >= 5 ? new Metadata { { "x-user-id", args[3] }, { "x-auth-token", args[4] } } : new Metadata();
        var channels = Enumerable.Range(0, Connections).Select(_ => GrpcChannel.ForAddress(url)).ToArray();
        long sequence = 0, completed = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async worker =>
        {
            var invoker = channels[worker % channels.Length].CreateCallInvoker();
            while (clock.Elapsed < duration)
            {
                // Starts at 09:mm:ss.fff, a millisecond later each call, as bench/run's REST scripts do.
                var n = Interlocked.Increment(ref sequence);
                var (start, end) = ($"2026-06-15T09:{n / 60000 % 60:00}:{n / 1000 % 60:00}.{n % 1000:000}Z", "2026-06-16T09:30:00.000Z");
                var options = new CallOptions(method == "health" ? null : headers, DateTime.UtcNow.AddSeconds(30));
                try
                {
                    var length = method switch
                    {
                        "health" => await Call(invoker, "grpc.health.v1.Health", "Check", new HealthCheckRequest(), options),
                        "status" => await Call(invoker, "analytics.v1.Dashboards", "GetConversationsByStatus", new GetConversationsByStatusRequest { Start = start, End = end }, options),
                        "source" => await Call(invoker, "analytics.v1.Dashboards", "GetConversationsBySource", new GetConversationsBySourceRequest { Start = start, End = end }, options),
                        "department" => await Call(invoker, "analytics.v1.Dashboards", "GetConversationsByDepartment", new GetConversationsByDepartmentRequest { Start = start, End = end }, options),
                        "tags" => await Call(invoker, "analytics.v1.Dashboards", "GetConversationsByTags", new GetConversationsByTagsRequest { Start = start, End = end }, options),
                        "agent" => await Call(invoker, "analytics.v1.Dashboards", "GetConversationsByAgent", new GetConversationsByAgentRequest { Start = start, End = end }, options),
                        _ => throw new ArgumentException($"unknown method {method}"),
                    };
                    if (length == 0 && method != "health")
                        throw new RpcException(new Status(StatusCode.DataLoss, "empty answer"));
                    Interlocked.Increment(ref completed);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var channel in channels)
            channel.Dispose();
        if (failed > 0)
        {
            Console.Error.WriteLine($"{failed} of {completed + failed} calls failed");
            return 1;
        }
        Console.WriteLine((completed / seconds).ToString("F0", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }

    private sealed record Received(int Length);

    private static readonly Marshaller<Received> Unparsed = Marshallers.Create<Received>(
        (Action<Received, SerializationContext>)((_, _) => throw new NotSupportedException()), context => new Received(context.PayloadLength));

    // One method object per name, as the generated clients keep them (the channel keeps data per method object).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> Methods = new();

    // A unary call whose answer is received and measured, not parsed.
    private static async Task<int> Call<TRequest>(CallInvoker invoker, string service, string name, TRequest request, CallOptions options)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>
    {
        var method = (Method<TRequest, Received>)Methods.GetOrAdd(name, _ => new Method<TRequest, Received>(MethodType.Unary, service, name,
            Marshallers.Create<TRequest>(r => Google.Protobuf.MessageExtensions.ToByteArray(r), _ => throw new NotSupportedException()), Unparsed));
        return (await invoker.AsyncUnaryCall(method, null, options, request)).Length;
    }
}
