using Analytics.V1;
using AnalyticsService.Dates;
using AnalyticsService.Reports;
using AnalyticsService.Storage;
using AnalyticsService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsService.Tests;

public sealed class KeptAnswersTests : IAsyncLifetime
{
    // A clock that stands still: no answer here takes long to compute, however slow the machine.
    private readonly AnalyticsFactory _factory = new AnalyticsFactory().WithClock(new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
    private KeptAnswers _kept = null!;
    private int _computed;

    public async Task InitializeAsync()
    {
        await _factory.RestAsync();
        _kept = _factory.Services.GetRequiredService<KeptAnswers>();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    // A by-agent answer of a thousand rows, its protobuf some 30 KB.
    private static GetConversationsByAgentResponse Agents(int seed)
    {
        var answer = new GetConversationsByAgentResponse { Total = 1000 * seed, Success = true };
        answer.Data.AddRange(Enumerable.Range(0, 1000).Select(i => Row.Of($"Agent number {i:0000} of the support team", seed)));
        return answer;
    }

    // Range k is hours [k, k + 24), on the hour: its edges need no rooms read. Its answer is Agents(k), counted when computed.
    private ValueTask<GetConversationsByAgentResponse> Ask(int k, string? sort = null) => _kept.GetOrComputeAsync("agent",
        new ReportRange(DateTimeOffset.FromUnixTimeSeconds(3600L * k), DateTimeOffset.FromUnixTimeSeconds(3600L * (k + 24))), RoomScope.All, sort,
        () => { _computed++; return Task.FromResult(Agents(k)); }, CancellationToken.None);

    [Fact]
    public async Task Answers_are_kept_up_to_a_total_size_the_least_recently_used_going_first()
    {
        var size = Agents(1).CalculateSize();
        Assert.InRange(size, 30_000, 60_000);
        var fit = (int)(KeptAnswers.MaxKeptSize / size);
        // An answer is kept the third time it is computed.
        for (var k = 0; k < fit * 3; k++)
        {
            for (var time = 0; time < 3; time++)
                Assert.Equal(1000 * k, (await Ask(k)).Total);
        }
        Assert.Equal(fit * 9, _computed);
        Assert.InRange(_kept.KeptSize, KeptAnswers.MaxKeptSize / 2, KeptAnswers.MaxKeptSize);

        // The newest are still kept; the oldest are gone and computed again, with their own numbers.
        Assert.Equal(1000 * (fit * 3 - 1), (await Ask(fit * 3 - 1)).Total);
        Assert.Equal(1000 * (fit * 3 - 2), (await Ask(fit * 3 - 2)).Total);
        Assert.Equal(fit * 9, _computed);
        Assert.Equal(1000, (await Ask(1)).Total);
        Assert.Equal(fit * 9 + 1, _computed);
    }

    [Fact]
    public async Task An_answer_computed_once_or_twice_is_not_kept_and_one_computed_a_third_time_is()
    {
        for (var k = 0; k < 50; k++)
            await Ask(k);
        for (var k = 0; k < 50; k++)
            await Ask(k);
        Assert.Equal((100, 0L), (_computed, _kept.KeptSize));
        var third = await Ask(7);
        Assert.Equal((101, third.CalculateSize()), (_computed, _kept.KeptSize));
        Assert.Same(third, await Ask(7));
        Assert.Equal(101, _computed);
    }

    [Fact]
    public async Task Answers_to_a_long_sort_are_never_kept()
    {
        var (longest, tooLong) = (new string('x', KeptAnswers.MaxKeptSortLength), new string('x', KeptAnswers.MaxKeptSortLength + 1));
        for (var time = 0; time < 5; time++)
        {
            await Ask(1, longest);
            await Ask(2, tooLong);
        }
        Assert.Equal(3 + 5, _computed);
    }

    [Fact]
    public async Task An_answer_that_took_long_to_compute_is_kept_at_once()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var factory = new AnalyticsFactory().WithClock(clock);
        await factory.RestAsync();
        var kept = factory.Services.GetRequiredService<KeptAnswers>();
        var computed = 0;
        Task<GetConversationsByAgentResponse> Ask(int k, TimeSpan taking) => kept.GetOrComputeAsync("agent",
            new ReportRange(DateTimeOffset.FromUnixTimeSeconds(3600L * k), DateTimeOffset.FromUnixTimeSeconds(3600L * (k + 1))), RoomScope.All, null,
            () => { computed++; clock.Advance(taking); return Task.FromResult(Agents(k)); }, CancellationToken.None).AsTask();

        var quick = await Ask(1, KeptAnswers.CostlyAnswer - TimeSpan.FromMilliseconds(1));
        Assert.NotSame(quick, await Ask(1, TimeSpan.Zero));
        var costly = await Ask(2, KeptAnswers.CostlyAnswer);
        Assert.Same(costly, await Ask(2, TimeSpan.Zero));
        Assert.Equal(3, computed);
    }
}
