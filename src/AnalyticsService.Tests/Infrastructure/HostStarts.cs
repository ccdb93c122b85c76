namespace AnalyticsService.Tests.Infrastructure;

/// <summary>
/// One in-process host built at a time. WebApplicationFactory finds the service's host by listening to the process-wide
/// "Microsoft.Extensions.Hosting" diagnostic events while Program.Main runs; with test classes starting hosts in
/// parallel, a factory now and then went on with a host whose start had not run (its store file empty, no migration
/// logged, "no such table" at the first write: about one run in five of two test classes). Building hosts one after
/// another (a few hundred ms each) ends that; the CLI commands tests run in-process build hosts too, so they take turns.
/// </summary>
public static class HostStarts
{
    private static readonly SemaphoreSlim Turn = new(1, 1);

    public static T One<T>(Func<T> build)
    {
        Turn.Wait();
        try
        {
            return build();
        }
        finally
        {
            Turn.Release();
        }
    }

    public static async Task<T> OneAsync<T>(Func<Task<T>> run)
    {
        await Turn.WaitAsync();
        try
        {
            return await run();
        }
        finally
        {
            Turn.Release();
        }
    }
}
