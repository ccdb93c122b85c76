using AnalyticsService.Dates;
using AnalyticsService.Hosting;
using AnalyticsService.Storage;
using BitFaster.Caching.Lru;
using Google.Protobuf;

namespace AnalyticsService.Reports;

/// <summary>
/// The five reports' answers, each kept with the store version it was computed at and reused only while the store is
/// still at that version (every call reads it), so any committed write makes every kept answer stale. An answer is kept
/// by its report, the rooms its range takes in (the range's edges moved onto the rooms at them:
/// <see cref="EdgeHours.RoomEdgesAsync"/>), the caller's scope and the sort asked for. A dashboard asks for a range
/// ending "now" on every refresh: its milliseconds are new each time, the rooms in it only when a conversation began
/// since, and then the store's version has moved on too.
/// </summary>
public sealed class KeptAnswers(StoreVersionReader versions, EdgeHours edges, AnalyticsMetrics? metrics = null)
{
    private readonly ConcurrentLru<Key, (long Version, IMessage Answer)> _answers = new(10_000);

    private readonly record struct Key(string Report, long Start, long End, string? Scope, string? Sort);

    public async ValueTask<TAnswer> GetOrComputeAsync<TAnswer>(string report, ReportRange range, RoomScope scope, string? sort,
        Func<Task<TAnswer>> compute, CancellationToken cancellationToken) where TAnswer : class, IMessage
    {
        // The version first: an answer computed after it is at least that recent, so a kept answer is never older than its version.
        var version = await versions.ReadAsync(cancellationToken);
        var (start, end) = (range.Start.ToUnixTimeMilliseconds(), range.End.ToUnixTimeMilliseconds());
        if (await edges.RoomEdgesAsync(start, end, version, cancellationToken) is not { } rooms)
            return await compute(); // the store moved on while an edge hour was read: nothing sure to keep it by
        var key = new Key(report, rooms.Start, rooms.End, scope.Key, string.IsNullOrEmpty(sort) ? null : sort);
        if (_answers.TryGet(key, out var kept) && kept.Version == version)
        {
            metrics?.Answer(fromMemory: true);
            return (TAnswer)kept.Answer;
        }
        metrics?.Answer(fromMemory: false);
        var answer = await compute();
        _answers.AddOrUpdate(key, (version, answer));
        return answer;
    }
}
