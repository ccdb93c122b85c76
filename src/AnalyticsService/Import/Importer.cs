using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using AnalyticsService.Storage;

namespace AnalyticsService.Import;

/// <summary>What an import did with one file. Removed: stored rooms whose newer document is no longer omnichannel.</summary>
public sealed record FileReport(string File, long Imported, long Updated, long Skipped, long Invalid, long Removed = 0);

/// <summary>A document that could not be read, where it is and why.</summary>
public sealed record InvalidDocument(string File, long Line, string Error)
{
    public override string ToString() => $"{File}:{Line}: {Error}";
}

/// <summary>What an import did: the files it read, the documents it could not, and the *.json files it does not read.</summary>
public sealed record ImportReport(IReadOnlyList<FileReport> Files, IReadOnlyList<InvalidDocument> Invalid, IReadOnlyList<string> NotRead);

/// <summary>Progress of the file being read: documents so far and since when.</summary>
public readonly record struct ImportProgress(string File, long Documents, TimeSpan Elapsed, bool Finished);

/// <summary>An import that cannot go on: one line that says where and why.</summary>
public sealed class ImportException(string message) : Exception(message);

/// <summary>
/// Imports mongoexport files of Rocket.Chat's collections (docs/behaviour.md, "Data"). Each file is read as a stream and
/// written in batches inside one transaction: a file is imported whole or, when a document cannot be read, not at
/// all (unless invalid documents are to be skipped). Every document is an upsert by _id, so importing again, or a
/// newer export, brings the store up to date.
/// </summary>
public sealed class Importer(StoreWriter writer, Hosting.AnalyticsMetrics? metrics = null)
{
    // The rows in flight (the batch being filled, two waiting, one being written) survive the collector's young
    // collections, which copy them: a million rooms spent 1.55-1.84 s in collections with batches of 2,000 and
    // 1.19-1.36 s with 500 (median 19.8 s against 21.0 s, six alternating imports each); 250 gained nothing more.
    public const int BatchSize = 500;

    public async Task<ImportReport> ImportAsync(string directory, bool skipInvalid, IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
            throw new ImportException($"{directory}: no such directory");
        var files = new List<FileReport>();
        var invalid = new List<InvalidDocument>();
        foreach (var collection in ExportCollection.All())
        {
            var path = Path.Combine(directory, collection.FileName);
            if (Directory.Exists(path) || (!File.Exists(path) && new FileInfo(path).LinkTarget is not null))
                throw new ImportException($"{path}: cannot be read: not a regular file");
            if (File.Exists(path))
                files.Add(await ImportFileAsync(path, collection, skipInvalid, invalid, progress, cancellationToken));
        }
        var known = ExportCollection.All().Select(c => c.FileName).ToHashSet(StringComparer.Ordinal);
        var notRead = Directory.EnumerateFiles(directory, "*.json").Select(Path.GetFileName).OfType<string>()
            .Where(name => !known.Contains(name)).Order(StringComparer.Ordinal).ToList();
        return new ImportReport(files, invalid, notRead);
    }

    private async Task<FileReport> ImportFileAsync(string path, ExportCollection collection, bool skipInvalid, List<InvalidDocument> invalid,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImportException($"{path}: cannot be read: {ex.Message}");
        }

        await using (stream)
            return await ImportDocumentsAsync(name, path, MongoExportReader.ReadAsync(stream, cancellationToken), collection, skipInvalid, invalid, progress,
                null, cancellationToken);
    }

    /// <summary>
    /// Writes a collection's documents in batches inside one transaction, reading and writing at once: from a file, or
    /// from MongoDB for a full load (whose position is saved by <paramref name="beforeCommit"/> in the same transaction).
    /// <paramref name="where"/> names the source in errors.
    /// </summary>
    public async Task<FileReport> ImportDocumentsAsync(string name, string where, IAsyncEnumerable<ExportDocument> documentsToRead,
        ExportCollection collection, bool skipInvalid, List<InvalidDocument> invalid, IProgress<ImportProgress>? progress,
        Func<WriteSession, CancellationToken, Task>? beforeCommit, CancellationToken cancellationToken)
    {
        await using (var session = await writer.BeginAsync(cancellationToken))
        {
            // Reading and writing overlap: one task parses the file, another writes the batches it hands over.
            var batches = Channel.CreateBounded<Func<WriteSession, CancellationToken, Task<UpsertCounts>>>(
                new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var writing = WriteBatchesAsync(batches, session, cancellationToken);
            var clock = Stopwatch.StartNew();
            long documents = 0, skipped = 0, invalidHere = 0;
            var lastReport = TimeSpan.Zero;
            try
            {
                await foreach (var document in documentsToRead.WithCancellation(cancellationToken))
                {
                    documents++;
                    string? error = null;
                    try
                    {
                        if (!collection.Add(document))
                            skipped++;
                    }
                    catch (DocumentException ex)
                    {
                        error = ex.Message;
                    }
                    if (error is not null)
                    {
                        if (!skipInvalid)
                            throw new ImportException($"{where}:{document.Line}: {error}. Nothing of {name} was imported.");
                        invalid.Add(new InvalidDocument(name, document.Line, error));
                        invalidHere++;
                    }
                    if (collection.Pending >= BatchSize)
                        await batches.Writer.WriteAsync(collection.TakeBatch()!, cancellationToken);
                    if (progress is not null && clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(500))
                    {
                        lastReport = clock.Elapsed;
                        progress.Report(new ImportProgress(name, documents, clock.Elapsed, false));
                    }
                }
                if (collection.TakeBatch() is { } last)
                    await batches.Writer.WriteAsync(last, cancellationToken);
            }
            catch (ChannelClosedException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException); // the writer failed: its error is the one to report
            }
            finally
            {
                batches.Writer.TryComplete();
                if (!writing.IsCompleted)
                    await Task.WhenAny(writing); // never leave the writer running on a session about to be disposed
            }
            var counts = await writing;
            if (beforeCommit is not null)
                await beforeCommit(session, cancellationToken);
            await session.CommitAsync(cancellationToken);
            progress?.Report(new ImportProgress(name, documents, clock.Elapsed, true));
            metrics?.RowsImported(name, counts.Inserted + counts.Updated + counts.Removed);
            return new FileReport(name, counts.Inserted, counts.Updated, skipped + counts.Skipped, invalidHere, counts.Removed);
        }
    }

    private static async Task<UpsertCounts> WriteBatchesAsync(Channel<Func<WriteSession, CancellationToken, Task<UpsertCounts>>> batches,
        WriteSession session, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var counts = default(UpsertCounts);
        try
        {
            await foreach (var write in batches.Reader.ReadAllAsync(cancellationToken))
                counts += await write(session, cancellationToken);
            return counts;
        }
        catch (Exception ex)
        {
            batches.Writer.TryComplete(ex);
            throw;
        }
    }
}
