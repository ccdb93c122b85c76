using System.Diagnostics;
using System.Threading.RateLimiting;

namespace AnalyticsService.RateLimiting;

/// <summary>
/// A <see cref="FixedWindowRateLimiter"/> that also tells when its current window ends, which Rocket.Chat's
/// 429 message and X-RateLimit-Reset need and the library does not expose. Counting, leases and idleness stay the
/// library's; this only follows the window.
/// </summary>
public sealed class WindowedRateLimiter : ReplenishingRateLimiter
{
    private readonly FixedWindowRateLimiter _inner;
    private readonly Action _onDisposed;
    private readonly TimeSpan _window;
    private long _windowStart;

    public WindowedRateLimiter(int calls, TimeSpan window, Action? onDisposed = null)
    {
        _onDisposed = onDisposed ?? (() => { });
        _inner = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = calls,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = false, // the partitioned limiter's heartbeat calls TryReplenish
        });
        _window = window;
        // Taken after the inner limiter's own timestamp, so its window never ends later than ours.
        _windowStart = Stopwatch.GetTimestamp();
    }

    /// <summary>Time until the current window ends and the calls are counted afresh.</summary>
    public TimeSpan TimeLeft
    {
        get
        {
            var left = _window - Stopwatch.GetElapsedTime(Volatile.Read(ref _windowStart));
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public override bool IsAutoReplenishing => false;

    public override TimeSpan ReplenishmentPeriod => _window;

    public override TimeSpan? IdleDuration => _inner.IdleDuration;

    public override bool TryReplenish()
    {
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref _windowStart)) < _window)
            return false;
        _inner.TryReplenish();
        Volatile.Write(ref _windowStart, Stopwatch.GetTimestamp());
        return true;
    }

    public override RateLimiterStatistics? GetStatistics() => _inner.GetStatistics();

    /// <summary>Lease metadata: the time until the window ends (TimeSpan).</summary>
    public static readonly MetadataName<TimeSpan> WindowLeft = new("WINDOW_LEFT");

    /// <summary>Lease metadata: calls left in the window after this one (long).</summary>
    public static readonly MetadataName<long> CallsLeft = new("CALLS_LEFT");

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => new WindowLease(_inner.AttemptAcquire(permitCount), this);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        new WindowLease(await _inner.AcquireAsync(permitCount, cancellationToken), this);

    /// <summary>The library's lease, plus where the window stands: the partitioned limiter hands leases through as they are.</summary>
    private sealed class WindowLease(RateLimitLease inner, WindowedRateLimiter limiter) : RateLimitLease
    {
        private readonly TimeSpan _windowLeft = limiter.TimeLeft;
        private readonly long _callsLeft = limiter.GetStatistics()?.CurrentAvailablePermits ?? 0;

        public override bool IsAcquired => inner.IsAcquired;

        public override IEnumerable<string> MetadataNames => inner.MetadataNames.Append(WindowLeft.Name).Append(CallsLeft.Name);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == WindowLeft.Name)
            {
                metadata = _windowLeft;
                return true;
            }
            if (metadataName == CallsLeft.Name)
            {
                metadata = _callsLeft;
                return true;
            }
            return inner.TryGetMetadata(metadataName, out metadata);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
        }
    }

    private int _disposed;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Release();
        base.Dispose(disposing);
    }

    // The partitioned limiter drops idle partitions with DisposeAsync, which ends in Dispose(false).
    protected override ValueTask DisposeAsyncCore()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _inner.Dispose();
        _onDisposed();
    }
}
