namespace Pipeline.Contracts;

/// <summary>
/// What the relate stage decided for a stored document: the article it reprints, the story it reports and the
/// archive-wide identity of each entity it names, each with the evidence for it.
/// </summary>
/// <param name="StoryId">The story the document joined or opened.</param>
/// <param name="DuplicateOf">The earliest stored copy of the same article, or null when this is the first.</param>
/// <param name="EntityIds">
/// One archive-wide entity id per mention of <see cref="DocumentAnalysis.Entities"/>, in the same order. Misc mentions
/// get ids too (by exact name): the tagger types many teams and firms as misc.
/// </param>
/// <param name="TitleEntityIds">The same for <see cref="DocumentAnalysis.TitleEntities"/>.</param>
/// <param name="Entities">The entities the document names, as the archive knows them after this document.</param>
public sealed record DocumentRelated(
    string DocumentId,
    string StoryId,
    string? DuplicateOf,
    IReadOnlyList<string?> EntityIds,
    IReadOnlyList<string?> TitleEntityIds,
    IReadOnlyList<ArchiveEntity> Entities,
    RelationEvidence Evidence,
    DateTimeOffset RelatedAt);

/// <summary>One person, organisation or place across the archive.</summary>
/// <param name="Name">The fullest name it goes by ("Vladimir Putin" rather than "V. Putin").</param>
/// <param name="Type">An <see cref="EntityTypes"/> value.</param>
/// <param name="Aliases">Every other name it goes by in the archive.</param>
/// <param name="Rule">Why this document's mentions are this entity (a new entity, an exact name, a surname, initials…).</param>
public sealed record ArchiveEntity(string EntityId, string Name, string Type, IReadOnlyList<string> Aliases, string Rule);

/// <summary>Why the relate stage decided as it did, so that a reader can check it.</summary>
public sealed record RelationEvidence(DuplicateEvidence? Duplicate, StoryEvidence Story);

/// <summary>Why a document is a copy of another.</summary>
/// <param name="Rule">Which test matched: "same text", "5-gram containment" or "same headline, 5-gram containment".</param>
/// <param name="Similarity">Jaccard similarity of the two texts' word 5-grams (exact: MinHash bands only found the candidate).</param>
/// <param name="Containment">The share of the shorter text's word 5-grams found in the other.</param>
public sealed record DuplicateEvidence(string Rule, double Similarity, double Containment);

/// <summary>Why a document joined a story, or opened one.</summary>
/// <param name="Rule">"opened", "joined", or "reprint" (a copy joins its original's story).</param>
/// <param name="Score">The combined score of the best candidate story (0 when there was none).</param>
/// <param name="TextSimilarity">Cosine similarity of the document's words to the story's.</param>
/// <param name="EntitySimilarity">Similarity of the entities the document names to the story's.</param>
/// <param name="DaysApart">Days between the document's date and the story's nearest date, when both are known.</param>
/// <param name="SharedEntities">Names the document shares with the story, most telling first.</param>
/// <param name="Candidates">How many stories were compared.</param>
/// <param name="Adjustments">
/// What scaled the score up or down, each with its factor ("about the story's person ×1.5", "about someone the story is not about ×0.5");
/// null in decisions made before it was recorded.
/// </param>
public sealed record StoryEvidence(
    string Rule,
    double Score,
    double TextSimilarity,
    double EntitySimilarity,
    double? DaysApart,
    IReadOnlyList<string> SharedEntities,
    int Candidates,
    IReadOnlyList<string>? Adjustments = null);
