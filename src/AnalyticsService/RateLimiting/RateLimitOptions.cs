namespace AnalyticsService.RateLimiting;

/// <summary>Settings section "RateLimit": Rocket.Chat's API rate limiter (API_Enable_Rate_Limiter and its defaults).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    public bool Enabled { get; set; } = true;

    /// <summary>Calls allowed per client address and route in one window.</summary>
    public int Calls { get; set; } = 10;

    public double WindowSeconds { get; set; } = 60;

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}

/// <summary>Settings section "ForwardedHeaders": the proxies whose X-Forwarded-For names the client.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of trusted reverse proxies. Empty: X-Forwarded-For is ignored.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Trusted proxy networks in CIDR notation ("10.0.0.0/8").</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Any => KnownProxies.Length + KnownNetworks.Length > 0;
}
