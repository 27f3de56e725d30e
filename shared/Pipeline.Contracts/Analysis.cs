namespace Pipeline.Contracts;

/// <summary>The structure the extract stage finds in a cleaned article.</summary>
/// <param name="PublishedOn">ISO date (yyyy-MM-dd) the story was published, from the dateline or metadata.</param>
/// <param name="Entities">Every entity mention, in text order, with offsets into the cleaned text.</param>
/// <param name="TitleEntities">Entity mentions in the title, with offsets into the title (null before it was recorded).</param>
public sealed record DocumentAnalysis(
    Dateline? Dateline,
    string? PublishedOn,
    IReadOnlyList<EntityMention> Entities,
    IReadOnlyList<string> Keywords,
    string Summary,
    IReadOnlyList<EntityMention>? TitleEntities = null);

/// <summary>The lead of a wire story, such as "Hanoi (VNA) –": where, who and when it was filed.</summary>
/// <param name="Date">ISO date (yyyy-MM-dd) when the dateline names one.</param>
/// <param name="Start">Offset of the dateline's first character in the cleaned text.</param>
/// <param name="End">Offset just past the dateline (exclusive).</param>
public sealed record Dateline(string? Date, string? Place, string? Agency, int Start, int End);

/// <summary>One mention of a named entity.</summary>
/// <param name="Type">person, organization, location or misc (nationalities, events and other names).</param>
/// <param name="Start">.NET string offset of the first character in the cleaned text.</param>
/// <param name="End">Offset just past the last character (exclusive).</param>
/// <param name="Canonical">The entity's canonical name within the document, when known.</param>
/// <param name="Roles">Title phrases attached to a person ("State President").</param>
public sealed record EntityMention(
    string Type,
    string Text,
    int Start,
    int End,
    string? Canonical = null,
    IReadOnlyList<string>? Roles = null);

public static class EntityTypes
{
    public const string Person = "person";
    public const string Organization = "organization";
    public const string Location = "location";
    /// <summary>Other names: nationalities, events, works, products (CoNLL's MISC class).</summary>
    public const string Misc = "misc";
}
