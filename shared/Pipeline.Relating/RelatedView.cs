using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>
/// A related document as one JSON line (<c>pipeline relate</c>, the benchmarks; read by score_archive.py): the title
/// and the text as one text, every person, organisation and place mention with offsets into it and its archive id.
/// </summary>
public sealed record RelatedView(
    string File,
    string DocumentId,
    string Title,
    string Text,
    string Story,
    string? DuplicateOf,
    IReadOnlyList<RelatedMention> Entities,
    IReadOnlyList<ArchiveEntity> ArchiveEntities,
    RelationEvidence Evidence)
{
    /// <summary>
    /// The view of a decision. When the text does not begin with the title, the text is the title, a blank line and
    /// the text, and both lists of mentions point into it; otherwise the text's own mentions cover the title.
    /// </summary>
    public static RelatedView Create(string file, RelateInput input, DocumentRelated related)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(related);
        var mentions = new List<RelatedMention>();
        string text = input.Text;
        int shift = 0;
        if (input.Title.Length > 0 && !input.Text.StartsWith(input.Title, StringComparison.Ordinal))
        {
            text = input.Title + "\n\n" + input.Text;
            shift = input.Title.Length + 2;
            mentions.AddRange(Mentions(input.TitleEntities, related.TitleEntityIds, 0));
        }

        mentions.AddRange(Mentions(input.Entities, related.EntityIds, shift));
        return new RelatedView(file, input.DocumentId, input.Title, text, related.StoryId, related.DuplicateOf, mentions, related.Entities, related.Evidence);
    }

    private static IEnumerable<RelatedMention> Mentions(IReadOnlyList<EntityMention> mentions, IReadOnlyList<string?> ids, int shift) =>
        mentions.Select((m, i) => new RelatedMention(m.Start + shift, m.End + shift, m.Type, m.Text, i < ids.Count ? ids[i] : null));
}

/// <summary>A mention in <see cref="RelatedView.Text"/>, with its archive-wide entity id (null for misc names).</summary>
public sealed record RelatedMention(int Start, int End, string Type, string Text, string? EntityId);
