using AnalyticsService.Api;

namespace AnalyticsService.Dates;

/// <summary>The [start, end) range of a dashboard report, checked as Rocket.Chat's checkDates does, in its order.</summary>
public readonly record struct ReportRange(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>moment's diff in years above which a range is "more than a year" (a year and a few days).</summary>
    public const double MaxYears = 1.01;

    public static ReportRange Parse(string start, string end, ServerTimeZone zone)
    {
        // Dashboards ask the same ranges again and again; the answer depends only on the two strings and the zone.
        var key = (start, end, zone);
        if (Known.TryGetValue(key, out var known))
            return known.Error is null ? known.Range : throw known.Error.ToException();
        ReportRange range;
        try
        {
            range = Check(start, end, zone);
        }
        catch (ApiException ex)
        {
            Remember(key, (default, ex.Error));
            throw;
        }
        Remember(key, (range, null));
        return range;
    }

    private const int MaxKnown = 10_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string, ServerTimeZone), (ReportRange Range, ApiError? Error)> Known = new();

    private static void Remember((string, string, ServerTimeZone) key, (ReportRange, ApiError?) value)
    {
        if (key.Item1.Length + key.Item2.Length > 200)
            return; // odd, long values are not worth keeping
        if (Known.Count >= MaxKnown)
            Known.Clear();
        Known[key] = value;
    }

    private static ReportRange Check(string start, string end, ServerTimeZone zone)
    {
        if (!MomentDate.TryParse(start, zone, out var startInstant))
            throw ApiError.Failure("The \"start\" query parameter must be a valid date.").ToException();
        if (!MomentDate.TryParse(end, zone, out var endInstant))
            throw ApiError.Failure("The \"end\" query parameter must be a valid date.").ToException();
        if (MomentDate.DiffInYears(zone.StartOfDay(endInstant), zone.StartOfDay(startInstant), zone) > MaxYears)
            throw ApiError.Failure("The \"start\" and \"end\" query parameters must be less than 1 year apart.").ToException();
        if (startInstant > endInstant)
            throw ApiError.Failure("The \"start\" query parameter must be before the \"end\" query parameter.").ToException();
        return new ReportRange(startInstant, endInstant);
    }
}
