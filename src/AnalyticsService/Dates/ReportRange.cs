using AnalyticsService.Api;

namespace AnalyticsService.Dates;

/// <summary>The [start, end) range of a dashboard report, checked as Rocket.Chat's checkDates does, in its order.</summary>
public readonly record struct ReportRange(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>moment's diff in years above which a range is "more than a year" (a year and a few days).</summary>
    public const double MaxYears = 1.01;

    public static ReportRange Parse(string start, string end, ServerTimeZone zone)
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
