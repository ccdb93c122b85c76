using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using AnalyticsService.Hosting;
using AnalyticsService.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>
/// The follower as a process of its own, to be killed: the test assembly run as a program, the follower started by its
/// startup hook (<see cref="global::StartupHook"/>), wires the store and the follower as the sync command does, over a SQLite file, with MongoDB replaced by a replay of
/// files in the folder: <c>export/</c> (the collections at the start, as mongoexport writes them), <c>start</c> (the
/// position they were read at) and <c>changes.json</c> (the change events after it, one per line), a batch each time the
/// test writes a line to its input. It prints
/// <c>watching from &lt;token&gt;</c> when it opens the stream, <c>committed</c> after each batch (and the full load) is
/// committed, <c>holding the full load</c> when a file <c>hold-full-load</c> keeps it from its last collection, and <c>caught up</c> once the last event is committed, then stops.
/// </summary>
public sealed class FollowerProcess : IAsyncDisposable
{
    public const string Committed = "committed", CaughtUp = "caught up", WatchingFrom = "watching from ", HoldingFullLoad = "holding the full load";

    /// <summary>While a file of this name is in the folder, the full load stops before its last collection.</summary>
    public const string HoldFullLoad = "hold-full-load";

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private FollowerProcess(Process process) => _process = process;

    public static FollowerProcess Start(string folder)
    {
        var tests = typeof(FollowerProcess).Assembly.Location;
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("dotnet", $"\"{tests}\"")
            {
                Environment = { ["DOTNET_STARTUP_HOOKS"] = tests, [global::StartupHook.FolderVariable] = folder },
                WorkingDirectory = Path.GetDirectoryName(tests)!,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            },
        };
        var child = new FollowerProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) child._lines.Writer.TryWrite(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) child._lines.Writer.TryWrite("stderr: " + line); };
        process.Exited += (_, _) => child._lines.Writer.TryComplete();
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Every line read so far, for failure messages.</summary>
    public List<string> Seen { get; } = [];

    /// <summary>The next line that matches, or null when the process ended first; fails after two minutes.</summary>
    public async Task<string?> NextAsync(Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(timeout.Token))
            {
                Seen.Add(line);
                if (match(line))
                    return line;
            }
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("the follower process said nothing that was waited for in two minutes:\n" + string.Join("\n", Seen));
        }
    }

    /// <summary>Lets the follower read its next batch of changes (it waits for this line before each).</summary>
    public void Go()
    {
        try
        {
            _process.StandardInput.WriteLine("go");
            _process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // It has caught up and exited: nothing left to read.
        }
    }

    /// <summary>SIGKILL: no handler runs, no transaction finishes; what the store holds is what was committed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await ExitAsync();
    }

    public async Task<int> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await KillAsync();
        _process.Dispose();
    }

    /// <summary>The child's side: the sync command's wiring with the replay as its source.</summary>
    public static async Task<int> RunAsync(string folder)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args =
            [
                $"--ConnectionStrings:Analytics=Data Source={Path.Combine(folder, "analytics.db")}",
                $"--{SyncOptions.Section}:{nameof(SyncOptions.MongoUrl)}=mongodb://127.0.0.1:1/rocketchat",
                "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:AnalyticsService.Sync=Information",
            ],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddAnalyticsStore(builder.Configuration, migrateOnStart: false).AddAnalyticsSync(builder.Configuration);
        builder.Services.AddSingleton<IChangeSource>(services => new ReplaySource(folder, services.GetRequiredService<IHostApplicationLifetime>()));
        using var host = builder.Build();
        host.Services.GetRequiredService<MongoFollower>().Committed += () => Say(Committed);
        await host.RunAsync();
        return Environment.ExitCode;
    }

    private static void Say(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    /// <summary>
    /// MongoDB replayed from files: the export for a full load, and the change events after the start position in batches
    /// whose sizes follow from where they start (so every run cuts the stream the same way).
    /// </summary>
    private sealed class ReplaySource(string folder, IHostApplicationLifetime lifetime) : IChangeSource
    {
        private readonly string[] _changes = File.ReadAllLines(Path.Combine(folder, "changes.json"));

        public Task<bool> HasChangeStreamsAsync(CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<string> PositionNowAsync(CancellationToken cancellationToken) => File.ReadAllTextAsync(Path.Combine(folder, "start"), cancellationToken);

        public async IAsyncEnumerable<JsonElement> ReadAllAsync(string collection, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (collection == "rocketchat__trash" && File.Exists(Path.Combine(folder, HoldFullLoad)))
            {
                Say(HoldingFullLoad); // every other collection is loaded; the position is recorded with this last one
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            var file = Path.Combine(folder, "export", collection + ".json");
            if (!File.Exists(file))
                yield break;
            await foreach (var line in File.ReadLinesAsync(file, cancellationToken))
                yield return Json(line);
        }

        public async IAsyncEnumerable<IReadOnlyList<JsonElement>> WatchAsync(string position, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Say(WatchingFrom + position);
            var at = position == await PositionNowAsync(cancellationToken) ? 0 : 1 + Array.FindIndex(_changes, e => ChangeHistory.TokenOf(e) == position);
            if (at == 0 && position != await PositionNowAsync(cancellationToken))
                throw new ChangeHistoryLostException("the replay has no event with that token"); // never expected: the test fails on it
            while (at < _changes.Length)
            {
                // The test decides when the next batch comes, so that it can kill between two batches or inside one.
                if (await Console.In.ReadLineAsync(cancellationToken) is null)
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                var size = Math.Min(1 + at * 7919 % 40, _changes.Length - at);
                yield return _changes[at..(at + size)].Select(Json).ToList();
                at += size; // the follower asks for more only once the batch is committed
            }
            Say(CaughtUp);
            lifetime.StopApplication();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public Task<IReadOnlySet<string>> ExistingIdsAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
        {
            var file = Path.Combine(folder, "export", collection + ".json");
            var held = File.Exists(file) ? File.ReadLines(file).Select(line => Json(line).GetProperty("_id").GetString()!).ToHashSet() : [];
            return Task.FromResult<IReadOnlySet<string>>(ids.Where(held.Contains).ToHashSet());
        }

        public IAsyncEnumerable<IReadOnlyList<JsonElement>> ChangedSinceAsync(string collection, string field, long since, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the replay is a change stream");

        private static JsonElement Json(string text)
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
    }
}
