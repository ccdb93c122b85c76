using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AnalyticsService.Storage;
using AnalyticsService.Sync;
using AnalyticsService.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;

namespace AnalyticsService.Tests;

/// <summary>
/// The follower's loop over a scripted source (what the driver hands over, as MongoDB writes it): a full load on an empty
/// store, then the change stream from the recorded position; a lost position answered by a full load; failures retried
/// with back-off, waited on a clock that records each wait instead of passing time.
/// </summary>
public sealed class FollowerTests
{
    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Room(string id, string ts, string more = "") => $$"""{"_id":"{{id}}","t":"l","ts":{"$date":"{{ts}}"}{{more}}}""";

    private static string Insert(string token, string collection, string document) =>
        $$"""{"_id":{"_data":"{{token}}"},"operationType":"insert","ns":{"db":"rocketchat","coll":"{{collection}}"},"documentKey":{"_id":"x"},"fullDocument":{{document}}}""";

    /// <summary>A source that serves fixed collections and, per position, a script of what its stream does.</summary>
    private sealed class ScriptedSource : IChangeSource
    {
        public Dictionary<string, List<string>> Collections { get; } = new(StringComparer.Ordinal);
        public Queue<string> Positions { get; } = new();
        public ConcurrentQueue<string> Watched { get; } = new();

        /// <summary>Per watch call, in order: batches to hand over, or an exception to throw; after the script, the stream waits.</summary>
        public Queue<Func<IReadOnlyList<IReadOnlyList<string>>>> Streams { get; } = new();

