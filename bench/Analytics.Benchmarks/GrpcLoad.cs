using System.Diagnostics;
using Analytics.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Analytics.Benchmarks;

/// <summary>
/// bench/run's gRPC load with a new range on every call, which h2load cannot send (it repeats one body): calls in flight
/// over a few HTTP/2 connections for some seconds, printing the completed calls per second. The same client measures
/// Health/Check, the no-op baseline, so that the ratio carries the client's own cost on both sides.
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
            var channel = channels[worker % channels.Length];
            var (dashboards, health) = (new Dashboards.DashboardsClient(channel), new Health.HealthClient(channel));
            while (clock.Elapsed < duration)
            {
                // Starts at 09:mm:ss.fff, a millisecond later each call, as bench/run's REST scripts do.
                var n = Interlocked.Increment(ref sequence);
                var (start, end) = ($"2026-06-15T09:{n / 60000 % 60:00}:{n / 1000 % 60:00}.{n % 1000:000}Z", "2026-06-16T09:30:00.000Z");
                var deadline = DateTime.UtcNow.AddSeconds(30);
                try
                {
                    _ = method switch
                    {
                        "health" => (object)await health.CheckAsync(new HealthCheckRequest(), deadline: deadline),
                        "status" => await dashboards.GetConversationsByStatusAsync(new() { Start = start, End = end }, headers, deadline),
                        "source" => await dashboards.GetConversationsBySourceAsync(new() { Start = start, End = end }, headers, deadline),
                        "department" => await dashboards.GetConversationsByDepartmentAsync(new() { Start = start, End = end }, headers, deadline),
                        "tags" => await dashboards.GetConversationsByTagsAsync(new() { Start = start, End = end }, headers, deadline),
                        "agent" => await dashboards.GetConversationsByAgentAsync(new() { Start = start, End = end }, headers, deadline),
                        _ => throw new ArgumentException($"unknown method {method}"),
                    };
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
}
