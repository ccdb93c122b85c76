using AnalyticsService.Hosting;

var commandLine = CommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(commandLine.HostArguments);
builder.Services
    .AddAnalyticsSettings(builder.Configuration)
    .AddAnalyticsStore(builder.Configuration)
    .AddRateLimits(builder.Configuration)
    .AddAnalyticsApi()
    .AddDemo(commandLine);

var app = builder.Build();
app.MapAnalyticsApi();
await app.RunAsync();

public partial class Program;
