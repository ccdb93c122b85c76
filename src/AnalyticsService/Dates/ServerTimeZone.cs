namespace AnalyticsService.Dates;

/// <summary>
/// The server's time zone (setting Analytics:TimeZone): where dates without an offset are read and where
/// "start of day" falls. Wall times map to instants as JavaScript's Date does: a time skipped by a DST change
/// takes the offset before the change; a repeated time takes its first occurrence.
/// </summary>
public sealed class ServerTimeZone(TimeZoneInfo zone)
{
    public static ServerTimeZone Utc { get; } = new(TimeZoneInfo.Utc);

    /// <summary>The zone of an IANA (or Windows) id, or null when this machine does not know it.</summary>
    public static TimeZoneInfo? Find(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }

    public TimeZoneInfo Zone { get; } = zone;

    public DateTimeOffset ToInstant(DateTime wallTime)
    {
        var local = DateTime.SpecifyKind(wallTime, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (Zone.IsInvalidTime(local))
            offset = Zone.GetUtcOffset(local.AddHours(-6));
        else if (Zone.IsAmbiguousTime(local))
            offset = Zone.GetAmbiguousTimeOffsets(local).Max();
        else
            offset = Zone.GetUtcOffset(local);
        return new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero);
    }

    /// <summary>The wall time of an instant; throws ArgumentOutOfRangeException outside years 0001 to 9999 (ConvertTime would clamp).</summary>
    public DateTime ToWallTime(DateTimeOffset instant) => new(instant.UtcTicks + Zone.GetUtcOffset(instant).Ticks);

    /// <summary>moment's startOf('day') in this zone.</summary>
    public DateTimeOffset StartOfDay(DateTimeOffset instant) => ToInstant(ToWallTime(instant).Date);
}
