using System.Runtime.InteropServices;

namespace AnalyticsService.Storage;

/// <summary>
/// The status rules for one omnichannel room (docs/behaviour.md, "Status"), written once: the importer stores each
/// room's four flags, and every count (the counts tables, the partial hours read from rooms, the plain scan) adds
/// those flags up.
/// </summary>
public readonly record struct RoomStatus(bool Open, bool Queued, bool OnHold, bool Closed)
{
    public static RoomStatus Of(RoomRecord room)
    {
        // Rocket.Chat's aggregation: open must equal true; onHold counts as On_Hold only when it equals true, but any
        // value MongoDB takes as true keeps a room out of Open; servedBy serves when present and not null.
        var served = room.ServedBy == FieldKind.Value;
        var onHoldTruthy = room.OnHold || room.OnHoldOtherTruthy;
        var closed = room.ChatDurationOtherTruthy || room.ChatDuration is { } duration && duration != 0; // NaN is true too
        return new(
            Open: room.Open && !onHoldTruthy && served,
            Queued: room.Open && !served,
            OnHold: room.OnHold,
            Closed: closed);
    }
}

/// <summary>A room as stored, as far as its place in the counts tables goes (read before the room is written again, and by the backfill of migration 8).</summary>
public sealed class StoredRoom
{
    public string Id { get; set; } = "";
    public string T { get; set; } = "";
    public long TsMs { get; set; }
    public long IsOpen { get; set; }
    public long IsQueued { get; set; }
    public long IsOnHold { get; set; }
    public long IsClosed { get; set; }
    public long DepartmentKind { get; set; }
    public string? DepartmentId { get; set; }
    public string? DepartmentAncestors { get; set; }
    public long SourceKind { get; set; }
    public long SourceTypeKind { get; set; }
    public string? SourceType { get; set; }
    public long SourceAliasKind { get; set; }
    public string? SourceAlias { get; set; }
    public long TagsKind { get; set; }
    public string? Tags { get; set; }
    public long ServedByKind { get; set; }
    public string? ServedById { get; set; }

    /// <summary>This room's part of a period's status counts (its status columns, computed by RoomStatus when written).</summary>
    public StatusCounts Statuses => new(1, IsOpen, IsQueued, IsOnHold, IsClosed);

    public RoomKeySource KeySource => new((byte)SourceKind, (byte)SourceTypeKind, SourceType, (byte)SourceAliasKind, SourceAlias,
        (byte)DepartmentKind, DepartmentId, (byte)TagsKind, Tags, (byte)ServedByKind, ServedById);
}

/// <summary>
/// Changes to the counts of one period length (room_counts' days, room_counts_hourly's hours) from a batch of room
/// writes: the old state of each room leaves its cell, the new one enters.
/// </summary>
public sealed class CountChanges(long periodMilliseconds)
{
    // Updated in place: a session keeps its cells for many batches, and a new object per change would leave the
    // garbage collector's oldest generation to clear them (measured: 90 MB more at a million rooms).
    private readonly Dictionary<(long Period, byte DepartmentKind, string DepartmentId, string DepartmentAncestors), Delta> _cells = [];

    private struct Delta
    {
        public long Total, Open, Queued, OnHold, Closed;
    }

    public void Remove(StoredRoom room) => Add(room, -1);

    /// <summary>A stored room entering the cells (a session counting its rooms at commit).</summary>
    public void Add(StoredRoom room) => Add(room, +1);

    private void Add(StoredRoom room, int sign)
    {
        if (room.T == "l")
            Add(room.TsMs, (byte)room.DepartmentKind, room.DepartmentId, room.DepartmentAncestors, sign,
                new RoomStatus(room.IsOpen != 0, room.IsQueued != 0, room.IsOnHold != 0, room.IsClosed != 0));
    }

    public void Add(RoomRow room)
    {
        if (room.T == "l")
            Add(room.Ts, room.DepartmentKind, room.DepartmentId, room.DepartmentAncestors, +1,
                new RoomStatus(room.IsOpen, room.IsQueued, room.IsOnHold, room.IsClosed));
    }

    /// <summary>How many cells have pending changes.</summary>
    public int Cells => _cells.Count;

    /// <summary>The cells that change, each once; the changes are then no longer pending.</summary>
    public List<CountDeltaRow> TakeRows()
    {
        var rows = new List<CountDeltaRow>(_cells.Count);
        foreach (var ((period, kind, departmentId, ancestors), d) in _cells)
        {
            if (d.Total != 0 || d.Open != 0 || d.Queued != 0 || d.OnHold != 0 || d.Closed != 0)
                rows.Add(new CountDeltaRow(period, kind, departmentId, ancestors, d.Total, d.Open, d.Queued, d.OnHold, d.Closed));
        }
        _cells.Clear();
        return rows;
    }

    private void Add(long tsMs, byte departmentKind, string? departmentId, string? ancestors, int sign, RoomStatus status)
    {
        ref var cell = ref CollectionsMarshal.GetValueRefOrAddDefault(_cells,
            (RangeSplit.PeriodOf(tsMs, periodMilliseconds), departmentKind, departmentId ?? "", ancestors ?? ""), out _);
        cell.Total += sign;
        cell.Open += status.Open ? sign : 0;
        cell.Queued += status.Queued ? sign : 0;
        cell.OnHold += status.OnHold ? sign : 0;
        cell.Closed += status.Closed ? sign : 0;
    }
}
