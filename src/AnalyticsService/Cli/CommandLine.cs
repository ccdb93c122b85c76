using System.Globalization;

namespace AnalyticsService.Cli;

public enum Command { Serve, Import, Generate }

/// <summary>
/// The service's own words on the command line. Anything else (--urls, --Kestrel:..., --ConnectionStrings:...)
/// goes to ASP.NET Core's configuration untouched.
/// </summary>
public sealed record CommandLine(Command Command, string[] HostArguments, IReadOnlyDictionary<string, string> Options, IReadOnlyList<string> Positional)
{
    public const string Usage = """
        usage:
          AnalyticsService [--demo] [configuration...]              run the service (--demo: seed an empty store, print a token)
          AnalyticsService import <dir> [--skip-invalid] [configuration...]
                                                                    import mongoexport files into the configured store
          AnalyticsService generate --rooms N --out <dir> [--seed S] [--days D] [--end yyyy-MM-dd]
                                    [--agents A] [--departments N] [--tags T]
                                                                    write a generated workspace as mongoexport files
        """;

    private static readonly string[] Flags = ["--demo", "--skip-invalid"];
    private static readonly string[] Valued = ["--rooms", "--out", "--seed", "--days", "--end", "--agents", "--departments", "--tags"];

    public static CommandLine Parse(string[] args)
    {
        var command = args.FirstOrDefault() switch
        {
            "import" => Command.Import,
            "generate" => Command.Generate,
            _ => Command.Serve,
        };
        var rest = command == Command.Serve ? args : args[1..];
        var positional = new List<string>();
        if (command == Command.Import)
        {
            if (rest.Length == 0 || rest[0].StartsWith('-'))
                throw new UsageException("import needs the directory of the export files");
            positional.Add(rest[0]);
            rest = rest[1..];
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var host = new List<string>();
        for (var i = 0; i < rest.Length; i++)
        {
            var arg = rest[i];
            if (Flags.Contains(arg))
                options[arg] = "true";
            else if (command == Command.Generate && Valued.Contains(arg))
                options[arg] = i + 1 < rest.Length ? rest[++i] : throw new UsageException($"{arg} needs a value");
            else if (command == Command.Generate)
                throw new UsageException($"generate does not know {arg}");
            else
                host.Add(arg);
        }
        return new CommandLine(command, host.ToArray(), options, positional);
    }

    public bool Flag(string name) => Options.ContainsKey(name);

    public bool Demo => Flag("--demo");

    public int Integer(string name, int? fallback = null, int min = 0)
    {
        if (!Options.TryGetValue(name, out var text))
            return fallback ?? throw new UsageException($"{name} is required");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new UsageException($"{name} must be a whole number of at least {min}");
    }

    public string Text(string name) => Options.TryGetValue(name, out var text) ? text : throw new UsageException($"{name} is required");
}

/// <summary>A command line that does not say what to do: the message and the usage go to standard error, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
