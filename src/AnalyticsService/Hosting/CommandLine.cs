namespace AnalyticsService.Hosting;

/// <summary>The service's own switches; every other argument goes to ASP.NET Core's configuration.</summary>
public sealed record CommandLine(bool Demo, string[] HostArguments)
{
    public const string DemoSwitch = "--demo";

    public static CommandLine Parse(string[] args) =>
        new(args.Contains(DemoSwitch), args.Where(a => a != DemoSwitch).ToArray());
}
