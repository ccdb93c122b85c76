using AnalyticsService.Cli;
using AnalyticsService.Hosting;
using AnalyticsService.Sync;

CommandLine commandLine;
try
{
    commandLine = CommandLine.Parse(args);
    switch (commandLine.Command)
    {
        case Command.Import:
            return await ImportTool.RunAsync(commandLine, Console.Out, Console.Error);
        case Command.Generate:
            return GenerateTool.Run(commandLine, Console.Out, TimeProvider.System);
        case Command.Sync:
            return await SyncTool.RunAsync(commandLine, Console.Error);
        case Command.Help:
            Console.Out.Write(commandLine.HelpText);
            return 0;
    }
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"{ex.Message}\n{CommandLine.Usage}");
    return 2;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = commandLine.HostArguments, ContentRootPath = AppContext.BaseDirectory });
builder.Services
    .AddAnalyticsSettings(builder.Configuration)
    .AddAnalyticsStore(builder.Configuration)
    .AddRateLimits(builder.Configuration)
    .AddAnalyticsTelemetry(builder.Configuration)
    .AddAnalyticsApi()
    .AddAnalyticsSync(builder.Configuration)
    .AddDemo(commandLine);

var app = builder.Build();
return await app.RunAnalyticsAsync(commandLine);

public partial class Program;
