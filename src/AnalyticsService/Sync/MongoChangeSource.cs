using System.Runtime.CompilerServices;
using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Driver;

namespace AnalyticsService.Sync;

/// <summary>
/// Rocket.Chat's MongoDB through the official driver, read from a secondary when there is one (secondaryPreferred, as
/// Rocket.Chat reads its reports). Documents and events are handed on as relaxed Extended JSON, which the importer reads.
/// </summary>
public sealed class MongoChangeSource : IChangeSource
{
    private static readonly JsonWriterSettings Relaxed = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson };
    private readonly Lazy<IMongoDatabase> _database;

    // Connected on first use, so that a malformed URL is reported by the settings' check at start, not here.
    public MongoChangeSource(string url) => _database = new(() =>
    {
        var mongoUrl = MongoUrl.Create(url);
        var settings = MongoClientSettings.FromUrl(mongoUrl);
        settings.ReadPreference = ReadPreference.SecondaryPreferred;
        return new MongoClient(settings).GetDatabase(mongoUrl.DatabaseName ?? "rocketchat");
    });

    private IMongoDatabase Database => _database.Value;

    /// <summary>The collections the store keeps (those the importer reads, the trash among them).</summary>
    private static readonly string[] Collections = Import.ExportCollection.All().Select(c => Import.ExportFiles.Collection(c.FileName)).ToArray();

    public async Task<string> PositionNowAsync(CancellationToken cancellationToken)
    {
        // The cluster time of a no-op read: watching from it replays whatever a full load that starts now might miss.
        var reply = await Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
        var time = reply.TryGetValue("operationTime", out var t) ? t.AsBsonTimestamp
            : throw new InvalidOperationException("MongoDB gave no operationTime: change streams need a replica set or a sharded cluster.");
        return new BsonDocument("startAtOperationTime", time).ToJson(Relaxed);
    }

    public async IAsyncEnumerable<JsonElement> ReadAllAsync(string collection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await Database.GetCollection<BsonDocument>(collection)
            .FindAsync(FilterDefinition<BsonDocument>.Empty, new FindOptions<BsonDocument> { BatchSize = 2_000 }, cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            foreach (var document in cursor.Current)
                yield return ToJson(document);
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<JsonElement>> WatchAsync(string position, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new ChangeStreamOptions { FullDocument = ChangeStreamFullDocumentOption.UpdateLookup, BatchSize = 1_000, MaxAwaitTime = TimeSpan.FromSeconds(5) };
        var start = BsonDocument.Parse(position);
        if (start.TryGetValue("startAtOperationTime", out var time))
            options.StartAtOperationTime = time.AsBsonTimestamp;
        else
            options.StartAfter = start; // after an invalidate event too, which resumeAfter refuses
        var pipeline = new EmptyPipelineDefinition<ChangeStreamDocument<BsonDocument>>()
            .Match(new BsonDocument("ns.coll", new BsonDocument("$in", new BsonArray(Collections))));
        IChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor;
        try
        {
            cursor = await Database.WatchAsync(pipeline, options, cancellationToken);
        }
        catch (MongoCommandException ex) when (ex.Code is 286 or 280) // ChangeStreamHistoryLost, ChangeStreamFatalError
        {
            throw new ChangeHistoryLostException(ex.CodeName ?? ex.Message, ex);
        }
        using (cursor)
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await cursor.MoveNextAsync(cancellationToken);
                }
                catch (MongoCommandException ex) when (ex.Code is 286 or 280)
                {
                    throw new ChangeHistoryLostException(ex.CodeName ?? ex.Message, ex);
                }
                if (!more)
                    yield break; // the stream was invalidated (a collection dropped or renamed): watched again after it
                var batch = cursor.Current.Select(change => ToJson(change.BackingDocument)).ToList();
                if (batch.Count > 0)
                    yield return batch;
            }
        }
    }

    public async Task<IReadOnlySet<string>> ExistingIdsAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        // The store keeps an ObjectId _id as its hex: such an id is asked for both ways.
        var values = new BsonArray(ids.Select(id => (BsonValue)id));
        values.AddRange(ids.Where(id => id.Length == 24 && ObjectId.TryParse(id, out _)).Select(id => (BsonValue)ObjectId.Parse(id)));
        var found = new HashSet<string>(StringComparer.Ordinal);
        using var cursor = await Database.GetCollection<BsonDocument>(collection).FindAsync(new BsonDocument("_id", new BsonDocument("$in", values)),
            new FindOptions<BsonDocument> { Projection = new BsonDocument("_id", 1), BatchSize = 10_000 }, cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            foreach (var document in cursor.Current)
                found.Add(document["_id"] is { IsObjectId: true } oid ? oid.AsObjectId.ToString() : document["_id"].ToString()!);
        }
        return found;
    }

    public async Task<bool> HasChangeStreamsAsync(CancellationToken cancellationToken)
    {
        var hello = await Database.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: cancellationToken);
        return hello.Contains("setName") || hello.GetValue("msg", "").AsString == "isdbgrid";
    }

    public async IAsyncEnumerable<IReadOnlyList<JsonElement>> ChangedSinceAsync(string collection, string field, long since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = new BsonDocument(field, new BsonDocument("$gte", new BsonDateTime(since)));
        using var cursor = await Database.GetCollection<BsonDocument>(collection).FindAsync(filter,
            new FindOptions<BsonDocument> { Sort = new BsonDocument(field, 1), BatchSize = 2_000 }, cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            var batch = cursor.Current.Select(ToJson).ToList();
            if (batch.Count > 0)
                yield return batch;
        }
    }

    /// <summary>A BSON document as the relaxed Extended JSON the importer reads.</summary>
    public static JsonElement ToJson(BsonDocument document)
    {
        using var json = JsonDocument.Parse(document.ToJson(Relaxed));
        return json.RootElement.Clone();
    }
}
