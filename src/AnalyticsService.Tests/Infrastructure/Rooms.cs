using AnalyticsService.Storage;

namespace AnalyticsService.Tests.Infrastructure;

/// <summary>Rooms in each state Rocket.Chat stores them in.</summary>
public static class Rooms
{
    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static string NewId() => "r" + Guid.NewGuid().ToString("N")[..16];

    public static RoomRecord Queued(DateTimeOffset ts, string? department = null) =>
        new(NewId(), "l", ts, Open: true, DepartmentId: department);

    public static RoomRecord Open(DateTimeOffset ts, string? department = null) =>
        new(NewId(), "l", ts, Open: true, ServedById: "agent-1", ServedByUsername: "agent.1", ServedByTs: ts, DepartmentId: department);

    public static RoomRecord OnHold(DateTimeOffset ts) => Open(ts) with { OnHold = true };

    public static RoomRecord Closed(DateTimeOffset ts, double chatDuration = 300, string? department = null) =>
        new(NewId(), "l", ts, ServedById: "agent-1", ServedByUsername: "agent.1", ServedByTs: ts,
            ChatDuration: chatDuration, ClosedAt: ts.AddSeconds(chatDuration), DepartmentId: department);

    /// <summary>Closed, but without metrics.chatDuration: counts only in total.</summary>
    public static RoomRecord ClosedWithoutDuration(DateTimeOffset ts) =>
        new(NewId(), "l", ts, ServedById: "agent-1", ClosedAt: ts.AddMinutes(5));
}
