using System.Text.Encodings.Web;
using System.Text.Json;
using AnalyticsService.Storage;

namespace AnalyticsService.Import;

/// <summary>Writes documents as mongoexport does by default: one per line, relaxed Extended JSON ({"$date": "…"}).</summary>
public sealed class MongoExportWriter : IDisposable, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;

    public MongoExportWriter(string path)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    public void Write(Action<Utf8JsonWriter> document)
    {
        _json.WriteStartObject();
        document(_json);
        _json.WriteEndObject();
        _json.Flush();
        _stream.WriteByte((byte)'\n');
        _json.Reset();
    }

    public static void Date(Utf8JsonWriter json, string name, DateTimeOffset value)
    {
        json.WriteStartObject(name);
        json.WriteString("$date", value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
        json.WriteEndObject();
    }

    public static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _stream.DisposeAsync();
    }
}

/// <summary>Rocket.Chat's documents for the service's records, as they appear in its collections.</summary>
public static class ExportDocuments
{
    public static void Room(Utf8JsonWriter j, RoomRecord room)
    {
        j.WriteString("_id", room.Id);
        j.WriteString("fname", $"Visitor {room.Id[..5]}"); // Rocket.Chat has many more fields; the import ignores them
        j.WriteString("t", room.Type);
        MongoExportWriter.Date(j, "ts", room.Ts);
        if (room.Open)
            j.WriteBoolean("open", true);
        if (room.OnHold)
            j.WriteBoolean("onHold", true);
        else if (room.OnHoldOtherTruthy)
            j.WriteNumber("onHold", 1);
        switch (room.ServedBy)
        {
            case FieldKind.Null:
                j.WriteNull("servedBy");
                break;
            case FieldKind.Value:
                j.WriteStartObject("servedBy");
                if (room.ServedById is not null)
                    j.WriteString("_id", room.ServedById);
                if (room.ServedByUsername is not null)
                    j.WriteString("username", room.ServedByUsername);
                if (room.ServedByTs is { } servedAt)
                    MongoExportWriter.Date(j, "ts", servedAt);
                j.WriteEndObject();
                break;
        }
        if (room.ChatDuration is { } duration)
        {
            j.WriteStartObject("metrics");
            if (double.IsFinite(duration))
                j.WriteNumber("chatDuration", duration);
            else
            {
                j.WriteStartObject("chatDuration"); // as mongoexport writes NaN and the infinities
                j.WriteString("$numberDouble", double.IsNaN(duration) ? "NaN" : duration > 0 ? "Infinity" : "-Infinity");
                j.WriteEndObject();
            }
            j.WriteEndObject();
        }
        else if (room.ChatDurationOtherTruthy)
        {
            j.WriteStartObject("metrics");
            j.WriteString("chatDuration", "unknown");
            j.WriteEndObject();
        }
        if (room.ClosedAt is { } closedAt)
            MongoExportWriter.Date(j, "closedAt", closedAt);
        if (room.DepartmentId is not null)
            j.WriteString("departmentId", room.DepartmentId);
        else if (room.Department == FieldKind.Null)
            j.WriteNull("departmentId");
        if (room.DepartmentAncestors is { Count: > 0 } ancestors)
            MongoExportWriter.Strings(j, "departmentAncestors", ancestors);
        switch (room.Source)
        {
            case FieldKind.Null:
                j.WriteNull("source");
                break;
            case FieldKind.Value:
                j.WriteStartObject("source");
                Optional(j, "type", room.SourceTypeKind, room.SourceType);
                Optional(j, "alias", room.SourceAliasKind, room.SourceAlias);
                j.WriteEndObject();
                break;
        }
        switch (room.TagsKind)
        {
            case FieldKind.Null:
                j.WriteNull("tags");
                break;
            case FieldKind.Value:
                j.WriteStartArray("tags");
                foreach (var tag in room.Tags!)
                    j.WriteStringValue(tag);
                j.WriteEndArray();
                break;
        }
    }

    private static void Optional(Utf8JsonWriter j, string name, FieldKind kind, string? value)
    {
        if (kind == FieldKind.Value)
            j.WriteString(name, value);
        else if (kind == FieldKind.Null)
            j.WriteNull(name);
    }

    public static void User(Utf8JsonWriter j, UserRecord user)
    {
        j.WriteString("_id", user.Id);
        if (user.Username is not null)
            j.WriteString("username", user.Username);
        if (user.Name is not null)
            j.WriteString("name", user.Name);
        MongoExportWriter.Strings(j, "roles", user.Roles);
        j.WriteBoolean("active", user.Active);
        j.WriteStartObject("services");
        j.WriteStartObject("resume");
        j.WriteStartArray("loginTokens");
        foreach (var token in user.LoginTokens)
        {
            j.WriteStartObject();
            if (token.When is { } when)
                MongoExportWriter.Date(j, "when", when);
            j.WriteString("hashedToken", token.HashedToken);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteEndObject();
        j.WriteEndObject();
    }

    public static void Permission(Utf8JsonWriter j, PermissionRecord permission)
    {
        j.WriteString("_id", permission.Id);
        MongoExportWriter.Strings(j, "roles", permission.Roles);
    }

    public static void Role(Utf8JsonWriter j, RoleRecord role)
    {
        j.WriteString("_id", role.Id);
        j.WriteString("name", role.Name);
        if (role.Scope is not null)
            j.WriteString("scope", role.Scope);
    }

    public static void Department(Utf8JsonWriter j, DepartmentRecord department)
    {
        j.WriteString("_id", department.Id);
        if (department.Name is not null)
            j.WriteString("name", department.Name);
        if (department.Type is not null)
            j.WriteString("type", department.Type);
        MongoExportWriter.Strings(j, "ancestors", department.Ancestors ?? []);
    }

    public static void DepartmentAgent(Utf8JsonWriter j, DepartmentAgentRecord agent)
    {
        j.WriteString("_id", agent.Id);
        j.WriteString("agentId", agent.AgentId);
        j.WriteString("departmentId", agent.DepartmentId);
        if (agent.Username is not null)
            j.WriteString("username", agent.Username);
        j.WriteBoolean("departmentEnabled", agent.DepartmentEnabled);
    }

    public static void UnitMonitor(Utf8JsonWriter j, UnitMonitorRecord monitor)
    {
        j.WriteString("_id", monitor.Id);
        j.WriteString("monitorId", monitor.MonitorId);
        j.WriteString("unitId", monitor.UnitId);
        if (monitor.Username is not null)
            j.WriteString("username", monitor.Username);
    }
}
