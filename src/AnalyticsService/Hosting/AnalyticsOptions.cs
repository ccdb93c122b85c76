namespace AnalyticsService.Hosting;

/// <summary>Settings section "Analytics".</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>IANA or Windows id of the zone in which dates without an offset are read and days start.</summary>
    public string TimeZone { get; set; } = "UTC";
}
