// In no namespace: the runtime looks a startup hook up by this name (DOTNET_STARTUP_HOOKS).
/// <summary>
/// Runs the follower when the test assembly is started as a process with this hook and a folder
/// (AnalyticsService.Tests.Infrastructure.FollowerProcess), then exits; the test SDK's generated entry point is left
/// as it is, and the hook does nothing in the test run itself (the variable is set only for the child).
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
