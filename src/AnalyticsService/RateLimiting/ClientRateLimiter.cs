using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AnalyticsService.RateLimiting;

/// <summary>The outcome of one call against the limit, with what the X-RateLimit-* headers report.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset ResetAt)
{
    /// <summary>Whole seconds until the window ends, as Rocket.Chat rounds them (up).</summary>
    public int SecondsLeft(DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((ResetAt - now).TotalSeconds));
}

/// <summary>
/// Rocket.Chat's API rate limit: so many calls per window for each client address and route. Partitions are
/// created on first use and dropped by the library once idle, so memory follows the number of active clients.
/// </summary>
public sealed class ClientRateLimiter : IDisposable
{
    private readonly IOptions<RateLimitOptions> _options;
    private readonly TimeProvider _clock;
    private readonly PartitionedRateLimiter<string> _limiter;
    private int _partitions;

    public ClientRateLimiter(IOptions<RateLimitOptions> options, TimeProvider clock)
    {
        (_options, _clock) = (options, clock);
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.Get(key, _ =>
        {
            Interlocked.Increment(ref _partitions);
            return new WindowedRateLimiter(options.Value.Calls, options.Value.Window, clock, () => Interlocked.Decrement(ref _partitions));
        }));
    }

    /// <summary>Client partitions alive now: idle ones are dropped by the library, which keeps memory bounded.</summary>
    public int Partitions => Volatile.Read(ref _partitions);

    public RateLimitDecision Acquire(string clientAddress, string route)
    {
        var key = $"{clientAddress}|{route}";
        using var lease = _limiter.AttemptAcquire(key);
        lease.TryGetMetadata(WindowedRateLimiter.WindowLeft, out var windowLeft);
        lease.TryGetMetadata(WindowedRateLimiter.CallsLeft, out var callsLeft);
        return new RateLimitDecision(lease.IsAcquired, _options.Value.Calls, (int)callsLeft, _clock.GetUtcNow() + windowLeft);
    }

    public void Dispose() => _limiter.Dispose();
}
