using AnalyticsService.Hosting;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Storage;

/// <summary>
/// Keeps answers about who a caller is and what it may see for Analytics:AuthCacheSeconds, so that a call does not
/// read users, roles and permissions each time: a revoked token or a changed role counts within that bound. Callers
/// keep only what was found (a flood of wrong tokens cannot fill it); the number of entries is bounded.
/// </summary>
public sealed class AuthCache<TKey, TValue>(IOptions<AnalyticsOptions> options, TimeProvider clock) where TKey : notnull
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentLru<TKey, (TValue Value, long ExpiresAt)> _entries = new(MaxEntries);
    // In the clock's timestamp units.
    private readonly long _lifetime = (long)(Math.Max(0, options.Value.AuthCacheSeconds) * clock.TimestampFrequency);

    public bool TryGet(TKey key, out TValue value)
    {
        if (_lifetime > 0 && _entries.TryGet(key, out var entry) && clock.GetTimestamp() < entry.ExpiresAt)
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Keep(TKey key, TValue value)
    {
        if (_lifetime > 0)
            _entries.AddOrUpdate(key, (value, clock.GetTimestamp() + _lifetime));
    }
}
