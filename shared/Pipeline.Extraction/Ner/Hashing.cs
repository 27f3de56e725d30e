namespace Pipeline.Extraction.Ner;

/// <summary>64-bit hashing of strings and feature tuples; stable across runs and platforms.</summary>
internal static class Hashing
{
    public static ulong Mix(ulong h)
    {
        h ^= h >> 30;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 27;
        h *= 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return h;
    }

    public static ulong Combine(ulong a, ulong b) => Mix((a * 0x9E3779B97F4A7C15UL) ^ (b + 0x632BE59BD9B4E019UL));

    public static ulong Combine(ulong a, ulong b, ulong c) => Combine(Combine(a, b), c);

    public static ulong Combine(ulong a, ulong b, ulong c, ulong d) => Combine(Combine(Combine(a, b), c), d);

    public static ulong Of(ReadOnlySpan<char> s)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char c in s)
        {
            h ^= c;
            h *= 0x100000001B3UL;
        }

        return Mix(h ^ (ulong)s.Length);
    }

    /// <summary>Lower-cased, digits folded to 0: the form most features use.</summary>
    public static ulong OfNormalized(ReadOnlySpan<char> s)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char c in s)
        {
            char d = char.IsDigit(c) ? '0' : char.ToLowerInvariant(c);
            h ^= d;
            h *= 0x100000001B3UL;
        }

        return Mix(h ^ (ulong)s.Length);
    }
}
