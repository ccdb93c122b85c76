// In no namespace: the runtime looks a startup hook up by this name (DOTNET_STARTUP_HOOKS).
/// <summary>
/// Runs the follower when the test assembly is started as a process with this hook and a folder (AnalyticsService.Tests.Infrastructure.FollowerProcess), then
/// exits. A startup hook rather than a Main of the tests' own: replacing the test SDK's generated entry point made other
/// tests' hosts fail now and then with "no such table" (measured: 2 runs of 6 against none of 6 without it).
/// </summary>
internal static class StartupHook
{
    public const string FolderVariable = "ANALYTICS_TEST_FOLLOWER_FOLDER";

    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder)
            Environment.Exit(AnalyticsService.Tests.Infrastructure.FollowerProcess.RunAsync(folder).GetAwaiter().GetResult());
    }
}
