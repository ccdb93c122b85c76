using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsService.Storage;

// A batch travels to the database as one JSON parameter that SQL reads as a table (SQLite json_each,
// SQL Server OPENJSON): one set-based statement per batch instead of one round trip per row.
// Instants are Unix milliseconds; each dialect turns them into its own type.

/// <summary>
/// A room as stored: its fields, how servedBy and departmentId are held (<see cref="FieldKind"/>), and its four status
/// flags as <see cref="RoomStatus"/> computed them, which every count adds up.
/// </summary>
public sealed record RoomRow(string Id, string T, long Ts, bool Open, bool OnHold, byte ServedByKind, string? ServedById, string? ServedByUsername,
    long? ServedByTs, double? ChatDuration, long? ClosedAt, byte DepartmentKind, string? DepartmentId, string? DepartmentAncestors, string? SourceType,
    bool IsOpen, bool IsQueued, bool IsOnHold, bool IsClosed,
    byte SourceKind, byte SourceTypeKind, byte SourceAliasKind, string? SourceAlias, byte TagsKind, string? Tags)
{
    public static RoomRow Of(RoomRecord r)
    {
        var status = r.Status;
        return new(r.Id, r.Type, r.Ts.ToUnixTimeMilliseconds(), r.Open, r.OnHold, (byte)r.ServedBy, r.ServedById, r.ServedByUsername,
            r.ServedByTs?.ToUnixTimeMilliseconds(),
            r.ChatDuration is { } d && double.IsFinite(d) ? d : null, // neither engine stores NaN or infinities; the flag keeps their truth
            r.ClosedAt?.ToUnixTimeMilliseconds(), (byte)r.Department, r.DepartmentId,
            r.DepartmentAncestors is { Count: > 0 } ancestors ? BatchJson.Serialize(ancestors.ToList()) : null, r.SourceType,
            status.Open, status.Queued, status.OnHold, status.Closed,
            (byte)r.Source, (byte)r.SourceTypeKind, (byte)r.SourceAliasKind, r.SourceAlias, (byte)r.TagsKind,
            r.Tags is { } tags ? BatchJson.Serialize(tags.ToList()) : null);
    }

    /// <summary>What the room's report cells are keyed by (a method: a row's properties are its statements' parameters).</summary>
    public RoomKeySource KeySource() => new(SourceKind, SourceTypeKind, SourceType, SourceAliasKind, SourceAlias, DepartmentKind, DepartmentId, TagsKind,
        Tags, ServedByKind, ServedById);
}

public sealed record UserRow(string Id, string? Username, string? Name, bool Active);

public sealed record RoleRow(string Id, string Name, string? Scope);

public sealed record DepartmentRow(string Id, string? Name, string? Type);

public sealed record UnitMonitorRow(string Id, string UnitId, string MonitorId, string? Username);

/// <summary>One entry of a list owned by a document: a room's ancestor, a user's role, a permission's role.</summary>
public sealed record ChildRow(string Parent, string Child);

public sealed record LoginTokenRow(string UserId, string HashedToken, long? CreatedAt);

public sealed record DepartmentAgentRow(string Id, string AgentId, string DepartmentId, string? Username, bool DepartmentEnabled);

/// <summary>What to add to one cell of room_counts_all or room_counts_all_hourly: Period is its day or hour.</summary>
public sealed record PeriodCountDeltaRow(long Period, long Total, long Open, long Queued, long OnHold, long Closed)
{
    /// <summary>Per-department changes added up per period; periods whose changes cancel out are left out.</summary>
    public static List<PeriodCountDeltaRow> Totals(List<CountDeltaRow> rows)
    {
        var periods = new Dictionary<long, (long Total, long Open, long Queued, long OnHold, long Closed)>();
        foreach (var r in rows)
        {
            ref var p = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(periods, r.Period, out _);
            p = (p.Total + r.Total, p.Open + r.Open, p.Queued + r.Queued, p.OnHold + r.OnHold, p.Closed + r.Closed);
        }
        var totals = new List<PeriodCountDeltaRow>(periods.Count);
        foreach (var (period, p) in periods)
        {
            if (p != default)
                totals.Add(new PeriodCountDeltaRow(period, p.Total, p.Open, p.Queued, p.OnHold, p.Closed));
        }
        return totals;
    }
}

/// <summary>
/// What to add to one cell of room_counts or room_counts_hourly: Period is its day or hour, DepartmentKind how the
/// rooms hold departmentId (<see cref="FieldKind"/>), '' for no department id or ancestors.
/// </summary>
public sealed record CountDeltaRow(long Period, byte DepartmentKind, string DepartmentId, string DepartmentAncestors, long Total, long Open, long Queued, long OnHold, long Closed);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<RoomRow>))]
[JsonSerializable(typeof(List<UserRow>))]
[JsonSerializable(typeof(List<RoleRow>))]
[JsonSerializable(typeof(List<DepartmentRow>))]
[JsonSerializable(typeof(List<UnitMonitorRow>))]
[JsonSerializable(typeof(List<DepartmentAgentRow>))]
[JsonSerializable(typeof(List<ChildRow>))]
[JsonSerializable(typeof(List<LoginTokenRow>))]
[JsonSerializable(typeof(List<CountDeltaRow>))]
[JsonSerializable(typeof(List<PeriodCountDeltaRow>))]
[JsonSerializable(typeof(List<ReportCountDeltaRow>))]
[JsonSerializable(typeof(List<SourceCountDeltaRow>))]
[JsonSerializable(typeof(List<long>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<string?>))]
public sealed partial class BatchJson : JsonSerializerContext
{
    public static string Serialize<T>(List<T> rows) =>
        JsonSerializer.Serialize(rows, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>>)Default.GetTypeInfo(typeof(List<T>))!);
}
