using Analytics.V1;
using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>A report's row: its label (null where Rocket.Chat's is) and value.</summary>
public static class Row
{
    public static ReportRow Of(string? label, long value) => new()
    {
        Label = label is null ? Google.Protobuf.WellKnownTypes.Value.ForNull() : Google.Protobuf.WellKnownTypes.Value.ForString(label),
        Value = checked((int)value),
    };
}

/// <summary>A report's counted rows, apart from the unspecified row(s), whose totals are the answer's unspecified figure.</summary>
public static class CountedRows
{
    public static (List<T> Counted, long Unspecified) Split<T>(List<T> rows) where T : ICountRow
    {
        var (counted, unspecified) = (new List<T>(rows.Count), 0L);
        foreach (var row in rows)
        {
            if (row.Unspecified == 0)
                counted.Add(row);
            else
                unspecified += row.Total;
        }
        return (counted, unspecified);
    }
}

/// <summary>Rows keyed by their label alone (departments, tags): sorted by total and _id (the label), the unspecified row apart.</summary>
public static class LabelledRows
{
    public static (List<ReportRow> Data, int Total, int Unspecified) Sorted(List<LabelCountRow> rows, ReportSort sort)
    {
        var (counted, unspecified) = CountedRows.Split(rows);
        var sorted = sort.Apply(counted, (r, key) => key switch { "total" => r.Total, "_id" => r.Label, _ => null }, r => r.Label, _ => null);
        return (sorted.ConvertAll(r => Row.Of(r.Label, r.Total)), checked((int)counted.Sum(r => r.Total)), checked((int)unspecified));
    }
}
