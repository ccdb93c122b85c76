using AnalyticsService.Storage;

namespace AnalyticsService.Tests;

public sealed class WrittenIdsTests
{
    // Ids shaped like Meteor's (17 characters of its alphabet), the same ones every run: the filter's hash is not seeded.
    private static IEnumerable<string> Ids(int seed, int count)
    {
        const string alphabet = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
            yield return new string(Enumerable.Range(0, 17).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    [Fact]
    public void Every_written_id_may_be_written_and_almost_no_other_id_is()
    {
        var written = new WrittenIds();
        var ids = Ids(1, 1_000_000).ToList();
        ids.ForEach(written.Add);

        Assert.All(ids, id => Assert.True(written.MayContain(id))); // never "not written" for a written id: that would skip a stored room
        var known = ids.ToHashSet(StringComparer.Ordinal);
        var others = Ids(2, 1_000_000).Where(id => !known.Contains(id)).Count(written.MayContain);
        // Three bits of 2^27 per id: about 2.2% of the bits are set, so about one other id in 100,000 answers maybe.
        Assert.InRange(others, 0, 50);
        Assert.False(new WrittenIds().MayContain(ids[0]));
        Assert.False(written.MayContain(""));
    }
}
