using System.Globalization;
using System.Text.RegularExpressions;

namespace AnalyticsService.Dates;

/// <summary>
/// Reads a date string the way moment.js's <c>moment(string)</c> does: ASP.NET JSON dates, ISO 8601 (extended and
/// basic forms, calendar, ordinal and week dates) and RFC 2822, with moment's overflow rules. moment's last resort,
/// JavaScript's <c>new Date(string)</c>, is not reproduced: its results differ between engines.
/// Instants are limited to years 0001 to 9999 (JavaScript reaches further); anything outside is not a valid date.
/// </summary>
public static partial class MomentDate
{
    // moment's own patterns, with JavaScript's meaning kept: ASCII digits, and $ as the very end of the string.
    [GeneratedRegex(@"^\s*((?:[+-][0-9]{6}|[0-9]{4})-(?:[0-9]{2}-[0-9]{2}|W[0-9]{2}-[0-9]|W[0-9]{2}|[0-9]{3}|[0-9]{2}))(?:(T| )([0-9]{2}(?::[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?)?)([+-][0-9]{2}(?::?[0-9]{2})?|\s*Z)?)?\z")]
    private static partial Regex ExtendedIso();

    [GeneratedRegex(@"^\s*((?:[+-][0-9]{6}|[0-9]{4})(?:[0-9]{4}|W[0-9]{3}|W[0-9]{2}|[0-9]{3}|[0-9]{2}|))(?:(T| )([0-9]{2}(?:[0-9]{2}(?:[0-9]{2}(?:[.,][0-9]+)?)?)?)([+-][0-9]{2}(?::?[0-9]{2})?|\s*Z)?)?\z")]
    private static partial Regex BasicIso();

    [GeneratedRegex(@"^/?Date\((-?[0-9]+)", RegexOptions.IgnoreCase)]
    private static partial Regex AspNetJson();

    [GeneratedRegex(@"^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s)?([0-9]{1,2})\s(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s([0-9]{2,4})\s([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?\s(?:(UT|GMT|[ECMP][SD]T)|([Zz])|([+-][0-9]{4}))\z")]
    private static partial Regex Rfc2822();

    [GeneratedRegex(@"\([^()]*\)|[\n\t]")]
    private static partial Regex Rfc2822CommentsAndFolding();

    [GeneratedRegex(@"\s\s+")]
    private static partial Regex RunsOfWhiteSpace();

