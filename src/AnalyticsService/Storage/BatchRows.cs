using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsService.Storage;

// A batch travels to the database as one JSON parameter that SQL reads as a table (SQLite json_each,
// SQL Server OPENJSON): one set-based statement per batch instead of one round trip per row.
// Instants are Unix milliseconds; each dialect turns them into its own type.

public sealed record RoomRow(string Id, string T, long Ts, bool Open, bool OnHold, string? ServedById, string? ServedByUsername,
    long? ServedByTs, double? ChatDuration, long? ClosedAt, string? DepartmentId, string? DepartmentAncestors, string? SourceType);

public sealed record UserRow(string Id, string? Username, string? Name, bool Active);

public sealed record RoleRow(string Id, string Name, string? Scope);

public sealed record DepartmentRow(string Id, string? Name, string? Type);

public sealed record UnitMonitorRow(string Id, string UnitId, string MonitorId, string? Username);

/// <summary>One entry of a list owned by a document: a room's ancestor, a user's role, a permission's role.</summary>
public sealed record ChildRow(string Parent, string Child);

public sealed record LoginTokenRow(string UserId, string HashedToken, long? CreatedAt);

/// <summary>What to add to one cell of room_counts or room_counts_hourly: Period is its day or hour ('' for no department or ancestors).</summary>
public sealed record CountDeltaRow(long Period, string DepartmentId, string DepartmentAncestors, long Total, long Open, long Queued, long OnHold, long Closed);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<RoomRow>))]
[JsonSerializable(typeof(List<UserRow>))]
[JsonSerializable(typeof(List<RoleRow>))]
[JsonSerializable(typeof(List<DepartmentRow>))]
[JsonSerializable(typeof(List<UnitMonitorRow>))]
[JsonSerializable(typeof(List<ChildRow>))]
[JsonSerializable(typeof(List<LoginTokenRow>))]
[JsonSerializable(typeof(List<CountDeltaRow>))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class BatchJson : JsonSerializerContext
{
    public static string Serialize<T>(List<T> rows) =>
        JsonSerializer.Serialize(rows, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>>)Default.GetTypeInfo(typeof(List<T>))!);
}
