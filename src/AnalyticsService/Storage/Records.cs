namespace AnalyticsService.Storage;

// The documents of Rocket.Chat's collections, reduced to the fields the service uses (docs/behaviour.md, "Data").

/// <summary>
/// How a field that MongoDB may hold or not is held: absent, null, or a value. Rocket.Chat's reports tell the three
/// apart (a room without a departmentId field is not a room whose departmentId is null).
/// </summary>
public enum FieldKind : byte
{
    Absent = 0,
    Null = 1,
    Value = 2,
}

/// <summary>
/// A rocketchat_room document, as far as the reports read it. The status inputs keep what MongoDB's truthiness needs
/// (docs/behaviour.md, "Status"): Open and OnHold are "exactly true"; OnHoldOtherTruthy and ChatDurationOtherTruthy
/// mark values that are true for MongoDB without being true or a number (1, "yes", {}).
/// </summary>
/// <remarks>
/// servedBy and departmentId: null ServedById or DepartmentId means the field is absent, unless ServedByField or
/// DepartmentField says otherwise (null, or servedBy present without an _id). The importer sets them; code that makes
/// rooms by hand only names the id.
/// </remarks>
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
    string? SourceType = null)
{
    /// <summary>onHold holds a value MongoDB takes as true other than true itself (1, "yes", an object).</summary>
    public bool OnHoldOtherTruthy { get; init; }

    /// <summary>metrics.chatDuration holds a value MongoDB takes as true that is not a number (a string, true, an object).</summary>
    public bool ChatDurationOtherTruthy { get; init; }

    /// <summary>Without a ServedById: Null when servedBy is null, Value when it is present without an _id ({}).</summary>
    public FieldKind? ServedByField { get; init; }

    /// <summary>Without a DepartmentId: Null when departmentId is stored as null.</summary>
    public FieldKind? DepartmentField { get; init; }

    /// <summary>source.alias (the type is <see cref="SourceType"/>).</summary>
    public string? SourceAlias { get; init; }

    /// <summary>Without a source type or alias: Null when source is null, Value when it is present without either.</summary>
    public FieldKind? SourceField { get; init; }

    /// <summary>Without a SourceType: Null when source.type is null.</summary>
    public FieldKind? SourceTypeField { get; init; }

    /// <summary>Without a SourceAlias: Null when source.alias is null.</summary>
    public FieldKind? SourceAliasField { get; init; }

    /// <summary>tags: each element one use of that tag (null elements kept); an empty list is "no tags".</summary>
    public IReadOnlyList<string?>? Tags { get; init; }

    /// <summary>Without Tags: Null when tags is null.</summary>
    public FieldKind? TagsField { get; init; }

    public FieldKind ServedBy => ServedById is not null ? FieldKind.Value : ServedByField ?? FieldKind.Absent;

    public FieldKind Source => SourceType is not null || SourceAlias is not null ? FieldKind.Value : SourceField ?? FieldKind.Absent;

    public FieldKind SourceTypeKind => SourceType is not null ? FieldKind.Value : SourceTypeField ?? FieldKind.Absent;

    public FieldKind SourceAliasKind => SourceAlias is not null ? FieldKind.Value : SourceAliasField ?? FieldKind.Absent;

    public FieldKind TagsKind => Tags is not null ? FieldKind.Value : TagsField ?? FieldKind.Absent;

    public FieldKind Department => DepartmentId is not null ? FieldKind.Value : DepartmentField ?? FieldKind.Absent;

    public RoomStatus Status => RoomStatus.Of(this);
}

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

/// <summary>A rocketchat_livechat_department_agents document: an agent of a department (enabled or not).</summary>
public sealed record DepartmentAgentRecord(string Id, string AgentId, string DepartmentId, string? Username = null, bool DepartmentEnabled = true);

/// <summary>A row of the by-source count: how source.type and source.alias were held (<see cref="FieldKind"/>), and how many rooms.</summary>
public sealed class SourceCountRow
{
    public long TypeKind { get; set; }
    public string? Type { get; set; }
    public long AliasKind { get; set; }
    public string? Alias { get; set; }
    public long Total { get; set; }
}

/// <summary>A counted row of a report with an "unspecified" figure: Unspecified = 1 marks the row of the rooms counted there.</summary>
public interface ICountRow
{
    long Unspecified { get; }
    long Total { get; }
}

/// <summary>A row of the by-department and by-tags counts; Unspecified = 1 marks the row of the rooms without one.</summary>
public sealed class LabelCountRow : ICountRow
{
    public long Unspecified { get; set; }
    public string? Label { get; set; }
    public long Total { get; set; }
}

/// <summary>A row of the by-agent count: servedBy._id and the user's name; Unspecified = 1 marks the rooms without servedBy.</summary>
public sealed class AgentCountRow : ICountRow
{
    public long Unspecified { get; set; }
    public string? AgentId { get; set; }
    public string? Name { get; set; }
    public long Total { get; set; }
}

/// <summary>The kinds of document the store keeps, as a deletion names them.</summary>
public enum DocumentKind { Room, User, Role, Permission, Department, UnitMonitor, DepartmentAgent }

/// <summary>A document Rocket.Chat deleted: its kind and _id.</summary>
public sealed record DeletedDocument(DocumentKind Kind, string Id);

/// <summary>Where following MongoDB has got to on one stream: a change stream's resume token, or a poll's watermark.</summary>
public sealed class SyncState
{
    public string Stream { get; set; } = "";
    public string? ResumeToken { get; set; }
    public long? Watermark { get; set; }
    public long AppliedAt { get; set; }
}
