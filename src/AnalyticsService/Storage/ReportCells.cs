using System.Runtime.InteropServices;

namespace AnalyticsService.Storage;

/// <summary>The four reports that group rooms by something of theirs; their cells in report_counts share one table.</summary>
public enum ReportDimension : byte
{
    Source = 1,
    Department = 2,
    Tags = 3,
    Agent = 4,
}

/// <summary>
/// What a report groups a room by, as a cell of report_counts holds it: up to two values, each with how the room holds it
/// (<see cref="FieldKind"/>; '' when it is not a value). Kind 0 of the first value with no second one marks the
/// unspecified row of the department, tags and agent reports.
/// </summary>
public readonly record struct ReportKey(byte K1Kind, string K1, byte K2Kind, string K2)
{
    public static ReportKey Unspecified { get; } = new(0, "", 0, "");

    /// <summary>
    /// The cells one omnichannel room counts in (docs/behaviour.md, "The other four reports"), written once for the
    /// writes' changes; the SQL that reads the partial hours from rooms says the same in each dialect (tested against
    /// each other by CountsConsistencyTests).
    /// - source: one cell per (source.type, source.alias) when the room has a source field at all;
    /// - department: its departmentId when it is a value, unspecified when the field is absent, nothing when null;
    /// - tags: one cell per element (a tag twice counts twice; a null element has a cell of its own), unspecified when
    ///   absent or empty, nothing when null;
    /// - agent: servedBy._id (servedBy null or without _id: one cell of its own), unspecified without servedBy.
    /// </summary>
    public static void ForEach(in RoomKeySource room, Action<ReportDimension, ReportKey> cell)
    {
        if (Source(room) is { } source)
            cell(ReportDimension.Source, source);
        if (room.DepartmentKind == (byte)FieldKind.Absent)
            cell(ReportDimension.Department, Unspecified);
        else if (room.DepartmentKind == (byte)FieldKind.Value)
            cell(ReportDimension.Department, new((byte)FieldKind.Value, room.DepartmentId ?? "", 0, ""));
        if (room.TagsKind == (byte)FieldKind.Absent || room.TagsKind == (byte)FieldKind.Value && room.Tags is null or "[]")
            cell(ReportDimension.Tags, Unspecified);
        else if (room.TagsKind == (byte)FieldKind.Value)
        {
            foreach (var tag in System.Text.Json.JsonSerializer.Deserialize(room.Tags!, BatchJson.Default.ListString) ?? [])
                cell(ReportDimension.Tags, tag is null ? new((byte)FieldKind.Null, "", 0, "") : new((byte)FieldKind.Value, tag, 0, ""));
        }
        cell(ReportDimension.Agent, room.ServedByKind == (byte)FieldKind.Absent ? Unspecified
            : room.ServedById is null ? new((byte)FieldKind.Null, "", 0, "") : new((byte)FieldKind.Value, room.ServedById, 0, ""));
    }

    /// <summary>A room's by-source cell (see <see cref="ForEach"/>), or none.</summary>
    public static ReportKey? Source(in RoomKeySource room) =>
        room.SourceKind != 0 ? new(room.SourceTypeKind, room.SourceType ?? "", room.SourceAliasKind, room.SourceAlias ?? "") : null;
}

/// <summary>The fields of a stored or incoming room the report cells are keyed by.</summary>
public readonly record struct RoomKeySource(byte SourceKind, byte SourceTypeKind, string? SourceType, byte SourceAliasKind, string? SourceAlias,
    byte DepartmentKind, string? DepartmentId, byte TagsKind, string? Tags, byte ServedByKind, string? ServedById);

/// <summary>What to add to one cell of report_counts (Period a day) or report_counts_hourly (an hour).</summary>
public sealed record ReportCountDeltaRow(byte Report, long Period, byte K1Kind, string K1, byte K2Kind, string K2, long Total);

/// <summary>
/// Changes to the report cells of each period length (report_counts by day, report_counts_hourly by hour) from a batch of
/// room writes: the old state of each room leaves its cells, the new one enters. The same bookkeeping as
/// <see cref="CountChanges"/> for the status counts; a room's keys are found once for every period length (its tags
/// read from their JSON once).
/// </summary>
public sealed class ReportCountChanges(params long[] periodsMilliseconds)
{
    private readonly Dictionary<(ReportDimension Report, long Period, ReportKey Key), long>[] _cells =
        Array.ConvertAll(periodsMilliseconds, _ => new Dictionary<(ReportDimension Report, long Period, ReportKey Key), long>());

