using System.Runtime.InteropServices;

namespace Pipeline.Relating;

/// <summary>What the duplicate finder keeps of a document: its exact 5-grams, its original and its story.</summary>
/// <param name="Shingles">The sorted 5-gram hashes as bytes (base64 in JSON: a third of the size of a number list).</param>
/// <param name="Original">The earliest copy this document reprints, or null when it is the original.</param>
internal sealed record SketchRecord(string DocumentId, byte[] Shingles, string? Original, string StoryId)
{
    public static SketchRecord Create(string documentId, uint[] shingles, string? original, string storyId) =>
        new(documentId, MemoryMarshal.AsBytes(shingles.AsSpan()).ToArray(), original, storyId);

    public uint[] ShingleHashes() => MemoryMarshal.Cast<byte, uint>(Shingles).ToArray();
}
