using System.Security.Cryptography;
using AnalyticsService.Import;
using AnalyticsService.Interceptors;
using AnalyticsService.Storage;

namespace AnalyticsService.Demo;

/// <summary>
/// A generated workspace: Rocket.Chat's documents plus the plain tokens of the users made (to be shown once).
/// Rooms are made as they are enumerated, the same ones each time, so any number fits in memory.
/// </summary>
public sealed record GeneratedWorkspace(
    IReadOnlyList<RoleRecord> Roles,
    IReadOnlyList<PermissionRecord> Permissions,
    IReadOnlyList<DepartmentRecord> Departments,
    IReadOnlyList<UserRecord> Users,
    IReadOnlyList<UnitMonitorRecord> UnitMonitors,
    IReadOnlyList<DepartmentAgentRecord> DepartmentAgents,
    IEnumerable<RoomRecord> Rooms,
    IReadOnlyDictionary<string, string> PlainTokensByUsername)
{
    /// <summary>Writes the workspace as mongoexport would: one file per collection, one document per line.</summary>
    public void WriteExport(string directory)
    {
        Directory.CreateDirectory(directory);
        Write(directory, ExportFiles.Roles, Roles, ExportDocuments.Role);
        Write(directory, ExportFiles.Permissions, Permissions, ExportDocuments.Permission);
        Write(directory, ExportFiles.Departments, Departments, ExportDocuments.Department);
        Write(directory, ExportFiles.Users, Users, ExportDocuments.User);
        Write(directory, ExportFiles.UnitMonitors, UnitMonitors, ExportDocuments.UnitMonitor);
        Write(directory, ExportFiles.DepartmentAgents, DepartmentAgents, ExportDocuments.DepartmentAgent);
        Write(directory, ExportFiles.Rooms, Rooms, ExportDocuments.Room);
    }

    private static void Write<T>(string directory, string file, IEnumerable<T> records, Action<System.Text.Json.Utf8JsonWriter, T> document)
    {
        using var writer = new MongoExportWriter(Path.Combine(directory, file));
        foreach (var record in records)
            writer.Write(json => document(json, record));
    }
}

/// <summary>
/// Makes a plausible omnichannel workspace: departments grouped into units, agents, a manager, a monitor per unit,
/// an admin, Rocket.Chat's default permission assignments, and rooms spread over the last days with more traffic
/// in working hours. Old rooms are mostly closed; recent ones are often still queued, open or on hold.
/// The same seed and clock give the same workspace, tokens included.
/// </summary>
public sealed class DataGenerator(int seed)
{
    private const string IdAlphabet = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private Random _random = new(seed);

    public static IReadOnlyList<RoleRecord> DefaultRoles { get; } =
    [
        new("admin", "admin"), new("user", "user"), new("bot", "bot"), new("app", "app"), new("guest", "guest"),
        new("livechat-agent", "livechat-agent"), new("livechat-manager", "livechat-manager"), new("livechat-monitor", "livechat-monitor"),
    ];

    /// <summary>Rocket.Chat's defaults for the permissions this service reads.</summary>
    public static IReadOnlyList<PermissionRecord> DefaultPermissions { get; } =
    [
        new("view-livechat-reports", ["admin", "livechat-manager", "livechat-monitor"]),
        new("api-bypass-rate-limit", ["admin", "bot", "app"]),
    ];

    /// <summary>The sizes of a generated workspace beside its rooms: agents, departments (grouped into units) and tags in use.</summary>
    public sealed record Shape(int Agents = 8, int Departments = 6, int Tags = 12);

    private static readonly string[] DepartmentNames = ["Sales", "Support", "Billing", "Onboarding", "Returns", "Partners"];
    private static readonly string[] TagWords = ["billing", "refund", "bug", "feature-request", "vip", "complaint", "pricing", "login", "shipping", "urgent", "praise", "churn-risk"];

    public GeneratedWorkspace Generate(int rooms, int days, DateTimeOffset now, Shape? shape = null)
    {
        shape ??= new Shape();
        var units = new[] { Department("North America", "u"), Department("Europe", "u") };
        var departments = new List<DepartmentRecord>(units);
        for (var i = 0; i < shape.Departments; i++)
            departments.Add(Department(i < DepartmentNames.Length ? DepartmentNames[i] : $"Department {i + 1}", null, [units[i % units.Length].Id]));
        var tags = Enumerable.Range(0, shape.Tags).Select(i => i < TagWords.Length ? TagWords[i] : $"tag-{i + 1:000}").ToArray();

        var tokens = new Dictionary<string, string>();
        var users = new List<UserRecord>
        {
            User("admin", ["admin", "user"], tokens),
            User("manager", ["livechat-manager", "livechat-agent", "user"], tokens),
        };
        var monitors = new List<UnitMonitorRecord>();
        for (var i = 0; i < units.Length; i++)
        {
            var monitor = User($"monitor.{i + 1}", ["livechat-monitor", "user"], tokens);
            users.Add(monitor);
            monitors.Add(new UnitMonitorRecord(NewId(), units[i].Id, monitor.Id, monitor.Username));
        }
        var agents = Enumerable.Range(1, shape.Agents).Select(i => User($"agent.{i}", ["livechat-agent", "user"], tokens)).ToList();
        users.AddRange(agents);

        var roomDepartments = departments.Skip(units.Length).ToList();
        // Each agent works in one or two departments.
        var departmentAgents = new List<DepartmentAgentRecord>();
        foreach (var agent in agents)
        {
            foreach (var department in roomDepartments.OrderBy(_ => _random.Next()).Take(1 + _random.Next(2)))
                departmentAgents.Add(new DepartmentAgentRecord(NewId(), agent.Id, department.Id, agent.Username));
        }
        return new GeneratedWorkspace(DefaultRoles, DefaultPermissions, departments, users, monitors, departmentAgents,
            GenerateRooms(rooms, days, now, roomDepartments, agents, tags), tokens);
    }

