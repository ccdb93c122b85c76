namespace AnalyticsService.Hosting;

/// <summary>Settings section "Analytics".</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>IANA or Windows id of the zone in which dates without an offset are read and days start.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// How long an authenticated token, a role's permission and a monitor's units are kept in memory. A revoked token,
    /// a changed role or unit stops or starts counting within this bound. 0 reads the store on every call.
    /// </summary>
    public double AuthCacheSeconds { get; set; } = 5;

    /// <summary>
    /// How long the readiness check's answer (the store answers the queries the reports need) is reused: probes under
    /// load cost one store query per this many seconds, and a broken store shows within it.
    /// </summary>
    public double ReadinessCacheSeconds { get; set; } = 1;

    /// <summary>
    /// For how many restricted callers' scopes (the last asked) the five reports' day totals are kept in memory, each
    /// counted from the scope's rooms when first asked and up to 16 MB; 3 at least. 0: a restricted caller's reports are
    /// added up from the per-department counts and the rooms on every call.
    /// </summary>
    public int RestrictedTotalsScopes { get; set; } = 8;

    /// <summary>On SIGTERM, how long in-flight calls get to finish before the remaining connections are closed.</summary>
    public double ShutdownSeconds { get; set; } = 5;
}