        public TaskCompletionSource Idle { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool ChangeStreams { get; init; } = true;

        /// <summary>Each poll of a collection: its name, the field and the time asked from.</summary>
        public ConcurrentQueue<(string Collection, string Field, long Since)> Polled { get; } = new();

        public Task<bool> HasChangeStreamsAsync(CancellationToken cancellationToken) => Task.FromResult(ChangeStreams);

        /// <summary>Each question of the sweep: the collection and how many ids it asked about.</summary>
        public ConcurrentQueue<(string Collection, int Ids)> Asked { get; } = new();

        public Task<IReadOnlySet<string>> ExistingIdsAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
        {
            Asked.Enqueue((collection, ids.Count));
            var held = (Collections.GetValueOrDefault(collection) ?? []).Select(d => Json(d).GetProperty("_id").GetString()!).ToHashSet();
            return Task.FromResult<IReadOnlySet<string>>(ids.Where(held.Contains).ToHashSet());
        }

        public async IAsyncEnumerable<IReadOnlyList<JsonElement>> ChangedSinceAsync(string collection, string field, long since,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (collection == "rocketchat__trash" && Polled.Any(p => p.Collection == collection))
            {
                Polled.Enqueue((collection, field, since));
                Idle.TrySetResult(); // the end of the second round (the trash is polled last): the test has seen two
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            Polled.Enqueue((collection, field, since));
            var changed = (Collections.GetValueOrDefault(collection) ?? []).Select(Json)
                .Where(d => d.TryGetProperty(field, out var at) && DateTimeOffset.Parse(at.GetProperty("$date").GetString()!).ToUnixTimeMilliseconds() >= since)
                .ToList();
            if (changed.Count > 0)
                yield return changed;
        }

        /// <summary>How many of the next calls for the position of "now" fail, as a lost connection would.</summary>
        public int FailingPositions { get; set; }

        public Task<string> PositionNowAsync(CancellationToken cancellationToken) =>
            FailingPositions-- > 0 ? Task.FromException<string>(new IOException("connection reset")) : Task.FromResult(Positions.Dequeue());

        public async IAsyncEnumerable<JsonElement> ReadAllAsync(string collection, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var document in Collections.GetValueOrDefault(collection) ?? [])
                yield return Json(document);
        }

        public async IAsyncEnumerable<IReadOnlyList<JsonElement>> WatchAsync(string position, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Watched.Enqueue(position);
            if (Streams.TryDequeue(out var script))
            {
                foreach (var batch in script())
                    yield return batch.Select(Json).ToList();
            }
            else
            {
                Idle.TrySetResult(); // a stream with nothing more to say waits, as a change stream does
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }

    /// <summary>A clock whose timers fire at once, recording how long each was asked to wait.</summary>
    private sealed class RecordingClock : TimeProvider
    {
        public ConcurrentQueue<TimeSpan> Waits { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Waits.Enqueue(dueTime);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new NoTimer();
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class Run : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;

        public Run(AnalyticsFactory factory, ScriptedSource source, TimeProvider clock, ConcurrentQueue<string> logs)
        {
            var follower = new MongoFollower(source, new ChangeApplier(factory.Writer, clock), new Import.Importer(factory.Writer), factory.Services.GetRequiredService<Store>(), factory.Writer, clock, new ListLogger(logs));
            _running = Task.Run(() => follower.RunAsync(_stop.Token));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _running.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger<MongoFollower>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }

    private static async Task<List<string>> RoomIdsAsync(AnalyticsFactory factory)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        return (await connection.QueryAsync<string>("SELECT id FROM rooms ORDER BY id")).ToList();
    }

    /// <summary>A position recorded by an earlier run, which the server may no longer have.</summary>
    private static async Task StorePositionAsync(AnalyticsFactory factory, string token)
    {
        await using var session = await factory.Writer.BeginAsync();
        await session.SaveSyncStateAsync(MongoFollower.Stream, token, null, DateTimeOffset.UnixEpoch, CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }

    private static async Task<string?> PositionAsync(AnalyticsFactory factory)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        return await connection.ExecuteScalarAsync<string?>("SELECT resume_token FROM sync_state WHERE stream = 'changes'");
    }

    [Fact]
    public async Task An_empty_store_is_loaded_in_full_then_follows_the_stream_from_the_position_taken_before_the_load()
    {
        await using var factory = new AnalyticsFactory().WithoutDefaults();
        await factory.RestAsync();
        var source = new ScriptedSource();
        source.Collections["rocketchat_room"] = [Room("r1", "2020-09-10T10:00:00Z"), Room("r2", "2020-09-10T11:00:00Z"), Room("c1", "2020-09-10T11:00:00Z").Replace("\"l\"", "\"c\"")];
        source.Collections["rocketchat__trash"] = ["""{"_id":"r2","__collection__":"rocketchat_room","_deletedAt":{"$date":"2020-09-11T00:00:00Z"}}"""];
        source.Positions.Enqueue("""{"startAtOperationTime":{"$timestamp":{"t":1700000000,"i":1}}}""");
        source.Streams.Enqueue(() => [[Insert("T1", "rocketchat_room", Room("r3", "2020-09-10T12:00:00Z"))]]);
        var logs = new ConcurrentQueue<string>();

        await using (new Run(factory, source, TimeProvider.System, logs))
            await source.Idle.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["r1", "r3"], await RoomIdsAsync(factory)); // r2 is in the trash; c1 is no omnichannel room
        Assert.Equal(["""{"startAtOperationTime":{"$timestamp":{"t":1700000000,"i":1}}}""", """{"_data":"T1"}"""], source.Watched);
        Assert.Equal("""{"_data":"T1"}""", await PositionAsync(factory));
        Assert.Contains("Information: Loaded rocketchat_room: 3 documents, 0 that could not be read, 0 deleted that MongoDB no longer holds.", logs);
    }

    [Fact]
    public async Task A_position_the_server_no_longer_has_is_answered_by_a_full_load_and_a_log_line()
    {
        await using var factory = new AnalyticsFactory().WithoutDefaults();
        await factory.RestAsync();
        await StorePositionAsync(factory, """{"_data":"OLD"}""");
        var source = new ScriptedSource();
        source.Collections["rocketchat_room"] = [Room("r1", "2020-09-10T10:00:00Z")];
        source.Positions.Enqueue("""{"startAtOperationTime":{"$timestamp":{"t":1700000500,"i":1}}}""");
        source.Streams.Enqueue(() => throw new ChangeHistoryLostException("ChangeStreamHistoryLost"));
        var logs = new ConcurrentQueue<string>();

        await using (new Run(factory, source, TimeProvider.System, logs))
            await source.Idle.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["r1"], await RoomIdsAsync(factory));
        Assert.Equal(["""{"_data":"OLD"}""", """{"startAtOperationTime":{"$timestamp":{"t":1700000500,"i":1}}}"""], source.Watched);
        Assert.Contains(logs, line => line.StartsWith("Warning: MongoDB no longer holds the changes after the stored position (ChangeStreamHistoryLost): loading every collection again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_load_deletes_what_the_store_holds_and_MongoDB_no_longer_does_page_by_page_and_out_of_every_count()
    {
        await using var factory = new AnalyticsFactory().WithoutDefaults();
        var admin = await factory.CreateUserAsync("admin");
        var client = await factory.RestAsync();
        // Stored before the position was lost; MongoDB keeps every third room and agent a2, and deleted the rest directly
        // (not through the trash), which no change event will ever tell.
        var stored = Enumerable.Range(0, 2 * MongoFollower.SweepPage + 1).Select(i => $"r{i:D5}").ToList();
        var rooms = stored.Select((id, i) => Room(id, "2020-09-10T10:00:00Z", $$""","open":true,"servedBy":{"_id":"a{{i % 2}}"}""")).ToList();
        string[] users = ["""{"_id":"a1","username":"a1","name":"Ann"}""", """{"_id":"a2","username":"a2","name":"Bob"}"""];
        using (var export = new TempDirectory("analytics-sweep-"))
        {
            await File.WriteAllLinesAsync(export.Combine("rocketchat_room.json"), rooms);
            await File.WriteAllLinesAsync(export.Combine("users.json"), users);
            await factory.Services.GetRequiredService<Import.Importer>().ImportAsync(export.Path, skipInvalid: false);
        }
        var source = new ScriptedSource();
        source.Collections["rocketchat_room"] = [.. rooms.Where((_, i) => i % 3 == 0)];
        // The caller of the reports below is in MongoDB too, with its login token as Rocket.Chat stores it.
        source.Collections["users"] = [users[1], 
            $$"""{"_id":"{{admin.Id}}","username":"admin","roles":["admin"],"services":{"resume":{"loginTokens":[{"hashedToken":"{{LoginTokens.Hash(admin.Token)}}" """.TrimEnd() + "}]}}}"];
        source.Collections["rocketchat_permissions"] = ["""{"_id":"view-livechat-reports","roles":["admin"]}"""];
        source.Positions.Enqueue("""{"startAtOperationTime":{"$timestamp":{"t":1700000500,"i":1}}}""");
        var logs = new ConcurrentQueue<string>();

        await using (new Run(factory, source, TimeProvider.System, logs))
            await source.Idle.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var kept = stored.Where((_, i) => i % 3 == 0).ToList();
        Assert.Equal(kept, await RoomIdsAsync(factory));
        Assert.Equal([MongoFollower.SweepPage, MongoFollower.SweepPage, 1], source.Asked.Where(a => a.Collection == "rocketchat_room").Select(a => a.Ids));
        Assert.Contains($"Information: Loaded rocketchat_room: {kept.Count} documents, 0 that could not be read, {stored.Count - kept.Count} deleted that MongoDB no longer holds.", logs);
        Assert.Contains("Information: Loaded users: 2 documents, 0 that could not be read, 1 deleted that MongoDB no longer holds.", logs);
        var (a0, a1) = (kept.Count(id => int.Parse(id[1..]) % 2 == 0), kept.Count(id => int.Parse(id[1..]) % 2 == 1));
        Assert.Equal($$"""{"total":{{kept.Count}},"data":[{"label":"Open","value":{{kept.Count}}},{"label":"Closed","value":0},{"label":"Queued","value":0},{"label":"On_Hold","value":0}],"success":true}""",
            (await client.SendAsync(admin.Get("/api/v1/livechat/analytics/dashboards/conversations-by-status?start=2020-09-10&end=2020-09-11")).ReadAsync()).Body);
        Assert.Equal($$"""{"total":{{kept.Count}},"data":[{"label":"a0","value":{{a0}}},{"label":"a1","value":{{a1}}}],"unspecified":0,"success":true}""",
            (await client.SendAsync(admin.Get("/api/v1/livechat/analytics/dashboards/conversations-by-agent?start=2020-09-10&end=2020-09-11")).ReadAsync()).Body);
    }

    [Fact]
    public async Task A_failure_during_the_full_load_after_a_lost_position_is_retried_like_any_other()
    {
        await using var factory = new AnalyticsFactory().WithoutDefaults();
        await factory.RestAsync();
        await StorePositionAsync(factory, """{"_data":"OLD"}""");
        var source = new ScriptedSource { FailingPositions = 1 };
        source.Collections["rocketchat_room"] = [Room("r1", "2020-09-10T10:00:00Z")];
        source.Positions.Enqueue("""{"startAtOperationTime":{"$timestamp":{"t":1700000600,"i":1}}}""");
        source.Streams.Enqueue(() => throw new ChangeHistoryLostException("ChangeStreamHistoryLost"));
        var clock = new RecordingClock();
        var logs = new ConcurrentQueue<string>();

        await using (new Run(factory, source, clock, logs))
            await source.Idle.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The load failed once, was retried after a second, and the stream then went on from the new position.
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Waits);
        Assert.Equal(["r1"], await RoomIdsAsync(factory));
        Assert.Equal(["""{"_data":"OLD"}""", """{"startAtOperationTime":{"$timestamp":{"t":1700000600,"i":1}}}"""], source.Watched);
        Assert.Contains("Warning: Following MongoDB failed (IOException: connection reset); trying again in 1 s.", logs);
    }

    [Fact]
    public async Task Failures_are_retried_with_growing_waits_and_no_change_is_lost()
    {
        await using var factory = new AnalyticsFactory().WithoutDefaults();
        await factory.RestAsync();
        var source = new ScriptedSource();
        source.Positions.Enqueue("""{"startAtOperationTime":{"$timestamp":{"t":1,"i":1}}}""");
        source.Streams.Enqueue(() => [[Insert("T1", "rocketchat_room", Room("r1", "2020-09-10T10:00:00Z"))]]);
        source.Streams.Enqueue(() => throw new IOException("connection reset"));
        // As the driver words it: its selector, its whole view of the cluster and stack traces, which the log leaves out.
        source.Streams.Enqueue(() => throw new TimeoutException("A timeout occurred after 500ms selecting a server using CompositeServerSelector{ Selectors = "
            + "ReadPreferenceServerSelector{ ReadPreference = { Mode : Primary } } }. Client view of cluster state is { ClusterId : \"1\" }\n ---> "
            + "System.Net.Sockets.SocketException (111): Connection refused\n   at MongoDB.Driver.Core.Connections.TcpStreamFactory.Connect()"));
        source.Streams.Enqueue(() => throw new IOException("connection refused"));
        source.Streams.Enqueue(() => [[Insert("T2", "rocketchat_room", Room("r2", "2020-09-10T11:00:00Z"))]]);
        var clock = new RecordingClock();
        var logs = new ConcurrentQueue<string>();

        await using (new Run(factory, source, clock, logs))
            await source.Idle.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], clock.Waits);
        Assert.Equal(["r1", "r2"], await RoomIdsAsync(factory));
        // Each watch after a failure starts from the last change applied.
        Assert.Equal(["""{"_data":"T1"}""", """{"_data":"T1"}""", """{"_data":"T1"}""", """{"_data":"T1"}""", """{"_data":"T2"}"""], source.Watched.Skip(1));
        Assert.Contains("Warning: Following MongoDB failed (TimeoutException: A timeout occurred after 500ms selecting a server); trying again in 2 s.", logs);
    }

    [Fact]
    public async Task A_standalone_server_is_polled_by_updatedAt_and_deletedAt_with_a_watermark_kept_per_collection()
    {
        await using var factory = new AnalyticsFactory().WithoutDefaults();
        await factory.RestAsync();
        var source = new ScriptedSource { ChangeStreams = false };
        source.Collections["rocketchat_room"] =
        [
            Room("r1", "2020-09-10T10:00:00Z", ""","_updatedAt":{"$date":"2023-11-14T10:00:00Z"}"""),
            Room("r2", "2020-09-10T11:00:00Z", ""","_updatedAt":{"$date":"2023-11-14T10:00:05Z"}"""),
        ];
        source.Collections["rocketchat__trash"] = ["""{"_id":"r1","__collection__":"rocketchat_room","_deletedAt":{"$date":"2023-11-14T10:00:09Z"}}"""];
        // Stored before, then deleted in MongoDB without the trash: no stamp tells it, the first round's sweep does.
        await factory.AddRoomsAsync(new RoomRecord("gone", "l", DateTimeOffset.Parse("2020-09-10T09:00:00Z")));
        var logs = new ConcurrentQueue<string>();

        await using (new Run(factory, source, new RecordingClock(), logs))
            await source.Idle.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["r2"], await RoomIdsAsync(factory));
        Assert.Contains("Information: Deleted 1 documents of rocketchat_room that MongoDB no longer holds.", logs);
        // Only the first round swept (the next is due in an hour): two rounds polled, one question per collection.
        Assert.Single(source.Asked, a => a.Collection == "rocketchat_room");
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        Assert.Equal([("poll:rocketchat__trash", 1699956009000L), ("poll:rocketchat_room", 1699956005000L)],
            await connection.QueryAsync<(string, long)>("SELECT stream, watermark FROM sync_state WHERE watermark IS NOT NULL ORDER BY stream"));
        // The second round asks for rooms from the newest _updatedAt the first applied.
        Assert.Contains(("rocketchat_room", "_updatedAt", 1699956005000L), source.Polled);
        Assert.Contains(("rocketchat__trash", "_deletedAt", long.MinValue / 2), source.Polled);
    }

