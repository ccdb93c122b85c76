using System.Collections.Concurrent;

namespace AnalyticsService.Hosting;

/// <summary>
/// A concurrent map of values worth keeping between calls, bounded in size: when full it simply starts over.
/// The one rule for every such map in the service (parsed ranges, built responses, answers by store version).
/// </summary>
public sealed class BoundedMap<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _values = new();

    public bool TryGet(TKey key, out TValue value) => _values.TryGetValue(key, out value!);

    public TValue Set(TKey key, TValue value)
    {
        if (_values.Count >= capacity)
            _values.Clear();
        return _values[key] = value;
    }
}
