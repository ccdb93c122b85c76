namespace AnalyticsService.Storage;

/// <summary>
/// The ids a write session has written, as a Bloom filter of fixed size (16 MB, three bits per id): an id it answers
/// "not written" for certainly was not; "maybe" can be wrong, and then costs the caller a lookup, never a wrong answer.
/// Wrong maybes: about one in a hundred thousand after a million ids, one in a hundred after ten million. A set of the
/// ids' hashes grew with the session instead (ten million rooms: 567 MB at the peak of an import).
/// </summary>
internal sealed class WrittenIds
{
    private const int Bits = 1 << 27;
    private const int Probes = 3;
    private readonly ulong[] _words = new ulong[Bits / 64];

    public void Add(string id)
    {
        var (h1, h2) = Hashes(id);
        for (var i = 0u; i < Probes; i++)
        {
            var (word, mask) = Probe(h1, h2, i);
            _words[word] |= mask;
        }
    }

    public bool MayContain(string id)
    {
        var (h1, h2) = Hashes(id);
        for (var i = 0u; i < Probes; i++)
        {
            var (word, mask) = Probe(h1, h2, i);
            if ((_words[word] & mask) == 0)
                return false;
        }
        return true;
    }

    // The i-th of an id's bits: its word and the bit's mask in it.
    private static (uint Word, ulong Mask) Probe(uint h1, uint h2, uint i)
    {
        var bit = (h1 + i * h2) & (Bits - 1);
        return (bit >> 6, 1UL << (int)(bit & 63));
    }

    // FNV-1a over the id's UTF-16 units, then a 64-bit finalizer so that every bit depends on every unit; its two
    // halves make the probes (double hashing; the step odd, so probes differ).
    private static (uint, uint) Hashes(string id)
    {
        var h = 14695981039346656037UL;
        foreach (var c in id)
            h = (h ^ c) * 1099511628211UL;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return ((uint)h, (uint)(h >> 32) | 1);
    }
}
