using AnalyticsService.Import;
using AnalyticsService.Storage;

namespace AnalyticsService.Sync;

/// <summary>What a batch of change events did.</summary>
public readonly record struct AppliedChanges(UpsertCounts Counts, int Ignored, IReadOnlyList<string> Invalid, DateTimeOffset? NewestChange);

/// <summary>
/// Applies change events in one transaction, through the importer's readers and the store's one write path (the counts
/// kept with every room), and records the last event's resume token in that same transaction: a crash before the commit
/// leaves both the changes and the token as they were, so the stream resumes where the store is.
/// </summary>
public sealed class ChangeApplier(StoreWriter writer, TimeProvider clock)
{
    /// <summary>Applies the events and records, with them, the last one's resume token, or the poll's watermark when given.</summary>
    public async Task<AppliedChanges> ApplyAsync(string stream, IReadOnlyList<ChangeEvent> events, CancellationToken cancellationToken, long? watermark = null)
    {
        if (events.Count == 0)
            return new AppliedChanges(default, 0, [], null);
        var collections = ExportCollection.All().ToDictionary(c => ExportFiles.Collection(c.FileName), StringComparer.Ordinal);
        var counts = default(UpsertCounts);
        var (ignored, invalid) = (0, new List<string>());
        DateTimeOffset? newest = null;
        ExportCollection? pending = null;
        await using var session = await writer.BeginAsync(cancellationToken);

        // Upserts of one collection in a row go as one batch; anything else first writes what is pending, so the
        // events take effect in their order (an insert then a delete of the same _id leaves nothing).
        async Task FlushAsync()
        {
            if (pending?.TakeBatch() is { } write)
                counts += await write(session, cancellationToken);
            pending = null;
        }

        foreach (var change in events)
        {
            newest = change.WallTime is { } at && (newest is null || at > newest) ? at : newest;
            var collection = change.Collection is { } name && collections.TryGetValue(name, out var c) ? c : null;
            switch (change.Operation)
            {
                case "insert" or "update" or "replace" when collection is not null && change.FullDocument is { } document:
                    if (!ReferenceEquals(pending, collection))
                        await FlushAsync();
                    try
                    {
                        if (collection.Add(document))
                            pending = collection;
                        else
                            ignored++;
                    }
                    catch (DocumentException ex)
                    {
                        // One unreadable document must not stop the stream for good: it is reported and passed over.
                        invalid.Add($"{change.Collection} {change.DocumentId}: {ex.Message}");
                    }
                    break;
                case "delete" when collection is not null && change.DocumentId is { } id && Trash.KindOf(change.Collection!) is { } kind:
                    await FlushAsync();
                    counts += await session.DeleteAsync([new DeletedDocument(kind, id)], cancellationToken);
                    break;
                default:
                    // Another collection; an update whose document is gone since (its delete event follows); a trash
                    // document deleted; drop, rename, invalidate: the caller reads those before they come here.
                    ignored++;
                    break;
            }
        }
        await FlushAsync();
        await session.SaveSyncStateAsync(stream, watermark is null ? events[^1].ResumeToken : null, watermark, clock.GetUtcNow(), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new AppliedChanges(counts, ignored, invalid, newest);
    }
}
