using System.Runtime.CompilerServices;

namespace Pipeline.Extraction.Ner;

/// <summary>Finds the weight row of a feature hash.</summary>
internal interface IRowLookup
{
    int Row(ulong feature);
}

/// <summary>Lookup over a training-time dictionary.</summary>
internal readonly struct DictionaryLookup(Dictionary<ulong, int> rows) : IRowLookup
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Row(ulong feature) => rows.TryGetValue(feature, out int r) ? r : -1;
}

/// <summary>
/// Read-only open-addressing hash table from feature hash to row, for run time: a power-of-two table with
/// linear probing, at most half full. Key 0 marks an empty slot (a feature hash of 0 is remapped).
/// </summary>
internal sealed class FeatureTable
{
    private readonly ulong[] _keys;
    private readonly int[] _rows;
    private readonly int _mask;

    public FeatureTable(IReadOnlyList<ulong> keys)
    {
        int size = 16;
        while (size < keys.Count * 2)
        {
            size <<= 1;
        }

        _keys = new ulong[size];
        _rows = new int[size];
        _mask = size - 1;
        for (int r = 0; r < keys.Count; r++)
        {
            ulong k = Fix(keys[r]);
            int slot = (int)(k >> 20) & _mask;
            while (_keys[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _keys[slot] = k;
            _rows[slot] = r;
        }
    }

    public int Count => _keys.Count(k => k != 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fix(ulong k) => k == 0 ? 1 : k;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Row(ulong feature)
    {
        ulong k = Fix(feature);
        var keys = _keys;
        int slot = (int)(k >> 20) & _mask;
        while (true)
        {
            ulong at = keys[slot];
            if (at == k)
            {
                return _rows[slot];
            }

            if (at == 0)
            {
                return -1;
            }

            slot = (slot + 1) & _mask;
        }
    }
}

internal readonly struct TableLookup(FeatureTable table) : IRowLookup
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Row(ulong feature) => table.Row(feature);
}
