using Dapper;
using AnalyticsService.Import;
using AnalyticsService.Storage;

namespace AnalyticsService.Sync;

/// <summary>
/// Keeps the store in step with Rocket.Chat's MongoDB (docs/sync.md): a full load when the store holds no position, then
/// the change stream from the stored resume token, each batch applied with its token in one transaction. A position the
/// server no longer has is answered by a full load again, while the service keeps serving; a lost connection by retries
/// with back-off. It never exits on its own and never skips a change.
/// </summary>
public sealed class MongoFollower(IChangeSource source, ChangeApplier applier, Importer importer, Store store, StoreWriter writer, TimeProvider clock,
    ILogger<MongoFollower> logger, Hosting.AnalyticsMetrics? metrics = null)
{
    /// <summary>The sync_state row of the database's change stream.</summary>
    public const string Stream = "changes";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    /// <summary>Raised after each batch of changes and each full load is committed (for tests and diagnostics).</summary>
    public event Action? Committed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (failures, lost) = (0, false);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!await source.HasChangeStreamsAsync(cancellationToken))
                {
                    await PollAsync(cancellationToken);
                    failures = 0;
                    await Task.Delay(PollInterval, clock, cancellationToken);
                    continue;
                }
                // A lost position is loaded again here, inside the retries: a failure during that load is retried too.
                var position = lost ? null : await StoredPositionAsync(cancellationToken);
                if (position is null)
                {
                    if (!lost)
                        logger.LogInformation("The store holds no sync position: loading every collection from MongoDB.");
                    position = await FullLoadAsync(cancellationToken);
                    lost = false;
                }
                await foreach (var batch in source.WatchAsync(position, cancellationToken))
                {
                    Record(await applier.ApplyAsync(Stream, batch.Select(ChangeEvent.Parse).ToList(), cancellationToken));
                    failures = 0;
                    Committed?.Invoke();
                }
            }
            catch (ChangeHistoryLostException ex)
            {
                logger.LogWarning("MongoDB no longer holds the changes after the stored position ({Reason}): loading every collection again; the service keeps answering meanwhile.",
                    ex.Message);
                lost = true;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                failures++;
                var wait = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures, 10) - 1)));
                // The type and the message's first sentence: the driver names servers, never the connection string's
                // password, but appends its whole view of the cluster, stack traces included.
                logger.LogWarning("Following MongoDB failed ({ExceptionType}: {Message}); trying again in {Seconds} s.",
                    ex.GetType().Name, Brief(ex.Message), wait.TotalSeconds);
                await Task.Delay(wait, clock, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Reads every document of each collection the store keeps (the trash last, for what was deleted), each collection in
    /// one transaction through the importer, and deletes what the store holds beyond them; the position taken before it
    /// is recorded with the last, so a load cut short starts again.
    /// </summary>
    public async Task<string> FullLoadAsync(CancellationToken cancellationToken)
    {
        var position = await source.PositionNowAsync(cancellationToken);
        foreach (var collection in ExportCollection.All())
        {
            var name = ExportFiles.Collection(collection.FileName);
            var invalid = new List<InvalidDocument>();
            // The importer's own loop (reading and writing at once, in batches, one transaction): a full load is an import
            // whose documents come from MongoDB; one that cannot be read is passed over rather than stopping the load.
            var report = await importer.ImportDocumentsAsync(name, "mongodb " + name, Documents(name, cancellationToken), collection, skipInvalid: true,
                invalid, null, collection is Trash ? (session, ct) => session.SaveSyncStateAsync(Stream, position, null, clock.GetUtcNow(), ct) : null,
                cancellationToken);
            var swept = Trash.KindOf(name) is { } kind ? await SweepAsync(name, kind, cancellationToken) : 0;
            metrics?.RowsSynced(report.Imported + report.Updated + report.Removed + swept);
            logger.LogInformation("Loaded {Collection}: {Documents} documents, {Invalid} that could not be read, {Swept} deleted that MongoDB no longer holds.", name,
                report.Imported + report.Updated + report.Skipped + report.Invalid, report.Invalid, swept);
        }
        Committed?.Invoke();
        return position;
    }

    /// <summary>How many stored ids the sweep asks MongoDB about at once.</summary>
    public const int SweepPage = 5_000;

    /// <summary>
    /// Deletes, through the one write path (counts included), the documents of a kind the store holds and MongoDB no longer
    /// does: deleted without passing through the trash (a direct delete in the database), or while the stream's position
    /// was lost. The store is read page by page in id order and MongoDB asked about each page, so memory stays flat. A
    /// document deleted now and inserted again later is brought back by the stream, which replays from before the load.
    /// </summary>
    private async Task<int> SweepAsync(string collection, DocumentKind kind, CancellationToken cancellationToken)
    {
        var (after, swept) = ("", 0);
        while (true)
        {
            var page = new IdPageParameters(after, SweepPage);
            var ids = (await store.QueryAsync(forReports: false, connection => connection.QueryAsync<string>(
                store.Command(store.Dialect.StoredIds(kind), page, cancellationToken: cancellationToken)), cancellationToken)).AsList();
            if (ids.Count == 0)
                return swept;
            var existing = await source.ExistingIdsAsync(collection, ids, cancellationToken);
            var gone = ids.Where(id => !existing.Contains(id)).Select(id => new DeletedDocument(kind, id)).ToList();
            if (gone.Count > 0)
            {
                await using var session = await writer.BeginAsync(cancellationToken);
                swept += (await session.DeleteAsync(gone, cancellationToken)).Removed;
                await session.CommitAsync(cancellationToken);
            }
            after = ids[^1];
        }
    }

    private async IAsyncEnumerable<ExportDocument> Documents(string collection, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var line = 0L;
        await foreach (var document in source.ReadAllAsync(collection, cancellationToken))
            yield return new ExportDocument(document, ++line);
    }

    private static string Brief(string message)
    {
        var line = message.Split('\n', 2)[0];
        foreach (var detail in (string[])[" using CompositeServerSelector", " Client view of cluster state"])
        {
            var at = line.IndexOf(detail, StringComparison.Ordinal);
            if (at > 0)
                line = line[..at];
        }
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    /// <summary>A batch's figures and the documents it passed over.</summary>
    private void Record(AppliedChanges applied)
    {
        metrics?.RowsSynced(applied.Counts.Inserted + applied.Counts.Updated + applied.Counts.Removed);
        if (applied.NewestChange is { } newest)
            metrics?.SyncLag(clock.GetUtcNow() - newest);
        foreach (var problem in applied.Invalid)
            logger.LogWarning("A change could not be read and was passed over: {Problem}", problem);
    }

    private async Task<string?> StoredPositionAsync(CancellationToken cancellationToken) => (await StateAsync(Stream, cancellationToken))?.ResumeToken;

    // A plain read: a write session would take the store's write lock only to look.
    private Task<SyncState?> StateAsync(string stream, CancellationToken cancellationToken) =>
        store.QueryAsync(forReports: false, connection => connection.QuerySingleOrDefaultAsync<SyncState>(
            store.Command(store.Dialect.ReadSyncState, new StreamParameters(stream), cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>How often a standalone server (no change streams) is asked for what changed.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often a polled server is asked which stored documents it still holds.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);

    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>
    /// A standalone server: each collection's documents stamped at or after its watermark (_updatedAt, which Rocket.Chat
    /// sets on every write; _deletedAt for the trash), applied in batches with the newest stamp as the new watermark in
    /// the same transaction. "At or after": documents stamped in the watermark's millisecond are read again, never missed.
    /// </summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        // Polling by stamps cannot see a document deleted without passing through the trash: every SweepInterval (and at
        // the first round) each collection is swept as after a full load.
        var sweep = clock.GetUtcNow() - _lastSweep >= SweepInterval;
        foreach (var collection in ExportCollection.All())
        {
            var name = ExportFiles.Collection(collection.FileName);
            var field = collection is Trash ? "_deletedAt" : "_updatedAt";
            var stream = "poll:" + name;
            var since = (await StateAsync(stream, cancellationToken))?.Watermark ?? long.MinValue / 2;
            await foreach (var batch in source.ChangedSinceAsync(name, field, since, cancellationToken))
            {
                var events = batch.Select(document => new ChangeEvent("", collection is Trash ? "insert" : "replace", name, null, document,
                    document.OptionalDate(field))).ToList();
                var newest = events.Max(e => e.WallTime) is { } at ? at.ToUnixTimeMilliseconds() : since;
                Record(await applier.ApplyAsync(stream, events, cancellationToken, Math.Max(newest, since)));
            }
            if (sweep && Trash.KindOf(name) is { } kind && await SweepAsync(name, kind, cancellationToken) is var swept and > 0)
            {
                metrics?.RowsSynced(swept);
                logger.LogInformation("Deleted {Swept} documents of {Collection} that MongoDB no longer holds.", swept, name);
            }
        }
        if (sweep)
            _lastSweep = clock.GetUtcNow();
        Committed?.Invoke();
    }
}
