using System.Diagnostics;
using AnalyticsService.Demo;
using AnalyticsService.Storage;
using Microsoft.Data.Sqlite;

namespace Analytics.Benchmarks;

/// <summary>
/// bench/writes' writer: what a live Rocket.Chat sends through the sync, into the store a running service reads. Each
/// commit starts a conversation on the data's last day (one room: a source, a department, tags and an agent of the
/// benchmark's workspace, so no new key) and every other commit also closes one started before; commits come at a
/// steady rate for some seconds, then the commit times are printed.
///   write-load STORE-PATH COMMITS-PER-SECOND SECONDS
/// </summary>
public static class WriteLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("write-load STORE-PATH COMMITS-PER-SECOND SECONDS");
            return 2;
        }
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var (path, rate, seconds) = (args[0], double.Parse(args[1], culture), double.Parse(args[2], culture));
        var store = new Store(SqliteFactory.Instance, new SqliteDialect(), new($"Data Source={path}"), 60);
        // A store made by an older release (bench/writes' SERVICE) gets the schema this writer writes.
        await new SchemaMigrator(store, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance, TimeProvider.System)
            .MigrateAsync(CancellationToken.None);
        var writer = new StoreWriter(store);
        // bench/data.sh's workspace (seed 1, the same shape): its rooms' keys, renamed and moved to the last day.
        var end = DateTimeOffset.Parse("2026-11-01T00:00:00Z", culture);
        var rooms = new DataGenerator(seed: 1).Generate(rooms: 5000, days: 30, end, new DataGenerator.Shape(1000, 50, 300)).Rooms.ToList();
        var started = new List<AnalyticsService.Storage.RoomRecord>();
        var commits = new List<double>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / rate));
        var clock = Stopwatch.StartNew();
        for (var n = 0; clock.Elapsed.TotalSeconds < seconds && await timer.WaitForNextTickAsync(); n++)
        {
            var ts = end.AddHours(-12).AddSeconds(n);
            var room = rooms[n % rooms.Count] with { Id = $"bench-write-{n}", Ts = ts, Open = true, OnHold = false, ClosedAt = null, ChatDuration = null };
            var batch = new List<AnalyticsService.Storage.RoomRecord> { room };
            if (n % 2 == 1 && started.Count > 0)
            {
                var closing = started[^1];
                started.RemoveAt(started.Count - 1);
                batch.Add(closing with { Open = false, ClosedAt = ts, ChatDuration = (ts - closing.Ts).TotalSeconds });
            }
            started.Add(room);
            var commit = Stopwatch.GetTimestamp();
            await writer.UpsertRoomsAsync(batch);
            commits.Add(Stopwatch.GetElapsedTime(commit).TotalMilliseconds);
        }
        commits.Sort();
        Console.WriteLine(string.Create(culture, $"{commits.Count} {commits[commits.Count / 2]:F1} {commits[^1]:F1}"));
        return 0;
    }
}
