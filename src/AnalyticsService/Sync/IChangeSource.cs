using System.Text.Json;

namespace AnalyticsService.Sync;

/// <summary>
/// What following Rocket.Chat's MongoDB needs of it, in the Extended JSON the importer reads: every document of a
/// collection (a full load), and the change events of the database from a position on. MongoChangeSource is the
/// driver's; tests give events as MongoDB writes them.
/// </summary>
public interface IChangeSource
{
    /// <summary>The position of "now", taken before a full load so that nothing written during it is missed.</summary>
    Task<string> PositionNowAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<JsonElement> ReadAllAsync(string collection, CancellationToken cancellationToken);

    /// <summary>
    /// Batches of change events after a position (a resume token, or a position of "now"), with fullDocument looked up
    /// for updates. Throws <see cref="ChangeHistoryLostException"/> when the server no longer holds the position.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<JsonElement>> WatchAsync(string position, CancellationToken cancellationToken);

    /// <summary>
    /// Which of these _ids a collection holds now (an _id is given as the store keeps it: a string, or an ObjectId's hex):
    /// what the store holds beyond them was deleted in MongoDB.
    /// </summary>
    Task<IReadOnlySet<string>> ExistingIdsAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>Whether the deployment has change streams (a replica set or a sharded cluster); a standalone server is polled.</summary>
    Task<bool> HasChangeStreamsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The documents of a collection stamped at or after a time (Unix milliseconds of <paramref name="field"/>:
    /// _updatedAt, or _deletedAt for the trash), in that field's order, in batches.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<JsonElement>> ChangedSinceAsync(string collection, string field, long since, CancellationToken cancellationToken);
}

/// <summary>The server no longer has the changes after the stored position (its oplog rolled over): only a full load can catch up.</summary>
public sealed class ChangeHistoryLostException(string message, Exception? inner = null) : Exception(message, inner);
