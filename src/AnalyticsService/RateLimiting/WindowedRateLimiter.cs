using System.Threading.RateLimiting;

namespace AnalyticsService.RateLimiting;

/// <summary>
/// One client's fixed window: so many calls, counted afresh when the window has passed, on the service's clock
/// (<see cref="TimeProvider"/>), and telling when its window ends, which Rocket.Chat's 429 message and
/// X-RateLimit-Reset need. The library's <see cref="PartitionedRateLimiter"/> keeps one per client and route, calls
/// <see cref="TryReplenish"/> on its heartbeat and drops those idle for a while (<see cref="IdleDuration"/>).
/// </summary>
public sealed class WindowedRateLimiter(int calls, TimeSpan window, TimeProvider clock, Action? onDisposed = null) : ReplenishingRateLimiter
{
    private readonly Lock _lock = new();
    private long _windowStart = clock.GetTimestamp();
    private readonly int _calls = calls;
    private int _available = calls;
    private long? _idleSince = clock.GetTimestamp();
    private long _successful, _failed;

    /// <summary>Time until the current window ends and the calls are counted afresh.</summary>
    public TimeSpan TimeLeft
    {
        get
        {
            lock (_lock)
                return Left();
        }
    }

    private TimeSpan Left()
    {
        var left = window - clock.GetElapsedTime(_windowStart);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    public override bool IsAutoReplenishing => false;

    public override TimeSpan ReplenishmentPeriod => window;

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
                return _idleSince is { } since ? clock.GetElapsedTime(since) : null;
        }
    }

    public override bool TryReplenish()
    {
        lock (_lock)
            return Replenish();
    }

    // A window that has passed starts again, with every call available.
    private bool Replenish()
    {
        if (clock.GetElapsedTime(_windowStart) < window)
            return false;
        _windowStart = clock.GetTimestamp();
        if (_available < _calls)
            _idleSince = _windowStart;
        _available = _calls;
        return true;
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
            return new RateLimiterStatistics { CurrentAvailablePermits = _available, TotalSuccessfulLeases = _successful, TotalFailedLeases = _failed };
    }

    /// <summary>Lease metadata: the time until the window ends (TimeSpan).</summary>
    public static readonly MetadataName<TimeSpan> WindowLeft = new("WINDOW_LEFT");

    /// <summary>Lease metadata: calls left in the window after this one (long).</summary>
    public static readonly MetadataName<long> CallsLeft = new("CALLS_LEFT");

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Replenish(); // the heartbeat may not have come yet: a window that has passed is over whatever it says
            var acquired = _available >= permitCount && (permitCount > 0 || _available > 0);
            if (acquired)
            {
                _available -= permitCount;
                _idleSince = permitCount > 0 ? null : _idleSince;
                _successful++;
            }
            else
                _failed++;
            return new WindowLease(acquired, Left(), _available);
        }
    }

    // No queue: a call over the limit is refused at once, as Rocket.Chat refuses it.
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    /// <summary>Whether the call may go on, and where the window stands: the partitioned limiter hands leases through as they are.</summary>
    private sealed class WindowLease(bool acquired, TimeSpan windowLeft, long callsLeft) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [WindowLeft.Name, CallsLeft.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == WindowLeft.Name ? windowLeft : metadataName == CallsLeft.Name ? callsLeft : null;
            return metadata is not null;
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
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            onDisposed?.Invoke();
    }
}
