using System.Text.Json;
using AnalyticsService.Api;

namespace AnalyticsService.Reports;

/// <summary>
/// A report's sort parameter, as Rocket.Chat's parseJsonQuery reads it (docs/behaviour.md, "Sort"): a JSON object
/// whose every value is 1 or -1, its keys applied in order. Rows are compared key by key, then by label and id.
/// </summary>
public sealed record ReportSort(IReadOnlyList<(string Key, int Direction)> Keys)
{
    public static ReportSort ByTotalAscending { get; } = new([("total", 1)]);

    public static ReportSort ByNameAscending { get; } = new([("name", 1)]);

    public static ReportSort ByTotalDescending { get; } = new([("total", -1)]);

    /// <summary>The sort a caller asked for; absent or empty means the report's default.</summary>
    public static ReportSort Parse(string? raw, ReportSort defaultSort)
    {
        if (string.IsNullOrEmpty(raw))
            return defaultSort;
        try
        {
            using var json = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 64 });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw ApiError.InvalidSort(raw).ToException();
            // JSON.parse keeps a repeated key where it first appears, with its last value.
            var keys = new List<(string Key, int Direction)>();
            foreach (var property in json.RootElement.EnumerateObject())
            {
                var direction = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetDouble(out var number)
                    ? number switch { 1 => 1, -1 => -1, _ => 0 } : 0;
                if (direction == 0)
                    throw ApiError.InvalidSort(raw).ToException();
                var at = keys.FindIndex(k => k.Key == property.Name);
                if (at >= 0)
                    keys[at] = (property.Name, direction);
                else
                    keys.Add((property.Name, direction));
            }
            return keys.Count > 0 ? new ReportSort(keys) : throw ApiError.InvalidSort(raw).ToException();
        }
        catch (JsonException)
        {
            throw ApiError.InvalidSort(raw).ToException();
        }
    }

    /// <summary>Orders rows: by the sort's keys, then by label and id ascending, so that every answer is deterministic.</summary>
    public List<T> Apply<T>(List<T> rows, Func<T, string, object?> valueOf, Func<T, string?> label, Func<T, string?> id)
    {
        var order = new int[rows.Count];
        for (var r = 0; r < order.Length; r++)
            order[r] = r;
        SortByLevel(order, 0, order.Length, 0, rows, valueOf, label, id);
        var sorted = new List<T>(order.Length);
        foreach (var r in order)
            sorted.Add(rows[r]);
        return sorted;
    }

    // Sorts order[from, to) by the value at this level (a sort key, then the label, then the id), then each run of equal
    // values by the next level: an array sort on numbers per level rather than a comparison that walks the levels, and a
    // level's values read and ranked only for the rows its runs hold (ties beyond the first key are few). Strings are
    // compared by their rank in UTF-8 order (SortRanks): a thousand agents are about ten thousand comparisons, which
    // compared names took a fifth of the call's time.
    private void SortByLevel<T>(int[] order, int from, int to, int level, List<T> rows, Func<T, string, object?> valueOf,
        Func<T, string?> label, Func<T, string?> id)
    {
        var values = new object?[to - from];
        for (var i = 0; i < values.Length; i++)
        {
            var row = rows[order[from + i]];
            values[i] = level < Keys.Count ? valueOf(row, Keys[level].Key) : level == Keys.Count ? label(row) : id(row);
        }
        var keys = SortRanks.Rank(values);
        if (level < Keys.Count && Keys[level].Direction < 0)
        {
            for (var i = 0; i < keys.Length; i++)
                keys[i] = ~keys[i]; // reverses the order exactly
        }
        keys.AsSpan().Sort(order.AsSpan(from, to - from));
        if (level == Keys.Count + 1)
            return;
        for (var run = 0; run < keys.Length;)
        {
            var end = run + 1;
            while (end < keys.Length && keys[end] == keys[run])
                end++;
            if (end - run > 1)
                SortByLevel(order, from + run, from + end, level + 1, rows, valueOf, label, id);
            run = end;
        }
    }
}

/// <summary>
/// Sort values as numbers that order as MongoDB orders the values (<see cref="MongoOrder"/>): null first, then numbers
/// (a report's totals: counts, far below 2^62), then strings by their rank among every string ranked so far, above 2^62.
/// The ranks are kept across calls (labels and ids repeat from one answer to the next) and extended when a call brings
/// strings they lack.
/// </summary>
public static class SortRanks
{
    private const int MaxKept = 100_000; // beyond this many strings, the ranks start again from one call's strings
    private const long Strings = 1L << 62;

    private static volatile Dictionary<string, int> _ranks = new(StringComparer.Ordinal);

    public static long[] Rank(object?[] values)
    {
        if (RankWith(_ranks, values) is { } ranked)
            return ranked;
        var extended = Extended(_ranks, values.OfType<string>());
        _ranks = extended;
        return RankWith(extended, values)!;
    }

    // Null when a string is not ranked yet (ranks then change: the values are ranked again against the extended ones).
    private static long[]? RankWith(Dictionary<string, int> ranks, object?[] values)
    {
        var ranked = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            switch (values[i])
            {
                case long number:
                    ranked[i] = number;
                    break;
                case string text:
                    if (!ranks.TryGetValue(text, out var rank))
                        return null;
                    ranked[i] = Strings + rank;
                    break;
                default: // null (a value of another type is built by no report)
                    ranked[i] = long.MinValue;
                    break;
            }
        }
        return ranked;
    }

    private static Dictionary<string, int> Extended(Dictionary<string, int> ranks, IEnumerable<string> strings)
    {
        var all = (ranks.Count < MaxKept ? ranks.Keys.Concat(strings) : strings).Distinct(StringComparer.Ordinal).ToList();
        all.Sort(MongoOrder.CompareUtf8);
        var extended = new Dictionary<string, int>(all.Count, StringComparer.Ordinal);
        for (var i = 0; i < all.Count; i++)
            extended[all[i]] = i;
        return extended;
    }
}

/// <summary>How MongoDB orders strings: by their UTF-8 bytes (null and numbers come before them: <see cref="SortRanks"/>).</summary>
public static class MongoOrder
{
    // UTF-8 byte order is code point order. Ordinal over UTF-16 differs from it only where a character above U+FFFF
    // (a surrogate pair) meets one from U+E000 to U+FFFF, so the first differing UTF-16 units decide unless one of them
    // is a surrogate; then the strings are compared by code point, without encoding either. (Sorting a thousand agents
    // by name compares about ten thousand pairs that share a prefix: rune by rune was a visible part of the answer.)
    public static int CompareUtf8(string x, string y)
    {
        var common = x.AsSpan().CommonPrefixLength(y);
        if (common == x.Length || common == y.Length)
            return x.Length.CompareTo(y.Length);
        var (cx, cy) = (x[common], y[common]);
        if (!char.IsSurrogate(cx) && !char.IsSurrogate(cy))
            return cx.CompareTo(cy);
        var (a, b) = (x.EnumerateRunes(), y.EnumerateRunes());
        while (true)
        {
            var (moreA, moreB) = (a.MoveNext(), b.MoveNext());
            if (!moreA || !moreB)
                return moreA.CompareTo(moreB);
            var order = a.Current.Value.CompareTo(b.Current.Value);
            if (order != 0)
                return order;
        }
    }
}