    public int Cells => _cells.Sum(c => c.Count);

    public void Remove(StoredRoom room)
    {
        if (room.T == "l")
            Add(room.TsMs, room.KeySource, -1);
    }

    /// <summary>A stored room entering the cells (migration 8's fill).</summary>
    public void Add(StoredRoom room)
    {
        if (room.T == "l")
            Add(room.TsMs, room.KeySource, +1);
    }

    public void Add(RoomRow room)
    {
        if (room.T == "l")
            Add(room.Ts, room.KeySource(), +1);
    }

    /// <summary>The changed cells of the period length of this index (in the order the constructor was given them), taken.</summary>
    public List<ReportCountDeltaRow> TakeRows(int periodIndex)
    {
        var cells = _cells[periodIndex];
        var rows = new List<ReportCountDeltaRow>(cells.Count);
        foreach (var ((report, period, key), total) in cells)
        {
            if (total != 0)
                rows.Add(new ReportCountDeltaRow((byte)report, period, key.K1Kind, key.K1, key.K2Kind, key.K2, total));
        }
        cells.Clear();
        // In the tables' key order on SQLite (migration 13: the period, then the report), so that each insert lands next
        // to the previous one (a million rooms: 90 s to 85 s).
        rows.Sort(static (a, b) =>
        {
            var c = a.Period.CompareTo(b.Period);
            if (c == 0) c = a.Report.CompareTo(b.Report);
            if (c == 0) c = a.K1Kind.CompareTo(b.K1Kind);
            if (c == 0) c = string.CompareOrdinal(a.K1, b.K1);
            if (c == 0) c = a.K2Kind.CompareTo(b.K2Kind);
            return c != 0 ? c : string.CompareOrdinal(a.K2, b.K2);
        });
        return rows;
    }

    private void Add(long tsMs, RoomKeySource room, int sign) =>
        ReportKey.ForEach(room, (report, key) =>
        {
            for (var i = 0; i < _cells.Length; i++)
                CollectionsMarshal.GetValueRefOrAddDefault(_cells[i], (report, RangeSplit.PeriodOf(tsMs, periodsMilliseconds[i]), key), out _) += sign;
        });
}

/// <summary>What to add to one cell of source_counts: a day, how its rooms hold their department, their source key.</summary>
public sealed record SourceCountDeltaRow(long Period, byte DepartmentKind, string DepartmentId, string DepartmentAncestors,
    byte K1Kind, string K1, byte K2Kind, string K2, long Total);

/// <summary>
/// Changes to source_counts from a batch of room writes: the by-source cells (<see cref="ReportKey.ForEach"/>) per day and
/// per the way the rooms hold their department, which is what a restricted caller's visibility reads.
/// </summary>
public sealed class SourceCountChanges
{
    private readonly Dictionary<(long Day, byte DepartmentKind, string DepartmentId, string DepartmentAncestors, ReportKey Key), long> _cells = [];

    public int Cells => _cells.Count;

    public void Remove(StoredRoom room) => Add(room, -1);

    public void Add(StoredRoom room) => Add(room, +1);

    private void Add(StoredRoom room, int sign)
    {
        if (room.T == "l")
            Add(room.TsMs, (byte)room.DepartmentKind, room.DepartmentId, room.DepartmentAncestors, room.KeySource, sign);
    }

    public void Add(RoomRow room)
    {
        if (room.T == "l")
            Add(room.Ts, room.DepartmentKind, room.DepartmentId, room.DepartmentAncestors, room.KeySource(), +1);
    }

    public List<SourceCountDeltaRow> TakeRows()
    {
        var rows = new List<SourceCountDeltaRow>(_cells.Count);
        foreach (var ((day, kind, id, ancestors, key), total) in _cells)
        {
            if (total != 0)
                rows.Add(new SourceCountDeltaRow(day, kind, id, ancestors, key.K1Kind, key.K1, key.K2Kind, key.K2, total));
        }
        _cells.Clear();
        return rows;
    }

    private void Add(long tsMs, byte departmentKind, string? departmentId, string? ancestors, RoomKeySource room, int sign)
    {
        if (ReportKey.Source(room) is { } key)
            CollectionsMarshal.GetValueRefOrAddDefault(_cells,
                (RangeSplit.PeriodOf(tsMs, RangeSplit.DayMilliseconds), departmentKind, departmentId ?? "", ancestors ?? "", key), out _) += sign;
    }
}
