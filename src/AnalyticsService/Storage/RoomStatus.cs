using System.Runtime.InteropServices;

namespace AnalyticsService.Storage;

/// <summary>
/// The spec's status rules (section 4) for one omnichannel room. The SQL that reads rooms directly (the edges of a
/// range, the plain scan) states the same rules; the consistency test holds the two together.
/// </summary>
public readonly record struct RoomStatus(bool Open, bool Queued, bool OnHold, bool Closed)
{
    public static RoomStatus Of(bool open, bool onHold, string? servedById, double? chatDuration) => new(
        Open: open && !onHold && servedById is not null,
        Queued: open && servedById is null,
        OnHold: onHold,
        Closed: chatDuration is { } duration && duration != 0);
}

/// <summary>A room as stored, as far as its place in room_counts goes (read before the room is written again).</summary>
public sealed class StoredRoom
{
    public string Id { get; set; } = "";
    public string T { get; set; } = "";
    public long TsMs { get; set; }
    public long Open { get; set; }
    public long OnHold { get; set; }
    public string? ServedById { get; set; }
    public double? ChatDuration { get; set; }
    public string? DepartmentId { get; set; }
    public string? DepartmentAncestors { get; set; }
}

/// <summary>
/// Changes to the counts of one period length (room_counts' days, room_counts_hourly's hours) from a batch of room
/// writes: the old state of each room leaves its cell, the new one enters.
/// </summary>
public sealed class CountChanges(long periodMilliseconds)
{
    // Updated in place: a session keeps its cells for many batches, and a new object per change would leave the
    // garbage collector's oldest generation to clear them (measured: 90 MB more at a million rooms).
    private readonly Dictionary<(long Period, string DepartmentId, string DepartmentAncestors), Delta> _cells = [];

    private struct Delta
    {
        public long Total, Open, Queued, OnHold, Closed;
    }

    public void Remove(StoredRoom room)
    {
        if (room.T == "l")
            Add(room.TsMs, room.DepartmentId, room.DepartmentAncestors, -1,
                RoomStatus.Of(room.Open != 0, room.OnHold != 0, room.ServedById, room.ChatDuration));
    }

    public void Add(RoomRow room)
    {
        if (room.T == "l")
            Add(room.Ts, room.DepartmentId, room.DepartmentAncestors, +1, RoomStatus.Of(room.Open, room.OnHold, room.ServedById, room.ChatDuration));
    }

    /// <summary>How many cells have pending changes.</summary>
    public int Cells => _cells.Count;

    /// <summary>The cells that change, each once; the changes are then no longer pending.</summary>
    public List<CountDeltaRow> TakeRows()
    {
        var rows = new List<CountDeltaRow>(_cells.Count);
        foreach (var ((period, departmentId, ancestors), d) in _cells)
        {
            if (d.Total != 0 || d.Open != 0 || d.Queued != 0 || d.OnHold != 0 || d.Closed != 0)
                rows.Add(new CountDeltaRow(period, departmentId, ancestors, d.Total, d.Open, d.Queued, d.OnHold, d.Closed));
        }
        _cells.Clear();
        return rows;
    }

    private void Add(long tsMs, string? departmentId, string? ancestors, int sign, RoomStatus status)
    {
        ref var cell = ref CollectionsMarshal.GetValueRefOrAddDefault(_cells,
            (RangeSplit.PeriodOf(tsMs, periodMilliseconds), departmentId ?? "", ancestors ?? ""), out _);
        cell.Total += sign;
        cell.Open += status.Open ? sign : 0;
        cell.Queued += status.Queued ? sign : 0;
        cell.OnHold += status.OnHold ? sign : 0;
        cell.Closed += status.Closed ? sign : 0;
    }
}
