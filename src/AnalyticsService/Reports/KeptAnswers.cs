using AnalyticsService.Dates;
using AnalyticsService.Hosting;
using AnalyticsService.Storage;
using BitFaster.Caching;
using BitFaster.Caching.Lru;
using Google.Protobuf;

namespace AnalyticsService.Reports;

/// <summary>
/// The five reports' answers, each kept with the store version it was computed at and reused only while the store is
/// still at that version (every call reads it), so any committed write makes every kept answer stale. An answer is kept
/// by its report, the rooms its range takes in (the range's edges moved onto the rooms at them:
/// <see cref="EdgeHours.RoomEdgesAsync"/>), the caller's scope and the sort asked for. A dashboard asks for a range
/// ending "now" on every refresh: its milliseconds are new each time, the rooms in it only when a conversation began
/// since, and then the store's version has moved on too. The answers kept are bounded by their size as well as their
/// number: a thousand agents' rows are some thousand times a status answer.
/// </summary>
public sealed class KeptAnswers
{
    /// <summary>The most answers kept, counted by the size of their protobuf: some 5 MB held with their objects and bytes.</summary>
    public const long MaxKeptSize = 1 << 20;

    /// <summary>The longest sort parameter whose answers are kept (the keys hold it).</summary>
    public const int MaxKeptSortLength = 200;

    /// <summary>An answer that took this long to compute is kept at once (a restricted caller's year of tags: seconds).</summary>
    public static readonly TimeSpan CostlyAnswer = TimeSpan.FromMilliseconds(50);

    private readonly StoreVersionReader _versions;
    private readonly EdgeHours _edges;
    private readonly AnalyticsMetrics? _metrics;
    private readonly TimeProvider _clock;
    private readonly ICache<Key, Kept> _answers = new ConcurrentLruBuilder<Key, Kept>().WithCapacity(10_000).WithMetrics().Build();
    private readonly ConcurrentLru<Key, int> _asked = new(10_000); // how many times answers not kept were computed
    private long _keptSize;

    // The version is part of the key, so that a kept answer is never replaced, only added and removed: the size kept is
    // then the sizes added less those removed, as BitFaster's events report them.
    private readonly record struct Key(string Report, long Start, long End, string? Scope, string? Sort, long Version);

    private sealed record Kept(IMessage Answer, int Size);

    public KeptAnswers(StoreVersionReader versions, EdgeHours edges, TimeProvider clock, AnalyticsMetrics? metrics = null)
    {
        (_versions, _edges, _clock, _metrics) = (versions, edges, clock, metrics);
        _answers.Events.Value!.ItemRemoved += (_, removed) => Interlocked.Add(ref _keptSize, -removed.Value!.Size);
    }

    /// <summary>The protobuf size of the answers kept now.</summary>
    public long KeptSize => Interlocked.Read(ref _keptSize);

    public async ValueTask<TAnswer> GetOrComputeAsync<TAnswer>(string report, ReportRange range, RoomScope scope, string? sort,
        Func<Task<TAnswer>> compute, CancellationToken cancellationToken) where TAnswer : class, IMessage
    {
        if (sort?.Length > MaxKeptSortLength)
            return await compute(); // a caller's odd, long sort is not worth its memory in the keys
        // The version first: an answer computed after it is at least that recent, so a kept answer is never older than its version.
        var version = await _versions.ReadAsync(cancellationToken);
        var (start, end) = (range.Start.ToUnixTimeMilliseconds(), range.End.ToUnixTimeMilliseconds());
        if (await _edges.RoomEdgesAsync(start, end, version, cancellationToken) is not { } rooms)
            return await compute(); // the store moved on while an edge hour was read: nothing sure to keep it by
        var key = new Key(report, rooms.Start, rooms.End, scope.Key, string.IsNullOrEmpty(sort) ? null : sort, version);
        if (_answers.TryGet(key, out var kept))
        {
            _metrics?.Answer(fromMemory: true);
            return (TAnswer)kept.Answer;
        }
        _metrics?.Answer(fromMemory: false);
        var started = _clock.GetTimestamp();
        var answer = await compute();
        // Kept the third time it is computed: answers asked for once or twice (a script's, a load test's) are not worth
        // keeping. Kept and soon pushed out again, they outlive the young generations and fill the old one: measured,
        // ranges each asked for twice took the service from 245 MB to 452 MB resident when kept at the second time
        // (4 MB of answers), 317 MB with 1 MB, 275 MB kept at the third time. A costly answer is kept at once.
        var asked = _asked.TryGet(key, out var times) ? times + 1 : 1;
        if (asked >= 3 || _clock.GetElapsedTime(started) >= CostlyAnswer)
            Keep(key, new Kept(answer, answer.CalculateSize()));
        else
            _asked.AddOrUpdate(key, asked);
        return answer;
    }

    private void Keep(Key key, Kept kept)
    {
        if (!ReferenceEquals(_answers.GetOrAdd(key, _ => kept), kept))
            return; // another call kept the same answer first
        Api.AnswerBytes.WriteOnce(kept.Answer);
        // Over the size: the least recently used go, an eighth at a time (a thousand agents' answer is some 30 KB).
        if (Interlocked.Add(ref _keptSize, kept.Size) <= MaxKeptSize)
            return;
        for (var round = 0; round < 16 && KeptSize > MaxKeptSize && _answers.Count > 1; round++)
            _answers.Policy.Eviction.Value!.Trim(Math.Max(1, _answers.Count / 8));
    }
}
