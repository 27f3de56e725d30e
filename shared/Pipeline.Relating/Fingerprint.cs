using System.Text;

namespace Pipeline.Relating;

/// <summary>
/// Stable 64-bit hashes (FNV-1a, then a SplitMix64 finaliser): the same in every process, unlike
/// <see cref="string.GetHashCode()"/>, because sketches are stored and compared across processes.
/// </summary>
internal static class Fingerprint
{
    public static ulong Of(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return Mix(hash);
    }

    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
