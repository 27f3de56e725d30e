using System.Runtime.InteropServices;

namespace Pipeline.Relating;

/// <summary>What the duplicate finder keeps of a document: its exact 5-grams, its original, its story and its headline.</summary>
/// <param name="Shingles">The sorted 5-gram hashes as bytes (base64 in JSON: a third of the size of a number list).</param>
/// <param name="Original">The earliest copy this document reprints, or null when it is the original.</param>
/// <param name="Headline">The title's words (<see cref="DuplicateFinder.Headline(string)"/>); null when it is none, and in records written before it was kept.</param>
internal sealed record SketchRecord(string DocumentId, byte[] Shingles, string? Original, string StoryId, string? Headline = null)
{
    public static SketchRecord Create(string documentId, uint[] shingles, string? original, string storyId, string? headline) =>
        new(documentId, MemoryMarshal.AsBytes(shingles.AsSpan()).ToArray(), original, storyId, headline);

    public uint[] ShingleHashes() => MemoryMarshal.Cast<byte, uint>(Shingles).ToArray();
}