    // Rooms have a random sequence of their own, so that enumerating them again gives the same rooms.
    private IEnumerable<RoomRecord> GenerateRooms(int rooms, int days, DateTimeOffset end, IReadOnlyList<DepartmentRecord> departments,
        IReadOnlyList<UserRecord> agents, string[] tags)
    {
        _random = new Random(unchecked(seed * 31 + 17));
        var start = end.AddDays(-days);
        var span = end - start;
        for (var i = 0; i < rooms; i++)
            yield return Tagged(Sourced(Room(start + WorkingHoursOffset(span), end, departments, agents)), tags);
    }

    public static string NewLoginToken() => RandomNumberGenerator.GetString(TokenAlphabet, 43);

    private DepartmentRecord Department(string name, string? type, IReadOnlyList<string>? ancestors = null) =>
        new(NewId(), name, type, ancestors);

    private UserRecord User(string username, string[] roles, Dictionary<string, string> tokens)
    {
        var token = new string(Enumerable.Range(0, 43).Select(_ => TokenAlphabet[_random.Next(TokenAlphabet.Length)]).ToArray());
        tokens[username] = token;
        return new UserRecord(NewId(), username, roles, [new LoginTokenRecord(LoginTokens.Hash(token))], username);
    }

    // Creation times cluster in working hours: a uniform day, then an hour drawn from a bell around 14:00.
    private TimeSpan WorkingHoursOffset(TimeSpan span)
    {
        var day = Math.Floor(_random.NextDouble() * span.TotalDays);
        var hour = Math.Clamp(14 + 3.5 * Gaussian(), 0, 23.999);
        var offset = TimeSpan.FromDays(day) + TimeSpan.FromHours(hour);
        return offset < span ? offset : TimeSpan.FromTicks((long)(_random.NextDouble() * span.Ticks));
    }

    private RoomRecord Room(DateTimeOffset ts, DateTimeOffset now, IReadOnlyList<DepartmentRecord> departments, IReadOnlyList<UserRecord> agents)
    {
        var department = departments[_random.Next(departments.Count)];
        var agent = agents[_random.Next(agents.Count)];
        var recent = now - ts < TimeSpan.FromDays(1);
        var roll = _random.NextDouble();
        var status = recent
            ? roll switch { < 0.40 => "closed", < 0.70 => "open", < 0.85 => "queued", _ => "onhold" }
            : roll switch { < 0.93 => "closed", < 0.96 => "open", < 0.98 => "onhold", < 0.99 => "queued", _ => "closed-no-duration" };
        var servedAt = ts.AddSeconds(5 + _random.Next(300));
        var duration = 60 + Math.Round(_random.NextDouble() * 1800, 3);
        // One room in twenty came in without a department (no departmentId field).
        var room = _random.Next(20) == 0
            ? new RoomRecord(NewId(), "l", ts)
            : new RoomRecord(NewId(), "l", ts, DepartmentId: department.Id, DepartmentAncestors: department.Ancestors);
        return status switch
        {
            "queued" => room with { Open = true },
            "open" => room with { Open = true, ServedById = agent.Id, ServedByUsername = agent.Username, ServedByTs = servedAt },
            "onhold" => room with { Open = true, OnHold = true, ServedById = agent.Id, ServedByUsername = agent.Username, ServedByTs = servedAt },
            "closed" => room with { ServedById = agent.Id, ServedByUsername = agent.Username, ServedByTs = servedAt, ChatDuration = duration, ClosedAt = ts.AddSeconds(duration) },
            _ => room with { ClosedAt = ts.AddMinutes(1) }, // closed before metrics were kept: counts only in total
        };
    }

    // Most conversations come in through the widget; some by email, SMS, the API or an app (with its alias); a few
    // carry no source at all.
    private RoomRecord Sourced(RoomRecord room) => _random.Next(100) switch
    {
        < 60 => room with { SourceType = "widget" },
        < 70 => room with { SourceType = "email" },
        < 75 => room with { SourceType = "sms" },
        < 85 => room with { SourceType = "app", SourceAlias = "WhatsApp Bridge" },
        < 90 => room with { SourceType = "api" },
        < 95 => room with { SourceType = "other" },
        _ => room with { SourceType = null },
    };

    // A fifth of the conversations are never tagged, a few have an emptied list; the rest have one to three tags,
    // the first few tags much more used than the others.
    private RoomRecord Tagged(RoomRecord room, string[] tags)
    {
        var roll = _random.Next(100);
        if (roll < 20 || tags.Length == 0)
            return room;
        if (roll < 25)
            return room with { Tags = [] };
        return room with { Tags = Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => tags[(int)(tags.Length * Math.Pow(_random.NextDouble(), 2))]).Distinct().ToArray() };
    }

    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private string NewId() => new(Enumerable.Range(0, 17).Select(_ => IdAlphabet[_random.Next(IdAlphabet.Length)]).ToArray());
}