    [Fact]
    public async Task BSON_as_the_driver_hands_it_over_is_stored_as_the_importer_stores_mongoexport_files()
    {
        // The types Rocket.Chat's documents hold: ObjectId, dates, booleans, 64-bit integers, null, nested documents, arrays.
        var document = new BsonDocument
        {
            { "_id", new ObjectId("5f5a0e3c8e0b2a0001a1b2c3") }, { "t", "l" }, { "ts", new BsonDateTime(1599732000000) },
            { "open", true }, { "servedBy", new BsonDocument { { "_id", "a1" }, { "username", "ann" } } }, { "departmentId", BsonNull.Value },
            { "metrics", new BsonDocument("chatDuration", new BsonInt64(300)) }, { "tags", new BsonArray { "vip" } },
        };
        var change = new BsonDocument
        {
            { "_id", new BsonDocument("_data", "826500") }, { "operationType", "insert" },
            { "ns", new BsonDocument { { "db", "rocketchat" }, { "coll", "rocketchat_room" } } },
            { "documentKey", new BsonDocument("_id", new ObjectId("5f5a0e3c8e0b2a0001a1b2c3")) }, { "fullDocument", document },
        };
        await using var factory = new AnalyticsFactory().WithoutDefaults();
        await factory.RestAsync();

        await new ChangeApplier(factory.Writer, TimeProvider.System).ApplyAsync("changes", [ChangeEvent.Parse(MongoChangeSource.ToJson(change))], CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        Assert.Equal(("5f5a0e3c8e0b2a0001a1b2c3", 1599732000000L, 2L, "a1", 1L, 300.0, """["vip"]""", 1L, 1L), await connection.QuerySingleAsync<(string, long, long, string, long, double, string, long, long)>(
            "SELECT id, ts, served_by_kind, served_by_id, department_kind, chat_duration, tags, is_open, is_closed FROM rooms"));
    }
}
