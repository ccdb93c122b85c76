using System.Text.Json;
using AnalyticsService.Interceptors;
using AnalyticsService.Storage;

namespace AnalyticsService.Import;

/// <summary>The file names of the collections the service reads, as mongoexport names them: one list for import and generate.</summary>
public static class ExportFiles
{
    public const string Rooms = "rocketchat_room.json";
    public const string Users = "users.json";
    public const string Permissions = "rocketchat_permissions.json";
    public const string Roles = "rocketchat_roles.json";
    public const string Departments = "rocketchat_livechat_department.json";
    public const string UnitMonitors = "rocketchat_livechat_unit_monitors.json";
    public const string DepartmentAgents = "rocketchat_livechat_department_agents.json";

    /// <summary>Rocket.Chat's trash: documents it deleted, each with __collection__ (where it was) and _deletedAt.</summary>
    public const string Trash = "rocketchat__trash.json";

    /// <summary>The collection a file holds: its name without .json.</summary>
    public static string Collection(string fileName) => fileName[..^".json".Length];
}

/// <summary>How one of Rocket.Chat's collections is read from its export and written to the store.</summary>
public abstract class ExportCollection
{
    /// <summary>mongoexport's file name: the collection's name with .json.</summary>
    public abstract string FileName { get; }

    /// <summary>Adds a document to the batch, or returns false when the service keeps nothing of it (skipped).</summary>
    public abstract bool Add(JsonElement document);

    /// <summary>The same for a document as the export reader gives it: one that cannot be parsed throws its error.</summary>
    public virtual bool Add(ExportDocument document) =>
        document.Error is { } error ? throw new DocumentException(error) : Add(document.Root);

    public abstract int Pending { get; }

    /// <summary>Hands over the documents added so far as one write, to run later in a session; null when there are none.</summary>
    public abstract Func<WriteSession, CancellationToken, Task<UpsertCounts>>? TakeBatch();

    /// <summary>The collections, in the order an import reads them.</summary>
    public static IReadOnlyList<ExportCollection> All() =>
    [
        new Roles(), new Permissions(), new Departments(), new UnitMonitors(), new DepartmentAgents(), new Users(), new Rooms(), new Trash(),
    ];
}

/// <summary>A collection whose documents map to one record type, written in batches.</summary>
public abstract class ExportCollection<T> : ExportCollection
{
    private List<T> _batch = [];

    public override int Pending => _batch.Count;

    public override bool Add(JsonElement document) => AddRecord(Read(document));

    /// <summary>Adds a record read by other means than <see cref="Read"/>; false for none.</summary>
    protected bool AddRecord(T? record)
    {
        if (record is null)
            return false;
        _batch.Add(record);
        return true;
    }

    protected abstract T? Read(JsonElement document);

    protected abstract Task<UpsertCounts> WriteAsync(WriteSession session, IReadOnlyList<T> batch, CancellationToken cancellationToken);

    public override Func<WriteSession, CancellationToken, Task<UpsertCounts>>? TakeBatch()
    {
        if (_batch.Count == 0)
            return null;
        var taken = _batch;
        _batch = new List<T>(taken.Count);
        return async (session, cancellationToken) =>
        {
            // The same _id twice in one batch: the later document wins, as it would in MongoDB's upsert order.
            var batch = Deduplicate(taken);
            var counts = await WriteAsync(session, batch, cancellationToken);
            return counts with { Updated = counts.Updated + taken.Count - batch.Count };
        };
    }

    protected abstract string IdOf(T record);

    private List<T> Deduplicate(List<T> batch)
    {
        var lastIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
            lastIndex[IdOf(batch[i])] = i;
        return lastIndex.Count == batch.Count ? batch : batch.Where((record, i) => lastIndex[IdOf(record)] == i).ToList();
    }
}

// Rooms are batched in their stored form, made as they are read: on the reading thread, beside the writing one.
public sealed class Rooms : ExportCollection<RoomRow>
{
    public override string FileName => ExportFiles.Rooms;

    // A room of another type is read no further: it is not kept, and removes a stored room of its id (WriteSession).
    // The status inputs keep what MongoDB's truthiness needs (docs/behaviour.md, "Status").
    protected override RoomRow? Read(JsonElement d) => RoomRow.Of(Record(d));

    // Most rooms are read from their line's text in one pass; the few the quick reader declines are parsed and read here.
    public override bool Add(ExportDocument document) =>
        RoomDocumentReader.Read(document.Json.Span) is { } record ? AddRecord(RoomRow.Of(record)) : base.Add(document);

