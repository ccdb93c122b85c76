using AnalyticsService.Sync;
using AnalyticsService.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AnalyticsService.Tests;

/// <summary>
/// The resume token is committed with the changes it covers, tested the hard way: a follower process killed (SIGKILL)
/// during its full load and then again and again while it applies the stream leaves a store that holds exactly the
/// changes up to its stored token, resumes from that token, and ends equal to an import of the final state.
/// </summary>
public sealed class FollowerCrashTests
{
    [Fact]
    public async Task A_follower_killed_at_any_point_resumes_from_what_its_store_holds_and_ends_equal_to_an_import()
    {
        const int Initial = 150, Total = 600;
        var history = ChangeHistory.Random(20261127, Total);
        using var folder = new TempDirectory("analytics-follower-crash-");
        await history.WriteExportAsync(folder.Combine("export"), Initial);
        var start = ChangeHistory.TokenOf(history.Events[Initial - 1]);
        await File.WriteAllTextAsync(folder.Combine("start"), start);
        await File.WriteAllLinesAsync(folder.Combine("changes.json"), history.Events.Skip(Initial));
        var database = folder.Combine("analytics.db");

        // Killed in the middle of the full load: no position yet, so the next run loads everything again.
        await File.WriteAllTextAsync(folder.Combine(FollowerProcess.HoldFullLoad), "");
        await using (var first = FollowerProcess.Start(folder.Path))
        {
            Assert.NotNull(await first.NextAsync(line => line == FollowerProcess.HoldingFullLoad));
            await first.KillAsync();
        }
        File.Delete(folder.Combine(FollowerProcess.HoldFullLoad));
        Assert.Null(await StoredTokenAsync(database));
        Assert.NotEmpty(await ChangeHistory.DumpAsync(database, "rooms")); // what was loaded stays, and is loaded again

        var random = new Random(7);
        var (kills, expectedFrom) = (0, start);
        for (var run = 0; ; run++)
        {
            Assert.True(run < 50, "the follower should have caught up");
            await using var follower = FollowerProcess.Start(folder.Path);
            Assert.Equal(FollowerProcess.WatchingFrom + expectedFrom, await follower.NextAsync(line => line.StartsWith(FollowerProcess.WatchingFrom)));
            var commits = 1 + random.Next(3);
            string? line = null;
            for (var i = 0; i < commits && line != FollowerProcess.CaughtUp; i++)
            {
                follower.Go();
                line = await follower.NextAsync(l => l is FollowerProcess.Committed or FollowerProcess.CaughtUp);
            }
            if (line == FollowerProcess.CaughtUp)
            {
                Assert.Equal(0, await follower.ExitAsync());
                break;
            }
            // Between two batches (it waits for the next), or as the next is being read, written or committed.
            if (random.Next(2) == 0)
                follower.Go();
            await follower.KillAsync();
            kills++;
            var token = await StoredTokenAsync(database);
            Assert.NotNull(token);
            var applied = history.CountThrough(token);
            await history.AssertStoreEqualsImportAsync(database, applied, $"killed after run {run}");
            expectedFrom = token;
        }

        Assert.True(kills >= 5, $"killed {kills} times");
        Assert.Equal(ChangeHistory.TokenOf(history.Events[^1]), await StoredTokenAsync(database));
        await using var service = new AnalyticsFactory().WithoutDefaults().With("ConnectionStrings:Analytics", $"Data Source={database}");
        await history.AssertStoreEqualsImportAsync(database, history.Events.Count, "caught up", service);
    }

    private static async Task<string?> StoredTokenAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        return await connection.ExecuteScalarAsync<string?>("SELECT resume_token FROM sync_state WHERE stream = @Stream", new { MongoFollower.Stream });
    }
}

