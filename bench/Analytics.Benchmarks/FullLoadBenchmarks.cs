using System.Runtime.CompilerServices;
using System.Text.Json;
using AnalyticsService.Demo;
using AnalyticsService.Import;
using AnalyticsService.Storage;
using AnalyticsService.Sync;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace Analytics.Benchmarks;

/// <summary>
/// The follower's full load against <c>import</c> of the same workspace into an empty store: the same rooms, users and
/// departments, once as mongoexport files (the baseline) and once as the BSON the driver receives, decoded and turned
/// into relaxed Extended JSON as MongoChangeSource does. The network and MongoDB's own reading are not in it (no server
/// runs here); everything on this side of the driver is.
/// </summary>
[MemoryDiagnoser]
public class FullLoadBenchmarks
{
    [Params(100_000)]
    public int Rooms { get; set; }

    private string _directory = null!;
    private string _export = null!;
    private Dictionary<string, List<byte[]>> _bson = null!;
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("analytics-bench-full-load-").FullName;
        _export = Path.Combine(_directory, "export");
        new DataGenerator(20261126).Generate(Rooms, 730, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DataGenerator.Shape(1000, 50, 300))
            .WriteExport(_export);
        _bson = Directory.GetFiles(_export, "*.json").ToDictionary(
            file => Path.GetFileNameWithoutExtension(file),
            file => File.ReadLines(file).Select(line => BsonDocument.Parse(line).ToBson()).ToList());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private Store EmptyStore()
    {
        var store = new Store(SqliteFactory.Instance, new SqliteDialect(), new($"Data Source={Path.Combine(_directory, $"store-{++_run}.db")}"), 600);
        new SchemaMigrator(store, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        return store;
    }

    [Benchmark(Baseline = true, Description = "import (mongoexport files)")]
    public Task<ImportReport> Import() => new Importer(new StoreWriter(EmptyStore())).ImportAsync(_export, skipInvalid: false);

    [Benchmark(Description = "sync full load (driver BSON)")]
    public Task<string> FullLoad()
    {
        var store = EmptyStore();
        var writer = new StoreWriter(store);
        var follower = new MongoFollower(new DecodedBsonSource(_bson), new ChangeApplier(writer, TimeProvider.System), new Importer(writer), store, writer,
            TimeProvider.System, NullLogger<MongoFollower>.Instance);
        return follower.FullLoadAsync(CancellationToken.None);
    }

    /// <summary>Each collection's documents as BSON off the wire: decoded by the driver's serializer, then as MongoChangeSource hands them on.</summary>
    private sealed class DecodedBsonSource(Dictionary<string, List<byte[]>> collections) : IChangeSource
    {
        public Task<string> PositionNowAsync(CancellationToken cancellationToken) => Task.FromResult("""{"startAtOperationTime":{"$timestamp":{"t":1,"i":1}}}""");

        public async IAsyncEnumerable<JsonElement> ReadAllAsync(string collection, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var bytes in collections.GetValueOrDefault(collection) ?? [])
                yield return MongoChangeSource.ToJson(BsonSerializer.Deserialize<BsonDocument>(bytes));
        }

        public Task<IReadOnlySet<string>> ExistingIdsAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlySet<string>>(ids.ToHashSet()); // an empty store: the sweep finds what it just loaded

        public IAsyncEnumerable<IReadOnlyList<JsonElement>> WatchAsync(string position, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> HasChangeStreamsAsync(CancellationToken cancellationToken) => Task.FromResult(true);
        public IAsyncEnumerable<IReadOnlyList<JsonElement>> ChangedSinceAsync(string collection, string field, long since, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
