using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>A page of the stories list.</summary>
public sealed record StoryListQuery
{
    public const int MaxLimit = 50;

    /// <summary>Stories to skip (0 or more).</summary>
    public int Offset { get; init; }

    /// <summary>Stories to return, 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 20;

    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Limit, MaxLimit);
    }
}

/// <param name="Total">How many stories the archive holds.</param>
public sealed record StoryPage(long Total, IReadOnlyList<StorySummary> Stories);

/// <summary>A story in the list: what the relate stage grouped as reports of one event.</summary>
/// <param name="Title">The title of its first original report.</param>
/// <param name="Reports">Its documents that are not reprints.</param>
/// <param name="Reprints">Its documents that are copies of another document.</param>
/// <param name="FirstDate">The earliest report date (publication date, else the day it was ingested), yyyy-MM-dd.</param>
/// <param name="Entities">The archive entities its documents name most, at most five.</param>
public sealed record StorySummary(
    string StoryId,
    string Title,
    string FirstDocumentId,
    long Reports,
    long Reprints,
    string FirstDate,
    string LastDate,
    IReadOnlyList<StoryEntity> Entities);

/// <summary>An archive entity as named in a set of documents.</summary>
/// <param name="Documents">How many of the documents name it.</param>
public sealed record StoryEntity(string EntityId, string Type, string Name, long Mentions, long Documents);

/// <summary>A story with its reports on a timeline, reprints folded under their originals.</summary>
/// <param name="Timeline">The original reports, earliest first (at most <see cref="RelationQueries.MaxStoryDocuments"/> documents are read).</param>
/// <param name="Entities">The people, organisations and places its documents name, most widespread first.</param>
public sealed record StoryDetail(
    string StoryId,
    string Title,
    long Reports,
    long Reprints,
    string FirstDate,
    string LastDate,
    IReadOnlyList<StoryReport> Timeline,
    IReadOnlyList<StoryEntity> Entities);

/// <summary>One original report of a story.</summary>
/// <param name="Date">Publication date, else the day it was ingested (yyyy-MM-dd).</param>
/// <param name="Outlet">The site name, else the dateline's agency, when known.</param>
/// <param name="Evidence">Why the relate stage put it in this story.</param>
/// <param name="Reprints">Later copies of it, earliest first, each with what it changed.</param>
public sealed record StoryReport(
    string DocumentId,
    string Title,
    string Date,
    string? PublishedOn,
    string? Outlet,
    int Words,
    RelationEvidence Evidence,
    IReadOnlyList<StoryReprint> Reprints);

/// <summary>A copy of a report, and how it differs from it.</summary>
public sealed record StoryReprint(
    string DocumentId,
    string Title,
    string Date,
    string? PublishedOn,
    string? Outlet,
    DuplicateEvidence? Evidence,
    ReprintChanges Changes);

/// <summary>What a document's relations are, for the document view.</summary>
/// <param name="StoryTitle">The title of the story's first original report.</param>
/// <param name="DuplicateOf">The document this one copies, or null.</param>
/// <param name="Reprints">Documents that copy this one.</param>
/// <param name="Links">Which mention is which archive entity.</param>
/// <param name="Entities">The archive entities the document names, most mentioned first.</param>
public sealed record DocumentRelation(
    string StoryId,
    string StoryTitle,
    string? DuplicateOf,
    IReadOnlyList<string> Reprints,
    RelationEvidence Evidence,
    IReadOnlyList<EntityLink> Links,
    IReadOnlyList<StoryEntity> Entities);

/// <summary>Mention <paramref name="Ordinal"/> of the document's body entities (or of its title's) is archive entity <paramref name="EntityId"/>.</summary>
public sealed record EntityLink(bool InTitle, int Ordinal, string EntityId);

/// <summary>A role an entity had in one document ("party chief", "ambassador"), dated by the document.</summary>
public sealed record EntityRole(string Role, string Date, string DocumentId, string Title);

/// <summary>A story that names an entity.</summary>
/// <param name="Documents">How many of the story's documents name it.</param>
public sealed record EntityStory(string StoryId, string Title, long Documents, string FirstDate, string LastDate);

/// <summary>A search hit folded under another one on the same page: a copy of it.</summary>
public sealed record ReprintHit(string DocumentId, string Title, string? PublishedOn);