    internal static RoomRecord Record(JsonElement d)
    {
        var id = d.RequiredId();
        var type = d.OptionalString("t") ?? "";
        if (type != "l")
            return new RoomRecord(id, type, default);
        var servedBy = d.Kind("servedBy");
        var department = d.Kind("departmentId");
        var chatDuration = d.NumberOrNull("metrics.chatDuration");
        return new RoomRecord(
            id, "l", d.RequiredDate("ts"),
            Open: d.IsExactlyTrue("open"),
            OnHold: d.IsExactlyTrue("onHold"),
            ServedById: d.OptionalString("servedBy._id"),
            ServedByUsername: d.OptionalString("servedBy.username"),
            ServedByTs: d.OptionalDate("servedBy.ts"),
            ChatDuration: chatDuration,
            ClosedAt: d.OptionalDate("closedAt"),
            DepartmentId: d.OptionalString("departmentId"),
            DepartmentAncestors: d.StringArray("departmentAncestors"),
            SourceType: d.OptionalString("source.type"))
        {
            OnHoldOtherTruthy = !d.IsExactlyTrue("onHold") && d.IsTruthy("onHold"),
            ChatDurationOtherTruthy = chatDuration is null && d.IsTruthy("metrics.chatDuration"),
            ServedByField = servedBy,
            DepartmentField = department,
            SourceField = d.Kind("source"),
            SourceTypeField = d.Kind("source.type"),
            SourceAlias = d.OptionalString("source.alias"),
            SourceAliasField = d.Kind("source.alias"),
            Tags = Tags(d),
            TagsField = d.Kind("tags"),
        };
    }

    // As MongoDB's $unwind reads them: an array's elements (null ones too), or a lone string as a list of one.
    private static IReadOnlyList<string?>? Tags(JsonElement d)
    {
        if (!d.TryGet("tags", out var tags) || tags.ValueKind == JsonValueKind.Null)
            return null;
        if (tags.ValueKind == JsonValueKind.String)
            return [tags.GetString()];
        if (tags.ValueKind != JsonValueKind.Array)
            throw new DocumentException("tags is not an array");
        return tags.EnumerateArray().Select((tag, i) => tag.ValueKind switch
        {
            JsonValueKind.String => tag.GetString(),
            JsonValueKind.Null => null,
            _ => throw new DocumentException($"tags[{i}] is not a string"),
        }).ToArray();
    }

    protected override string IdOf(RoomRow row) => row.Id;

    protected override Task<UpsertCounts> WriteAsync(WriteSession session, IReadOnlyList<RoomRow> batch, CancellationToken cancellationToken) =>
        session.UpsertRoomRowsAsync(batch, cancellationToken);
}

public sealed class Users : ExportCollection<UserRecord>
{
    public override string FileName => ExportFiles.Users;

    protected override UserRecord? Read(JsonElement d)
    {
        var tokens = new List<LoginTokenRecord>();
        if (d.TryGet("services.resume.loginTokens", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var (token, i) in list.EnumerateArray().Select((t, i) => (t, i)))
            {
                // Rocket.Chat stores hashes; an old export may hold a plain token, which is hashed here and never stored.
                var hash = token.OptionalString("hashedToken")
                    ?? (token.OptionalString("token") is { } plain ? LoginTokens.Hash(plain) : null)
                    ?? throw new DocumentException($"services.resume.loginTokens[{i}] has no hashedToken");
                tokens.Add(new LoginTokenRecord(hash, token.OptionalDate("when")));
            }
        }
        else if (d.TryGet("services.resume.loginTokens", out var other) && other.ValueKind != JsonValueKind.Null)
            throw new DocumentException("services.resume.loginTokens is not an array");

        return new UserRecord(d.RequiredId(), d.OptionalString("username"), d.StringArray("roles"), tokens,
            d.OptionalString("name"), !d.TryGet("active", out _) || d.OptionalBool("active"));
    }

    protected override string IdOf(UserRecord record) => record.Id;

    protected override Task<UpsertCounts> WriteAsync(WriteSession session, IReadOnlyList<UserRecord> batch, CancellationToken cancellationToken) =>
        session.UpsertUsersAsync(batch, cancellationToken);
}

public sealed class Permissions : ExportCollection<PermissionRecord>
{
    public override string FileName => ExportFiles.Permissions;

    protected override PermissionRecord? Read(JsonElement d) => new(d.RequiredId(), d.StringArray("roles"));

    protected override string IdOf(PermissionRecord record) => record.Id;

    protected override Task<UpsertCounts> WriteAsync(WriteSession session, IReadOnlyList<PermissionRecord> batch, CancellationToken cancellationToken) =>
        session.UpsertPermissionsAsync(batch, cancellationToken);
}

public sealed class Roles : ExportCollection<RoleRecord>
{
    public override string FileName => ExportFiles.Roles;

