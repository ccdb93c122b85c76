using System.Globalization;
using System.Security.Cryptography;
using AnalyticsService.Demo;

namespace AnalyticsService.Cli;

/// <summary>
/// <c>generate --rooms N --out &lt;dir&gt; [--seed S] [--days D] [--end yyyy-MM-dd] [--agents A] [--departments N] [--tags T]</c>:
/// a generated workspace as mongoexport files. Rooms fall in the D days (365) before --end (the start of today, UTC). The same seed and end give the same
/// files. The users' plain tokens are printed here, once; the files hold only their hashes.
/// </summary>
public static class GenerateTool
{
    public static int Run(CommandLine commandLine, TextWriter output, TimeProvider clock)
    {
        var rooms = commandLine.Integer("--rooms", min: 0);
        var directory = commandLine.Text("--out");
        var days = commandLine.Integer("--days", 365, min: 1);
        var seed = commandLine.Options.ContainsKey("--seed") ? commandLine.Integer("--seed") : RandomNumberGenerator.GetInt32(int.MaxValue);
        var end = commandLine.Options.TryGetValue("--end", out var endText)
            ? DateTimeOffset.TryParseExact(endText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed : throw new UsageException("--end must be a date, yyyy-MM-dd")
            : new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

        var shape = new DataGenerator.Shape(commandLine.Integer("--agents", 8, min: 1), commandLine.Integer("--departments", 6, min: 1),
            commandLine.Integer("--tags", 12, min: 0));
        var workspace = new DataGenerator(seed).Generate(rooms, days, end, shape);
        workspace.WriteExport(directory);

        output.WriteLine($"Wrote {rooms:N0} rooms over {days} days before {end:yyyy-MM-dd} (seed {seed}) to {directory}.");
        output.WriteLine("Login tokens of the generated users (shown once; the files hold only their hashes):");
        foreach (var user in workspace.Users)
            output.WriteLine($"  {user.Username,-12} {user.Id,-20} {workspace.PlainTokensByUsername[user.Username!]}");
        return 0;
    }
}
