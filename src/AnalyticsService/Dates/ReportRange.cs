using AnalyticsService.Api;
using AnalyticsService.Hosting;

namespace AnalyticsService.Dates;

/// <summary>The [start, end) range of a dashboard report, checked as Rocket.Chat's checkDates does, in its order.</summary>
public readonly record struct ReportRange(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>moment's diff in years above which a range is "more than a year" (a year and a few days).</summary>
    public const double MaxYears = 1.01;

    // Instants less than this apart have day starts less than 365 days apart in any zone (a day start is at most 25 hours
    // before its instant), short of twelve whole months: moment's diff is under a year, and reading it in the zone (most
    // of a call's 1 µs outside UTC) can be left out.
    private static readonly TimeSpan SurelyUnderAYear = TimeSpan.FromDays(363);

    /// <summary>
    /// Reads the range on every call: a dashboard's ranges are new each time (its "up to now"), the form it sends is read
    /// directly (MomentDate), and a range of less than 363 days is not read in the zone: some 35 ns in all (RangeBenchmarks).
    /// Ranges kept by their strings made a new range cost 0.47 µs (1.2 µs in a zone with summer time) and a repeated one
    /// 0.05 µs: not kept.
    /// </summary>
    public static ReportRange Parse(string start, string end, ServerTimeZone zone)
    {
        if (!MomentDate.TryParse(start, zone, out var startInstant))
            throw ApiError.Failure("The \"start\" query parameter must be a valid date.").ToException();
        if (!MomentDate.TryParse(end, zone, out var endInstant))
            throw ApiError.Failure("The \"end\" query parameter must be a valid date.").ToException();
        if (endInstant - startInstant >= SurelyUnderAYear && MomentDate.DiffInYears(zone.StartOfDay(endInstant), zone.StartOfDay(startInstant), zone) > MaxYears)
            throw ApiError.Failure("The \"start\" and \"end\" query parameters must be less than 1 year apart.").ToException();
        if (startInstant > endInstant)
            throw ApiError.Failure("The \"start\" query parameter must be before the \"end\" query parameter.").ToException();
        return new ReportRange(startInstant, endInstant);
    }
}
