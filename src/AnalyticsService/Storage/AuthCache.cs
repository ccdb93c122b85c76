using AnalyticsService.Hosting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Storage;

/// <summary>
/// Keeps answers about who a caller is and what it may see for a few seconds (Analytics:AuthCacheSeconds), so that a
/// call does not read users, roles and permissions each time. Only found callers are kept: a flood of wrong tokens
/// cannot fill it. The number of entries is bounded.
/// </summary>
public sealed class AuthCache(IOptions<AnalyticsOptions> options) : IDisposable
{
    private const int MaxEntries = 100_000;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(Math.Max(0, options.Value.AuthCacheSeconds));

    public ValueTask<T> GetOrLoadAsync<T>(object key, Func<Task<T>> load, Func<T, bool> keep) =>
        _lifetime > TimeSpan.Zero && _cache.TryGetValue(key, out T? cached) ? ValueTask.FromResult(cached!) : LoadAsync(key, load, keep);

    private async ValueTask<T> LoadAsync<T>(object key, Func<Task<T>> load, Func<T, bool> keep)
    {
        var value = await load();
        if (_lifetime > TimeSpan.Zero && keep(value))
            _cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _lifetime, Size = 1 });
        return value;
    }

    public void Dispose() => _cache.Dispose();
}
