namespace AnalyticsService.Storage;

// The documents of Rocket.Chat's collections, reduced to the fields the service uses (spec section 7).

/// <summary>A rocketchat_room document. ServedById is null when no agent took the room.</summary>
public sealed record RoomRecord(
    string Id,
    string Type,
    DateTimeOffset Ts,
    bool Open = false,
    bool OnHold = false,
    string? ServedById = null,
    string? ServedByUsername = null,
    DateTimeOffset? ServedByTs = null,
    double? ChatDuration = null,
    DateTimeOffset? ClosedAt = null,
    string? DepartmentId = null,
    IReadOnlyList<string>? DepartmentAncestors = null,
    string? SourceType = null);

/// <summary>A users document; HashedTokens are services.resume.loginTokens[].hashedToken.</summary>
public sealed record UserRecord(
    string Id,
    string? Username,
    IReadOnlyList<string> Roles,
    IReadOnlyList<LoginTokenRecord> LoginTokens,
    string? Name = null,
    bool Active = true);

public sealed record LoginTokenRecord(string HashedToken, DateTimeOffset? When = null);

/// <summary>A rocketchat_permissions document: the permission's name and the roles that hold it.</summary>
public sealed record PermissionRecord(string Id, IReadOnlyList<string> Roles);

public sealed record RoleRecord(string Id, string Name, string? Scope = "Users");

/// <summary>A rocketchat_livechat_department document; Type "u" marks a unit.</summary>
public sealed record DepartmentRecord(string Id, string? Name, string? Type = null, IReadOnlyList<string>? Ancestors = null);

public sealed record UnitMonitorRecord(string Id, string UnitId, string MonitorId, string? Username = null);
