namespace AnalyticsService.Interceptors;

public static class PendingValueExtensions
{
    /// <summary>
    /// Continues a call with a value that is usually already at hand (kept in memory): at once when it is, awaited only
    /// when it is not. The state is passed rather than captured, so a call answered from memory allocates no closure.
    /// </summary>
    public static Task<TResponse> Then<T, TState, TResponse>(this ValueTask<T> pending, TState state, Func<T, TState, Task<TResponse>> next) =>
        pending.IsCompletedSuccessfully ? next(pending.Result, state) : ThenAsync(pending, state, next);

    private static async Task<TResponse> ThenAsync<T, TState, TResponse>(ValueTask<T> pending, TState state, Func<T, TState, Task<TResponse>> next) =>
        await next(await pending, state);
}
