using AnalyticsService.Api;
using AnalyticsService.Hosting;
using BitFaster.Caching.Lru;

namespace AnalyticsService.Dates;

/// <summary>The [start, end) range of a dashboard report, checked as Rocket.Chat's checkDates does, in its order.</summary>
public readonly record struct ReportRange(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>moment's diff in years above which a range is "more than a year" (a year and a few days).</summary>
    public const double MaxYears = 1.01;

    public static ReportRange Parse(string start, string end, ServerTimeZone zone)
    {
        // Scripts ask the same ranges again and again; the answer depends only on the two strings and the zone. Reading
        // them takes 3 to 6 µs, a kept one 0.1 µs (RangeBenchmarks).
        var key = (start, end, zone);
        if (Known.TryGet(key, out var known))
            return known.Error is null ? known.Range : throw known.Error.ToException();
        ReportRange range;
        try
        {
            range = Check(start, end, zone);
        }
        catch (ApiException ex)
        {
            if (start.Length + end.Length <= MaxKeptLength) // odd, long values are not worth keeping
                Known.AddOrUpdate(key, (default, ex.Error));
            throw;
        }
        if (start.Length + end.Length <= MaxKeptLength)
            Known.AddOrUpdate(key, (range, null));
        return range;
    }

    private const int MaxKeptLength = 200;
    private static readonly ConcurrentLru<(string, string, ServerTimeZone), (ReportRange Range, ApiError? Error)> Known = new(10_000);

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
