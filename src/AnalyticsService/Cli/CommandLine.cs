using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

namespace AnalyticsService.Cli;

public enum Command { Serve, Import, Generate, Sync, Help }

/// <summary>
/// The command line, read with System.CommandLine: the service (with --demo), import and generate, each with --help.
/// Configuration in ASP.NET Core's command-line form (--Section:Key=value, --Section:Key value, --urls ...) goes to the
/// host untouched; anything else (an unknown command or option) is a usage error: exit code 2, and nothing starts.
/// </summary>
public sealed record CommandLine(Command Command, string[] HostArguments, IReadOnlyDictionary<string, string> Options, IReadOnlyList<string> Positional)
{
    /// <summary>The help text when Command is Help.</summary>
    public string HelpText { get; init; } = "";

    // Options keep their text: the tools check their values themselves, with messages that name them.
    private static readonly Option<bool> Demo_ = new("--demo") { Description = "Seed an empty store with a generated month of conversations and print a login token." };
    private static readonly Option<bool> SkipInvalid = new("--skip-invalid") { Description = "Import around documents that cannot be read, and list them." };
    private static readonly Option<string> Mongo = new("--mongo") { Description = "The URL of Rocket.Chat's MongoDB (mongodb://host/rocketchat?replicaSet=rs0).", Required = true };
    private static readonly Argument<string> Directory = new("dir") { Description = "The folder of the mongoexport files (one per collection, named after it)." };
    private static readonly (string Name, string Description)[] GenerateOptions =
    [
        ("--rooms", "How many conversations (required)."),
        ("--out", "The folder to write the files to (required)."),
        ("--seed", "The random seed: the same seed and end give the same files (default: random)."),
        ("--days", "Over how many days before --end (default 365)."),
        ("--end", "The day the conversations end at, yyyy-MM-dd (default: today, UTC)."),
        ("--agents", "How many agents (default 8)."),
        ("--departments", "How many departments, in two units (default 6)."),
        ("--tags", "How many tags in use (default 12)."),
    ];

    // What ASP.NET Core's command-line configuration takes as a key besides Section:Key.
    private static readonly string[] HostKeys = ["urls", "environment", "contentRoot", "applicationName"];

    /// <summary>A short reminder of the commands, after a usage error.</summary>
    public const string Usage = "usage: AnalyticsService [--demo] [configuration...] | import <dir> [--skip-invalid] [configuration...] | " +
        "generate --rooms N --out <dir> [options] | sync --mongo <url> [configuration...]   (--help for more)";

    private static RootCommand Describe(Dictionary<string, Option<string>> generateOptions)
    {
        var import = new System.CommandLine.Command("import", "Import mongoexport files of Rocket.Chat's collections into the configured store.")
        {
            Directory, SkipInvalid,
        };
        import.TreatUnmatchedTokensAsErrors = false; // configuration, checked below
        var sync = new System.CommandLine.Command("sync", "Follow Rocket.Chat's MongoDB into the configured store until stopped: a full load first, " +
            "then its change stream (docs/sync.md).") { Mongo };
        sync.TreatUnmatchedTokensAsErrors = false; // configuration, checked below
        var generate = new System.CommandLine.Command("generate", "Write a generated workspace as mongoexport files.");
        foreach (var (name, description) in GenerateOptions)
        {
            var option = new Option<string>(name) { Description = description };
            generateOptions[name] = option;
            generate.Options.Add(option);
        }
        var root = new RootCommand("Analytics: the omnichannel Reports page of Rocket.Chat, over gRPC and REST. Without a command, runs the service; " +
            "configuration may follow as --Section:Key=value.")
        {
            Demo_, import, generate, sync,
        };
        root.TreatUnmatchedTokensAsErrors = false;
        // Actions do nothing here: Program runs what the parse says (and System.CommandLine then needs no subcommand).
        root.SetAction(_ => 0);
        import.SetAction(_ => 0);
        generate.SetAction(_ => 0);
        sync.SetAction(_ => 0);
        return root;
    }

    public static CommandLine Parse(string[] args)
    {
        var generateOptions = new Dictionary<string, Option<string>>(StringComparer.Ordinal);
        var root = Describe(generateOptions);
        var result = root.Parse(args);
        if (result.Action is HelpAction)
        {
            var help = new StringWriter();
            result.Invoke(new InvocationConfiguration { Output = help });
            return new CommandLine(Command.Help, [], new Dictionary<string, string>(), []) { HelpText = help.ToString() };
        }
        if (result.Errors.Count > 0)
            throw new UsageException(result.Errors[0].Message);

        var command = result.CommandResult.Command.Name switch
        {
            "import" => Command.Import,
            "generate" => Command.Generate,
            "sync" => Command.Sync,
            _ => Command.Serve,
        };
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        if (result.GetValue(Demo_))
            options["--demo"] = "true";
        if (command == Command.Import)
        {
            positional.Add(result.GetValue(Directory)!);
            if (result.GetValue(SkipInvalid))
                options["--skip-invalid"] = "true";
        }
        if (command == Command.Sync)
            options["--mongo"] = result.GetValue(Mongo)!;
        foreach (var (name, option) in generateOptions)
        {
            if (result.GetResult(option) is { Implicit: false } && result.GetValue(option) is { } value)
                options[name] = value;
        }
        return new CommandLine(command, ConfigurationArguments(result.UnmatchedTokens), options, positional);
    }

    /// <summary>
    /// Tokens not the service's own must be configuration: --Key=value (any key, as the host reads it), or a key that
    /// names a section (--Section:Key) or one of the host's (--urls) followed by its value. A bare --dmeo is neither.
    /// </summary>
    private static string[] ConfigurationArguments(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var key = token.StartsWith("--", StringComparison.Ordinal) ? token[2..].Split('=', 2)[0] : "";
            var withValue = token.Contains('=');
            if (key.Length == 0 || !(withValue || key.Contains(':') || HostKeys.Contains(key, StringComparer.OrdinalIgnoreCase)))
                throw new UsageException($"Unrecognized command or argument '{token}'.");
            if (!withValue && i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                i++; // its value
        }
        return [.. tokens];
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
