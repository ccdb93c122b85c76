using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>
/// The built service as its own process on real sockets: Program.cs, appsettings.json and Kestrel's two listeners,
/// on free loopback ports, over a SQLite file of its own.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _directory;

    public int RestPort { get; }
    public int GrpcPort { get; }
    public string? DemoUserId { get; private set; }
    public string? DemoToken { get; private set; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    private ServiceProcess(Process process, string directory, int restPort, int grpcPort)
    {
        _process = process;
        _directory = directory;
        RestPort = restPort;
        GrpcPort = grpcPort;
    }

    /// <summary>The built service on loopback ports, over analytics.db in the directory, Production, with settings on top.</summary>
    private static ProcessStartInfo StartInfo(string arguments, string directory, int restPort, int grpcPort, (string Key, string Value)[] environment)
    {
        var serviceDll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", $"\"{serviceDll}\" {arguments}")
        {
            WorkingDirectory = Path.GetDirectoryName(serviceDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Kestrel__Endpoints__Rest__Url"] = $"http://127.0.0.1:{restPort}";
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        start.Environment["ConnectionStrings__Analytics"] = $"Data Source={Path.Combine(directory, "analytics.db")}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__CreateIfMissing"] = "true"; // tests that need the refusal set it back
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        return start;
    }

    /// <summary>
    /// Starts the service and waits for it to serve. A port found free can be taken by another process before the service
    /// binds it (tests run in parallel, and outgoing connections draw from the same range): then it starts again on
    /// other ports, at most three times.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string arguments = "--demo", string? directory = null, params (string Key, string Value)[] environment)
    {
        directory ??= Directory.CreateTempSubdirectory("analytics-e2e-").FullName;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(arguments, directory, environment);
            }
            catch (PortTakenException) when (attempt < 3)
            {
            }
        }
    }

    private sealed class PortTakenException(string message) : InvalidOperationException(message);

    private static async Task<ServiceProcess> StartOnFreePortsAsync(string arguments, string directory, (string Key, string Value)[] environment)
    {
        var (restPort, grpcPort) = (FreePort(), FreePort());
        var start = StartInfo(arguments, directory, restPort, grpcPort, environment);

        var service = new ServiceProcess(new Process { StartInfo = start }, directory, restPort, grpcPort);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
                return;
            lock (service._output)
            {
                service._output.AppendLine(line);
                service._waiters.ForEach(waiter => waiter.TrySetResult());
                service._waiters.Clear();
            }
            if (UserIdLine().Match(line) is { Success: true } user)
                service.DemoUserId = user.Groups[1].Value;
            if (TokenLine().Match(line) is { Success: true } token)
                service.DemoToken = token.Groups[1].Value;
            if (line.Contains("Application started", StringComparison.Ordinal))
                started.TrySetResult();
        }
        service._process.OutputDataReceived += (_, e) => OnLine(e.Data);
        service._process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        service._process.Start();
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();

        var exited = service._process.WaitForExitAsync();
        var first = await Task.WhenAny(started.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != started.Task)
        {
            var output = service.Output;
            await service.DisposeAsync();
            var message = $"The service did not start:\n{output}";
            throw output.Contains(": the port is in use", StringComparison.Ordinal) // how the service names a listener it cannot bind
                ? new PortTakenException(message) : new InvalidOperationException(message);
        }
        return service;
    }

    /// <summary>
    /// Runs the service with these arguments and settings until it exits by itself (at most the call timeout), for
    /// what it refuses to start on: its exit code and everything it wrote.
    /// </summary>
    public static async Task<(int Exit, string Output, string Errors)> RunToExitAsync(string arguments, string directory,
        params (string Key, string Value)[] environment)
    {
        var start = StartInfo(arguments, directory, FreePort(), FreePort(), environment);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(AnalyticsFactory.CallTimeout);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Sends SIGTERM, as an orchestrator stopping the service does, and waits (at most the call timeout) for the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync().WaitAsync(AnalyticsFactory.CallTimeout);
        await _process.WaitForExitAsync().WaitAsync(AnalyticsFactory.CallTimeout);
        return _process.ExitCode;
    }

    /// <summary>An HTTP/1.1 client of the REST listener whose calls fail in seconds if the service does not answer.</summary>
    public HttpClient Rest() => new() { BaseAddress = new Uri($"http://127.0.0.1:{RestPort}"), Timeout = AnalyticsFactory.CallTimeout };

    /// <summary>
    /// The gRPC listener, over h2c, for generated clients: every call without a deadline gets one, so a call the
    /// service does not answer fails in seconds. The channel lives as long as this process.
    /// </summary>
    public CallInvoker Grpc()
    {
        _channel ??= GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}");
        return _channel.Intercept(new CallDeadline());
    }

    private GrpcChannel? _channel;

    /// <summary>Waits, each time the service writes a line and at most the call timeout, until its output says what is asked.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> says)
    {
        using var timeout = new CancellationTokenSource(AnalyticsFactory.CallTimeout);
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_output)
            {
                if (says(_output.ToString()))
                    return;
                _waiters.Add(changed);
            }
            await changed.Task.WaitAsync(timeout.Token);
        }
    }

    private readonly List<TaskCompletionSource> _waiters = [];

    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(AnalyticsFactory.CallTimeout);
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        await StopAsync();
        _process.Dispose();
    }

    public void DeleteDirectory()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s+user id:\s+(\S+)")]
    private static partial Regex UserIdLine();

    [GeneratedRegex(@"^\s+token:\s+(\S+)")]
    private static partial Regex TokenLine();
}
