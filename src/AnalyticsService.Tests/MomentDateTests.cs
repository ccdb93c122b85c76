using AnalyticsService.Dates;

namespace AnalyticsService.Tests;

/// <summary>What moment.js's moment(string) accepts and the instant it gives (docs/behaviour.md, section 3).</summary>
public sealed class MomentDateTests
{
    [Theory]
    // ISO 8601, extended
    [InlineData("2020-09-10T23:59:22.345Z", "2020-09-10T23:59:22.345Z")]
    [InlineData("2020-09-10", "2020-09-10T00:00:00.000Z")]
    [InlineData("2020-09-10T23:59", "2020-09-10T23:59:00.000Z")]
    [InlineData("2020-09-10T23", "2020-09-10T23:00:00.000Z")]
    [InlineData("2020-09-10 23:59:22", "2020-09-10T23:59:22.000Z")]
    [InlineData("2020-09-10T23:59:22+02:00", "2020-09-10T21:59:22.000Z")]
    [InlineData("2020-09-10T23:59:22+0200", "2020-09-10T21:59:22.000Z")]
    [InlineData("2020-09-10T23:59:22+02", "2020-09-10T21:59:22.000Z")]
    [InlineData("2020-09-10T23:59:22-05:30", "2020-09-11T05:29:22.000Z")]
    [InlineData("2020-09-10T23:59:22 Z", "2020-09-10T23:59:22.000Z")]
    [InlineData("2020-09-10T23:59:22,5Z", "2020-09-10T23:59:22.500Z")]
    [InlineData("2020-09-10T23:59:22.123456789Z", "2020-09-10T23:59:22.123Z")]
    [InlineData("2020-09-10T23:59:22.9999Z", "2020-09-10T23:59:22.999Z")]
    [InlineData("2020-09-10T24:00:00", "2020-09-11T00:00:00.000Z")]
    [InlineData("  2020-09-10", "2020-09-10T00:00:00.000Z")]
    [InlineData("2020-09", "2020-09-01T00:00:00.000Z")]
    [InlineData("2020-254", "2020-09-10T00:00:00.000Z")]
    [InlineData("2020-366", "2020-12-31T00:00:00.000Z")]
    [InlineData("2020-W37-4", "2020-09-10T00:00:00.000Z")]
    [InlineData("2020-W37", "2020-09-07T00:00:00.000Z")]
    [InlineData("2020-W53-1", "2020-12-28T00:00:00.000Z")]
    [InlineData("2020-02-29", "2020-02-29T00:00:00.000Z")]
    [InlineData("+002020-09-10", "2020-09-10T00:00:00.000Z")]
    // ISO 8601, basic
    [InlineData("20200910T235922Z", "2020-09-10T23:59:22.000Z")]
    [InlineData("20200910T235922.345+0200", "2020-09-10T21:59:22.345Z")]
    [InlineData("20200910", "2020-09-10T00:00:00.000Z")]
    [InlineData("20200910T2359", "2020-09-10T23:59:00.000Z")]
    [InlineData("2020254", "2020-09-10T00:00:00.000Z")]
    [InlineData("2020W374", "2020-09-10T00:00:00.000Z")]
    [InlineData("202009", "2020-09-01T00:00:00.000Z")]
    [InlineData("2020", "2020-01-01T00:00:00.000Z")]
    // RFC 2822
    [InlineData("Thu, 10 Sep 2020 23:59:22 +0000", "2020-09-10T23:59:22.000Z")]
    [InlineData("10 Sep 2020 23:59 GMT", "2020-09-10T23:59:00.000Z")]
    [InlineData("10 Sep 20 23:59:22 EST", "2020-09-11T04:59:22.000Z")]
    [InlineData("10 Sep 2020 23:59:22 PDT", "2020-09-11T06:59:22.000Z")]
    [InlineData("10 Sep 2020 23:59:22 z", "2020-09-10T23:59:22.000Z")]
    [InlineData("Thu, 10 Sep 2020 23:59:22 -0130", "2020-09-11T01:29:22.000Z")]
    [InlineData("  Thu,  10 Sep 2020\t23:59:22 (a comment) +0000  ", "2020-09-10T23:59:22.000Z")]
    [InlineData("31 Feb 2020 10:00 +0000", "2020-03-02T10:00:00.000Z")] // moment lets RFC 2822 days run over
    // ASP.NET JSON dates
    [InlineData("/Date(1599782362345)/", "2020-09-10T23:59:22.345Z")]
    public void Accepts_what_moment_accepts(string text, string expectedUtc)
    {
        Assert.True(MomentDate.TryParse(text, ServerTimeZone.Utc, out var instant), text);
        Assert.Equal(expectedUtc, instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("test")]
    [InlineData("2020-13-01")]
    [InlineData("2020-02-30")]
    [InlineData("2021-02-29")]
    [InlineData("2020-00-10")]
    [InlineData("2020-9-10")]
    [InlineData("2020-09-10 ")]
    [InlineData("2020-09-10\n")]
    [InlineData("2020-09-10t23:59")]
    [InlineData("2020-09-10T24:00:01")]
    [InlineData("2020-09-10T25:00")]
    [InlineData("2020-09-10T23:60")]
    [InlineData("2020-09-10T23:59:60")]
    [InlineData("2020-09T10:00")]
    [InlineData("2020T10")]
    [InlineData("2020-W37T10:00")]
    [InlineData("2020-000")]
    [InlineData("2021-366")]
    [InlineData("2020-W54")]
    [InlineData("2021-W53-1")]
    [InlineData("2020-W37-8")]
    [InlineData("20200")]
    [InlineData("2020-09-10T23:59:22+2")]
    [InlineData("2020-09-10T23:59:22 +02:00")]
    [InlineData("２０２０-09-10")] // full-width digits are not \d in JavaScript
    [InlineData("10/09/2020")]
    [InlineData("September 10, 2020")]
    [InlineData("Wed, 10 Sep 2020 23:59:22 +0000")] // wrong weekday
    [InlineData("10 sep 2020 23:59:22 +0000")]
    [InlineData("10 Sep 2020 23:59:22")]
    [InlineData("-002020-09-10")] // before year 1: beyond what the service represents
    [InlineData("+010000-01-01")]
    public void Refuses_what_is_not_a_date(string text) =>
        Assert.False(MomentDate.TryParse(text, ServerTimeZone.Utc, out _), text);

    [Theory]
    [InlineData("Asia/Kolkata", "2020-09-10T00:00:00", "2020-09-09T18:30:00.000Z")]
    [InlineData("Asia/Kolkata", "2020-09-10T00:00:00Z", "2020-09-10T00:00:00.000Z")]
    [InlineData("Asia/Kolkata", "Thu, 10 Sep 2020 00:00:00 +0000", "2020-09-10T00:00:00.000Z")]
    [InlineData("America/New_York", "2020-09-10", "2020-09-10T04:00:00.000Z")]
    [InlineData("America/New_York", "2020-01-10", "2020-01-10T05:00:00.000Z")]
    [InlineData("America/New_York", "2020-03-08T02:30", "2020-03-08T07:30:00.000Z")] // skipped by DST: JavaScript's reading
    [InlineData("America/New_York", "2020-11-01T01:30", "2020-11-01T05:30:00.000Z")] // repeated: the first one
    [InlineData("America/New_York", "0001-01-01T12:00:00Z", "0001-01-01T12:00:00.000Z")]
    public void Reads_values_without_offset_in_the_server_zone(string zone, string text, string expectedUtc)
    {
        var serverZone = new ServerTimeZone(TimeZoneInfo.FindSystemTimeZoneById(zone));
        Assert.True(MomentDate.TryParse(text, serverZone, out var instant));
        Assert.Equal(expectedUtc, instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
    }

    [Theory]
    [InlineData("Asia/Kolkata", "9999-12-31T23:00:00Z")] // already year 10000 in Kolkata
    [InlineData("America/New_York", "0001-01-01T02:00:00Z")] // still year 0 in New York
    public void Refuses_instants_whose_local_day_is_out_of_range(string zone, string text) =>
        Assert.False(MomentDate.TryParse(text, new ServerTimeZone(TimeZoneInfo.FindSystemTimeZoneById(zone)), out _));

    [Theory]
    // whole months plus the elapsed part of the next month, over 12: the edge of 1.01 falls a few days past a year
    [InlineData("2020-01-01", "2021-01-01", 1.0)]
    [InlineData("2020-01-01", "2021-01-04", 12.0967741935 / 12)]
    [InlineData("2020-01-01", "2021-01-05", 12.1290322580 / 12)]
    [InlineData("2021-03-01", "2022-03-04", 12.1071428571 / 12)]
    [InlineData("2020-01-31", "2021-01-30", 11.9677419354 / 12)]
    [InlineData("2020-01-31", "2021-02-03", 12.1071428571 / 12)]
    [InlineData("2020-09-10", "2020-09-10", 0.0)]
    [InlineData("2020-09-10", "2020-08-10", -1.0 / 12)]
    [InlineData("9999-12-31", "9999-12-31", 0.0)] // the month after December 9999 exists for moment
    [InlineData("0001-01-01", "0001-01-01", 0.0)]
    [InlineData("9998-12-31", "9999-12-31", 1.0)]
    public void Measures_years_as_moment_does(string start, string end, double expected)
    {
        var zone = ServerTimeZone.Utc;
        Assert.True(MomentDate.TryParse(start, zone, out var s));
        Assert.True(MomentDate.TryParse(end, zone, out var e));
        Assert.Equal(expected, MomentDate.DiffInYears(e, s, zone), 9);
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Etc/GMT+12")]
    public void The_form_dashboards_send_reads_as_every_other_form_does(string zoneId)
    {
        // toISOString's form has its own quick reading: for every such string, well formed or not, it must give what
        // moment's general reading gives. Fields are drawn around their limits, the rest at random.
        var zone = new ServerTimeZone(TimeZoneInfo.FindSystemTimeZoneById(zoneId));
        var random = new Random(zoneId.Length);
        string[] years = ["0000", "0001", "0002", "1969", "1970", "2000", "2024", "2026", "2100", "9998", "9999", "20x6"];
        string[] months = ["00", "01", "02", "06", "12", "13", "1a"];
        string[] days = ["00", "01", "02", "28", "29", "30", "31", "32"];
        string[] hours = ["00", "09", "23", "24", "25"];
        string[] minutes = ["00", "30", "59", "60"];
        string[] millis = ["000", "001", "999", "5x0"];
        string Pick(string[] values) => values[random.Next(values.Length)];
        for (var i = 0; i < 20_000; i++)
        {
            var text = $"{Pick(years)}-{Pick(months)}-{Pick(days)}T{Pick(hours)}:{Pick(minutes)}:{Pick(minutes)}.{Pick(millis)}Z";
            if (random.Next(50) == 0)
                text = text.Replace('T', ' ');
            var quick = MomentDate.TryParse(text, zone, out var instant);
            var general = MomentDate.TryParseAnyForm(text, zone, out var expected);
            Assert.True((quick, instant) == (general, expected), $"{text}: {quick} {instant:O}, general {general} {expected:O}");
        }
    }
}