    protected override RoleRecord? Read(JsonElement d)
    {
        var id = d.RequiredId();
        return new RoleRecord(id, d.OptionalString("name") ?? id, d.OptionalString("scope"));
    }

    protected override string IdOf(RoleRecord record) => record.Id;

    protected override Task<UpsertCounts> WriteAsync(WriteSession session, IReadOnlyList<RoleRecord> batch, CancellationToken cancellationToken) =>
        session.UpsertRolesAsync(batch, cancellationToken);
}

public sealed class Departments : ExportCollection<DepartmentRecord>
{
    public override string FileName => ExportFiles.Departments;

    protected override DepartmentRecord? Read(JsonElement d) =>
        new(d.RequiredId(), d.OptionalString("name"), d.OptionalString("type"), d.StringArray("ancestors"));

    protected override string IdOf(DepartmentRecord record) => record.Id;

    protected override Task<UpsertCounts> WriteAsync(WriteSession session, IReadOnlyList<DepartmentRecord> batch, CancellationToken cancellationToken) =>
        session.UpsertDepartmentsAsync(batch, cancellationToken);
}

public sealed class UnitMonitors : ExportCollection<UnitMonitorRecord>
{
    public override string FileName => ExportFiles.UnitMonitors;

    protected override UnitMonitorRecord? Read(JsonElement d) =>
        new(d.RequiredId(), d.RequiredId("unitId"), d.RequiredId("monitorId"), d.OptionalString("username"));

    protected override string IdOf(UnitMonitorRecord record) => record.Id;

    protected override Task<UpsertCounts> WriteAsync(WriteSession session, IReadOnlyList<UnitMonitorRecord> batch, CancellationToken cancellationToken) =>
        session.UpsertUnitMonitorsAsync(batch, cancellationToken);
}

public sealed class DepartmentAgents : ExportCollection<DepartmentAgentRecord>
{
    public override string FileName => ExportFiles.DepartmentAgents;

    // departmentEnabled is kept but not read: the restriction counts an agent's departments enabled or not.
    protected override DepartmentAgentRecord? Read(JsonElement d) =>
        new(d.RequiredId(), d.RequiredId("agentId"), d.RequiredId("departmentId"), d.OptionalString("username"),
            !d.TryGet("departmentEnabled", out _) || d.OptionalBool("departmentEnabled"));

    protected override string IdOf(DepartmentAgentRecord record) => record.Id;

    protected override Task<UpsertCounts> WriteAsync(WriteSession session, IReadOnlyList<DepartmentAgentRecord> batch, CancellationToken cancellationToken) =>
        session.UpsertDepartmentAgentsAsync(batch, cancellationToken);
}

/// <summary>
/// Rocket.Chat's trash (docs/behaviour.md, "Data"): each document of a collection the service keeps deletes the stored
/// document of its _id, and a room leaves every count. Read after the collections, so a deletion wins over an export
/// of the document taken before it; documents of other collections are skipped.
/// </summary>
public sealed class Trash : ExportCollection<DeletedDocument>
{
    private static readonly Dictionary<string, DocumentKind> Kinds = new(StringComparer.Ordinal)
    {
        [ExportFiles.Collection(ExportFiles.Rooms)] = DocumentKind.Room,
        [ExportFiles.Collection(ExportFiles.Users)] = DocumentKind.User,
        [ExportFiles.Collection(ExportFiles.Roles)] = DocumentKind.Role,
        [ExportFiles.Collection(ExportFiles.Permissions)] = DocumentKind.Permission,
        [ExportFiles.Collection(ExportFiles.Departments)] = DocumentKind.Department,
        [ExportFiles.Collection(ExportFiles.UnitMonitors)] = DocumentKind.UnitMonitor,
        [ExportFiles.Collection(ExportFiles.DepartmentAgents)] = DocumentKind.DepartmentAgent,
    };

    public override string FileName => ExportFiles.Trash;

    /// <summary>The kind of document a collection of the store holds, or null for a collection the store does not keep.</summary>
    public static DocumentKind? KindOf(string collection) => Kinds.TryGetValue(collection, out var kind) ? kind : null;

    protected override DeletedDocument? Read(JsonElement d)
    {
        var id = d.RequiredId();
        var collection = d.OptionalString("__collection__") ?? throw new DocumentException("__collection__ is missing or not a string");
        return Kinds.TryGetValue(collection, out var kind) ? new DeletedDocument(kind, id) : null;
    }

    // The same _id in two collections is two documents.
    protected override string IdOf(DeletedDocument record) => $"{record.Kind}/{record.Id}";

    protected override Task<UpsertCounts> WriteAsync(WriteSession session, IReadOnlyList<DeletedDocument> batch, CancellationToken cancellationToken) =>
        session.DeleteAsync(batch, cancellationToken);
}