    private static readonly string[] MonthsShort = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] WeekdaysShort = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>Parses <paramref name="text"/>; a value without an offset is read in <paramref name="zone"/>.</summary>
    public static bool TryParse(string? text, ServerTimeZone zone, out DateTimeOffset instant) =>
        TryParseUtcMilliseconds(text, out instant) || TryParseAnyForm(text, zone, out instant);

    /// <summary>
    /// The form dashboards send (JavaScript's toISOString: 2026-06-15T09:30:00.000Z) read directly, as the general reading
    /// below reads it: that takes 3 to 6 µs through moment's patterns, and a dashboard's ranges are new on every call.
    /// False for anything else, whose reading is left to the general one (24:00, out-of-range fields included).
    /// </summary>
    private static bool TryParseUtcMilliseconds(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (text is not { Length: 24 } || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] != '.' || text[23] != 'Z')
            return false;
        int Digits(int at, int count)
        {
            var value = 0;
            for (var i = at; i < at + count; i++)
                value = text[i] is >= '0' and <= '9' && value >= 0 ? value * 10 + (text[i] - '0') : -1;
            return value;
        }
        var (year, month, day) = (Digits(0, 4), Digits(5, 2), Digits(8, 2));
        var (hour, minute, second, millisecond) = (Digits(11, 2), Digits(14, 2), Digits(17, 2), Digits(20, 3));
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59 || millisecond < 0
            || (year == 1 && month == 1 && day == 1) || (year == 9999 && month == 12 && day == 31))
            return false; // the first and last days are left to the general reading's checks of the local day
        instant = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
        return true;
    }

    internal static bool TryParseAnyForm(string? text, ServerTimeZone zone, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(text))
            return false;
        try
        {
            var aspNet = AspNetJson().Match(text);
            if (aspNet.Success)
                return long.TryParse(aspNet.Groups[1].ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                    && TryFromUnixMilliseconds(ms, out instant);

            var iso = ExtendedIso().Match(text);
            if (!iso.Success)
                iso = BasicIso().Match(text);
            var parsed = iso.Success ? TryParseIso(iso, zone, out instant) : TryParseRfc2822(text, out instant);
            if (parsed)
                _ = zone.StartOfDay(instant); // the range checks work on local days: the day must be representable too
            return parsed;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // the instant falls outside years 0001 to 9999
        }
    }

    private static bool TryFromUnixMilliseconds(long ms, out DateTimeOffset instant)
    {
        instant = default;
        if (ms < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            return false;
        instant = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    private static bool TryParseIso(Match match, ServerTimeZone zone, out DateTimeOffset instant)
    {
        instant = default;
        var datePart = match.Groups[1].Value;
        var timePart = match.Groups[3].Success ? match.Groups[3].Value : null;
        var zonePart = match.Groups[4].Success ? match.Groups[4].Value : null;

        if (!TryReadIsoDate(datePart, out var date, out var allowsTime))
            return false;
        if (timePart is not null && !allowsTime)
            return false;

        var time = TimeSpan.Zero;
        if (timePart is not null && !TryReadIsoTime(timePart, out time))
            return false;

        var wallTime = date.ToDateTime(TimeOnly.MinValue).Add(time); // 24:00 is the next day's midnight, as in moment
        if (zonePart is null)
        {
            instant = zone.ToInstant(wallTime);
            return true;
        }
        var offset = ReadIsoOffset(zonePart.Trim());
        instant = new DateTimeOffset(wallTime.Ticks - offset.Ticks, TimeSpan.Zero);
        return true;
    }

    // The date forms are tried in moment's order (isoDates); allowsTime is false where moment refuses a time part.
    private static bool TryReadIsoDate(string s, out DateOnly date, out bool allowsTime)
    {
        date = default;
        allowsTime = true;
        var sign = s[0] is '+' or '-' ? 1 : 0;
        var yearDigits = sign == 1 ? 6 : 4;
        if (!int.TryParse(s.AsSpan(0, sign + yearDigits), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var year))
            return false;
        var rest = s[(sign + yearDigits)..].Replace("-", "", StringComparison.Ordinal);
        var extended = s.Length > sign + yearDigits && s[sign + yearDigits] == '-';
        if (sign == 1 && rest.Length != 4)
            return false; // moment reads six-digit years only in full calendar dates (YYYYYY-MM-DD, YYYYYYMMDD)

        if (rest.StartsWith('W'))
        {
            var week = Number(rest, 1, 2);
            int? weekday = rest.Length == 4 ? Number(rest, 3, 1) : null;
            allowsTime = weekday is not null;
            return TryFromIsoWeek(year, week, weekday ?? 1, out date);
        }
        switch (rest.Length)
        {
            case 4: return TryFromCalendar(year, Number(rest, 0, 2), Number(rest, 2, 2), out date);
            case 3: return TryFromOrdinal(year, Number(rest, 0, 3), out date);
            case 2:
                allowsTime = false;
                return TryFromCalendar(year, Number(rest, 0, 2), 1, out date);
            case 0 when !extended:
                allowsTime = false;
                return TryFromCalendar(year, 1, 1, out date);
            default: return false;
        }
    }

    private static int Number(string s, int start, int length) =>
        int.Parse(s.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture);

    private static bool TryFromCalendar(int year, int month, int day, out DateOnly date)
    {
        date = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryFromOrdinal(int year, int dayOfYear, out DateOnly date)
    {
        date = default;
        if (year is < 1 or > 9999 || dayOfYear < 1 || dayOfYear > (DateTime.IsLeapYear(year) ? 366 : 365))
            return false;
        date = new DateOnly(year, 1, 1).AddDays(dayOfYear - 1);
        return true;
    }

    private static bool TryFromIsoWeek(int weekYear, int week, int weekday, out DateOnly date)
    {
        date = default;
        if (weekYear is < 1 or > 9999 || week < 1 || week > ISOWeek.GetWeeksInYear(weekYear) || weekday is < 1 or > 7)
            return false;
        date = DateOnly.FromDateTime(ISOWeek.ToDateTime(weekYear, week, (DayOfWeek)(weekday % 7)));
        return true;
    }

    private static bool TryReadIsoTime(string s, out TimeSpan time)
    {
        time = default;
        var fractionAt = s.IndexOfAny(['.', ',']);
        var clock = (fractionAt < 0 ? s : s[..fractionAt]).Replace(":", "", StringComparison.Ordinal);
        var hour = Number(clock, 0, 2);
        var minute = clock.Length >= 4 ? Number(clock, 2, 2) : 0;
        var second = clock.Length >= 6 ? Number(clock, 4, 2) : 0;
        // moment: toInt(('0.' + digits) * 1000), in double arithmetic, truncated.
        var millisecond = fractionAt < 0 ? 0
            : (int)Math.Floor(double.Parse("0." + s[(fractionAt + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 1000);

        var overflow = hour > 24 || (hour == 24 && (minute != 0 || second != 0 || millisecond != 0)) || minute > 59 || second > 59;
        if (overflow)
            return false;
        time = new TimeSpan(0, hour, minute, second, millisecond);
        return true;
    }

    private static TimeSpan ReadIsoOffset(string s)
    {
        if (s == "Z")
            return TimeSpan.Zero;
        var digits = s[1..].Replace(":", "", StringComparison.Ordinal);
        var minutes = Number(digits, 0, 2) * 60 + (digits.Length == 4 ? Number(digits, 2, 2) : 0);
        return TimeSpan.FromMinutes(s[0] == '-' ? -minutes : minutes);
    }

    private static bool TryParseRfc2822(string text, out DateTimeOffset instant)
    {
        instant = default;
        var cleaned = RunsOfWhiteSpace().Replace(Rfc2822CommentsAndFolding().Replace(text, " "), " ").Trim();
        var match = Rfc2822().Match(cleaned);
        if (!match.Success)
            return false;

        var year = UntruncateYear(int.Parse(match.Groups[4].ValueSpan, CultureInfo.InvariantCulture));
        var month = Array.IndexOf(MonthsShort, match.Groups[3].Value) + 1;
        // Like Date.UTC, moment lets day, hour, minute and second run over into the next unit here.
        var day = new DateTime(year, month, 1).AddDays(int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture) - 1);
        if (match.Groups[1].Success && Array.IndexOf(WeekdaysShort, match.Groups[1].Value) != (int)day.DayOfWeek)
            return false;

        var wallTime = day
            .AddHours(int.Parse(match.Groups[5].ValueSpan, CultureInfo.InvariantCulture))
            .AddMinutes(int.Parse(match.Groups[6].ValueSpan, CultureInfo.InvariantCulture))
            .AddSeconds(match.Groups[7].Success ? int.Parse(match.Groups[7].ValueSpan, CultureInfo.InvariantCulture) : 0);
        var offsetMinutes = match.Groups[8].Success ? ObsoleteZoneOffset(match.Groups[8].Value)
            : match.Groups[9].Success ? 0
            : NumericRfcOffset(int.Parse(match.Groups[10].ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        instant = new DateTimeOffset(wallTime.Ticks - TimeSpan.FromMinutes(offsetMinutes).Ticks, TimeSpan.Zero);
        return true;
    }

    private static int UntruncateYear(int year) => year <= 49 ? 2000 + year : year <= 999 ? 1900 + year : year;

    private static int NumericRfcOffset(int hhmm) => hhmm / 100 * 60 + hhmm % 100;

    private static int ObsoleteZoneOffset(string name) => name switch
    {
        "EDT" => -4 * 60,
        "EST" or "CDT" => -5 * 60,
        "CST" or "MDT" => -6 * 60,
        "MST" or "PDT" => -7 * 60,
        "PST" => -8 * 60,
        _ => 0, // UT, GMT
    };

    /// <summary>
    /// moment's <c>end.diff(start, 'year', true)</c> for two instants, computed on wall times in <paramref name="zone"/>:
    /// whole calendar months plus the elapsed fraction of the next month, divided by 12.
    /// </summary>
    public static double DiffInYears(DateTimeOffset end, DateTimeOffset start, ServerTimeZone zone) =>
        MonthDiff(end, start, zone) / 12;

    private static double MonthDiff(DateTimeOffset a, DateTimeOffset b, ServerTimeZone zone)
    {
        var aWall = zone.ToWallTime(a);
        var bWall = zone.ToWallTime(b);
        if (aWall.Day < bWall.Day)
            return -MonthDiff(b, a, zone);

        var wholeMonths = (bWall.Year - aWall.Year) * 12 + (bWall.Month - aWall.Month);
        var anchor = AddMonths(aWall, wholeMonths, zone);
        double adjust;
        if (b.UtcTicks < anchor)
        {
            var anchor2 = AddMonths(aWall, wholeMonths - 1, zone);
            adjust = (double)(b.UtcTicks - anchor) / (anchor - anchor2);
        }
        else
        {
            var anchor2 = AddMonths(aWall, wholeMonths + 1, zone);
            adjust = (double)(b.UtcTicks - anchor) / (anchor2 - anchor);
        }
        var result = -(wholeMonths + adjust);
        return result == 0 ? 0 : result; // moment turns -0 into 0
    }

    private const long TicksPer400Years = 146_097 * TimeSpan.TicksPerDay; // the Gregorian calendar repeats every 400 years

    /// <summary>
    /// The instant, in UTC ticks, of a wall time moved by whole months. DateTime.AddMonths clamps the day to the target
    /// month's length, as moment's add(n, 'months') does. A month past year 9999 or before year 1 (JavaScript has them)
    /// is computed 400 years away and moved back.
    /// </summary>
    private static long AddMonths(DateTime wallTime, int months, ServerTimeZone zone)
    {
        try
        {
            return zone.ToInstant(wallTime.AddMonths(months)).UtcTicks;
        }
        catch (ArgumentOutOfRangeException)
        {
            var years = wallTime.Year > 5000 ? -400 : 400;
            return zone.ToInstant(wallTime.AddYears(years).AddMonths(months)).UtcTicks - years / 400 * TicksPer400Years;
        }
    }
}
