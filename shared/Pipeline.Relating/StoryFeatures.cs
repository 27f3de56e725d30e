namespace Pipeline.Relating;

/// <summary>What the story clusterer compares of a document.</summary>
/// <param name="Terms">Its TF-IDF vector.</param>
/// <param name="Names">Weight of each entity name key it names (1 + log of its mentions).</param>
/// <param name="NameTexts">The name as written for each key, for the evidence.</param>
/// <param name="Day">Days since 0001-01-01 of its publication date, when known.</param>
/// <param name="Roles">For each role a person holds in it ("ambassador"), the name keys of those who hold it.</param>
internal sealed record StoryFeatures(
    Dictionary<string, double> Terms,
    Dictionary<string, double> Names,
    Dictionary<string, string> NameTexts,
    int? Day,
    Dictionary<string, List<string>> Roles)
{
    /// <summary>The person the document is about (<see cref="StoryClusterer.MainPerson(Dictionary{string, double})"/>), or null.</summary>
    public string? MainPerson { get; } = StoryClusterer.MainPerson(Names);
}
