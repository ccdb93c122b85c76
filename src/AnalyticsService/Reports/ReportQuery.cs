using AnalyticsService.Storage;
using Dapper;

namespace AnalyticsService.Reports;

/// <summary>
/// Runs one of a report's two statements over a range: the unrestricted one, or the one that counts only what a
/// restricted caller sees (docs/behaviour.md, "Who sees which rooms"). Reports read from the readable secondary when
/// one is configured, as Rocket.Chat reads its reports.
/// </summary>
public sealed class ReportQuery(Store store)
{
    public async Task<List<TRow>> RunAsync<TRow>(SqlStatement<RangeParameters> all, SqlStatement<RestrictedRangeParameters> restricted,
        DateTimeOffset start, DateTimeOffset end, RoomScope scope, CancellationToken cancellationToken)
    {
        var sql = store.Dialect;
        var (s, e) = (sql.Instant(start), sql.Instant(end));
        return await store.QueryAsync(forReports: true, async connection => (await connection.QueryAsync<TRow>(scope.IsRestricted
            ? store.Command(restricted, new RestrictedRangeParameters(s, e, scope.UnitsJson!, scope.DepartmentsJson!), cancellationToken: cancellationToken)
            : store.Command(all, new RangeParameters(s, e), cancellationToken: cancellationToken))).AsList(), cancellationToken);
    }

    /// <summary>Every department's name by id, to label the by-department cells.</summary>
    public Task<Dictionary<string, string?>> DepartmentNamesAsync(CancellationToken cancellationToken) =>
        NamesAsync(store.Command(store.Dialect.DepartmentNames, cancellationToken: cancellationToken), cancellationToken);

    /// <summary>These users' names by id, to label the by-agent cells.</summary>
    public Task<Dictionary<string, string?>> UserNamesAsync(List<string> ids, CancellationToken cancellationToken) =>
        NamesAsync(store.Command(store.Dialect.UserNames, new IdsParameters(BatchJson.Serialize(ids)), cancellationToken: cancellationToken), cancellationToken);

    private async Task<Dictionary<string, string?>> NamesAsync(CommandDefinition command, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync(forReports: true, connection => connection.QueryAsync<(string Id, string? Name)>(command), cancellationToken);
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (id, name) in rows)
            names[id] = name;
        return names;
    }
}
