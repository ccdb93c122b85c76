using System.Collections.Concurrent;
using AnalyticsService.Storage;

namespace AnalyticsService.Reports;

/// <summary>
/// Departments' and users' names for the labels of the by-department and by-agent answers, kept for one store version:
/// a call at the same version reads none again, and any committed write (a renamed department) makes them read anew.
/// </summary>
public sealed class ReportLabels(ReportQuery query, StoreVersionReader versions)
{
    private sealed record Kept(long Version, Dictionary<string, string?>? Departments, ConcurrentDictionary<string, string?> Users);

    private volatile Kept _kept = new(-1, null, new(StringComparer.Ordinal));

    public async Task<Dictionary<string, string?>> DepartmentNamesAsync(CancellationToken cancellationToken)
    {
        var kept = await KeptAsync(cancellationToken);
        if (kept.Departments is { } departments)
            return departments;
        departments = await query.DepartmentNamesAsync(cancellationToken);
        _kept = kept with { Departments = departments };
        return departments;
    }

    /// <summary>These users' names: null for a user without one and for an id no user has (both are labelled by the id).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> UserNamesAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var kept = await KeptAsync(cancellationToken);
        List<string>? missing = null; // after the first call at a version, none (a list made per call was a visible part of it)
        foreach (var id in ids)
        {
            if (!kept.Users.ContainsKey(id))
                (missing ??= []).Add(id);
        }
        if (missing is not null)
        {
            var names = await query.UserNamesAsync(missing, cancellationToken);
            // Ids that are no user are kept too (as absent from the answer), so they are not asked for again.
            foreach (var id in missing)
                kept.Users[id] = names.TryGetValue(id, out var name) ? name : null;
        }
        return kept.Users;
    }

    private async ValueTask<Kept> KeptAsync(CancellationToken cancellationToken)
    {
        var version = await versions.ReadAsync(cancellationToken);
        var kept = _kept;
        if (kept.Version == version)
            return kept;
        return _kept = new Kept(version, null, new(StringComparer.Ordinal));
    }
}
