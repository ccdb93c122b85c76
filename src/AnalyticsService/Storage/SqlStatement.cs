namespace AnalyticsService.Storage;

/// <summary>
/// A SQL statement and the type of the parameters it takes: a call can only pass that type, and the T-SQL catalog
/// test checks the statement's @variables against the type's properties.
/// </summary>
public sealed record SqlStatement<TParameters>(string Text);

/// <summary>
/// A statement that writes rows: run once per row with the row's properties as parameters, or, when
/// <see cref="AsJsonBatch"/>, once per batch with all rows as one JSON parameter, @Batch.
/// </summary>
public sealed record BatchStatement<TRow>(string Text, bool AsJsonBatch);

// Parameter types. Instants are whatever the dialect stores (see SqlDialect.Instant).
public sealed record NoParameters
{
    public static NoParameters Instance { get; } = new();
}

public sealed record RangeParameters(object Start, object End);

public sealed record PageParameters(string After, int Size);

public sealed record StreamParameters(string Stream);

public sealed record SyncStateParameters(string Stream, string? ResumeToken, long? Watermark, long AppliedAt);

/// <summary>A range's two partial hours: [Start, HeadEnd) and [TailStart, End) (see RangeSplit).</summary>
public sealed record PartialHourParameters(object Start, object HeadEnd, object TailStart, object End);

/// <summary>A range's partial hours and whole hours (see RangeSplit), without its whole days.</summary>
public sealed record HourRangeParameters(object Start, object HeadEnd, object TailStart, object End,
    long FirstHour, long HeadHourEnd, long TailHourStart, long EndHour);

/// <summary>
/// A restricted caller's range: Units, a JSON array of the units and departments that restrict it; Departments, a JSON
/// array of the departments found through them (<see cref="RoomScope"/>).
/// </summary>
public sealed record RestrictedRangeParameters(object Start, object End, string Units, string Departments);

/// <summary>
/// A range cut as <see cref="RangeSplit"/> does: whole days [FirstDay, EndDay), whole hours [FirstHour, HeadHourEnd) and
/// [TailHourStart, EndHour), partial hours [Start, HeadEnd) and [TailStart, End).
/// </summary>
public sealed record SplitRangeParameters(object Start, object HeadEnd, object TailStart, object End,
    long FirstHour, long HeadHourEnd, long TailHourStart, long EndHour, long FirstDay, long EndDay);

public sealed record RestrictedSplitRangeParameters(object Start, object HeadEnd, object TailStart, object End,
    long FirstHour, long HeadHourEnd, long TailHourStart, long EndHour, long FirstDay, long EndDay, string Units, string Departments)
{
    public RestrictedSplitRangeParameters(SplitRangeParameters range, string units, string departments) : this(range.Start, range.HeadEnd,
        range.TailStart, range.End, range.FirstHour, range.HeadHourEnd, range.TailHourStart, range.EndHour, range.FirstDay, range.EndDay,
        units, departments) { }
}

/// <summary>
/// A range cut at UTC days for a restricted caller: whole days [FirstDay, EndDay), partial days [Start, HeadEnd) and
/// [TailStart, End) (all of it in the first when it holds no whole day).
/// </summary>
public sealed record RestrictedDaySplitParameters(object Start, object HeadEnd, object TailStart, object End, long FirstDay, long EndDay,
    string Units, string Departments);


public sealed record CallerParameters(string UserId, string HashedToken);

/// <summary>Roles: a JSON array of role ids.</summary>
public sealed record PermissionParameters(string Permission, string Roles);

public sealed record UserParameters(string UserId);

/// <summary>Units: a JSON array of ids.</summary>
public sealed record UnitsParameters(string Units);

public sealed record UsernameParameters(string Username);

public sealed record PruneTokensParameters(string UserId, int Keep);

/// <summary>Ids: a JSON array of ids.</summary>
public sealed record IdsParameters(string Ids);

public sealed record IdPageParameters(string After, int Take);

public sealed record BatchParameters(string Batch);

public sealed record VersionParameters(int Version);

/// <summary>A store version: the changes committed after it.</summary>
public sealed record SinceVersionParameters(long Version);

/// <summary>Periods (days or hours) in [From, To).</summary>
public sealed record PeriodSpanParameters(long From, long To);

/// <summary>The days a write changed (a JSON array of numbers) and how many versions of such days to keep.</summary>
public sealed record ChangedDaysParameters(string Days, long Keep);

public sealed record MigrationParameters(int Version, string Name, DateTime AppliedAt);
