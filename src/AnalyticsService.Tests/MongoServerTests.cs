using AnalyticsService.Sync;
using AnalyticsService.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AnalyticsService.Tests;

/// <summary>
/// Following a real MongoDB replica set, when ANALYTICS_TEST_MONGODB holds a connection string (docs/sync.md says how
/// to start one); skipped otherwise, as no MongoDB server runs on the project's machines. Each test works in a database
/// of its own, dropped at the end.
/// </summary>
public sealed class MongoServerTests
{
    private static readonly string? Server = Environment.GetEnvironmentVariable("ANALYTICS_TEST_MONGODB");

    [SkippableFact]
    public async Task Rooms_written_to_MongoDB_reach_the_store_through_a_full_load_and_the_change_stream()
    {
        Skip.If(string.IsNullOrEmpty(Server), "ANALYTICS_TEST_MONGODB is not set: no MongoDB server to follow.");
        var name = "analytics_test_" + Guid.NewGuid().ToString("N")[..12];
        var url = new MongoUrlBuilder(Server) { DatabaseName = name }.ToString();
        var client = new MongoClient(Server);
        var rooms = client.GetDatabase(name).GetCollection<BsonDocument>("rocketchat_room");
        try
        {
            await rooms.InsertOneAsync(new BsonDocument { { "_id", "r1" }, { "t", "l" }, { "ts", new BsonDateTime(1599732000000) }, { "open", true } });
            var objectId = ObjectId.GenerateNewId();
            await rooms.InsertOneAsync(new BsonDocument { { "_id", objectId }, { "t", "l" }, { "ts", new BsonDateTime(1599732000000) } });
            await using var factory = new AnalyticsFactory().WithoutDefaults();
            await factory.RestAsync();
            // Stored before, deleted in MongoDB since: the full load's sweep removes it, and keeps the ObjectId room.
            await factory.AddRoomsAsync(new Storage.RoomRecord("gone", "l", DateTimeOffset.FromUnixTimeMilliseconds(1599732000000)));
            var follower = new MongoFollower(new MongoChangeSource(url), new ChangeApplier(factory.Writer, TimeProvider.System), new Import.Importer(factory.Writer), factory.Services.GetRequiredService<Storage.Store>(),
                factory.Writer, TimeProvider.System, NullLogger<MongoFollower>.Instance);
            using var committed = new SemaphoreSlim(0);
            follower.Committed += () => committed.Release();
            using var stop = new CancellationTokenSource();
            var running = follower.RunAsync(stop.Token);
            async Task UntilAsync(string sql, long expected)
            {
                // After each commit of the follower, until the store shows it (each wait bounded: a call never hangs).
                await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
                while (await connection.ExecuteScalarAsync<long>(sql) != expected)
                    Assert.True(await committed.WaitAsync(TimeSpan.FromSeconds(30)), $"no commit of the follower in 30 s, waiting for {sql} = {expected}");
            }

            await UntilAsync($"SELECT COUNT(*) FROM rooms WHERE id IN ('r1', '{objectId}') AND id <> 'gone'", 2);
            await UntilAsync("SELECT COUNT(*) FROM rooms WHERE id = 'gone'", 0);
            await rooms.InsertOneAsync(new BsonDocument { { "_id", "r2" }, { "t", "l" }, { "ts", new BsonDateTime(1599735600000) }, { "open", true } });
            await rooms.UpdateOneAsync(new BsonDocument("_id", "r1"), new BsonDocument("$set", new BsonDocument("servedBy", new BsonDocument("_id", "a1"))));
            await UntilAsync("SELECT COUNT(*) FROM rooms WHERE (id = 'r1' AND served_by_id = 'a1') OR id = 'r2'", 2);
            await rooms.DeleteOneAsync(new BsonDocument("_id", "r2"));
            await UntilAsync("SELECT COUNT(*) FROM rooms", 2);

            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await client.DropDatabaseAsync(name);
        }
    }
}
