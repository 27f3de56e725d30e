namespace Pipeline.Relating;

/// <summary>
/// A story as the clusterer compares documents with it: the sum of its documents' TF-IDF vectors (its most
/// telling words only), how often it names each entity name key, and its first and last dates.
/// </summary>
/// <param name="Roles">For each role, the name keys of the people who held it in its documents (the first few).</param>
/// <param name="FirstDay">Days since 0001-01-01 of its earliest dated document, or null.</param>
/// <param name="Leads">
/// For each person who is what one of its documents is about (named most, and often), how many documents; null in
/// records written before it was kept.
/// </param>
internal sealed record StoryRecord(
    string StoryId,
    int Documents,
    Dictionary<string, double> Terms,
    Dictionary<string, int> Names,
    Dictionary<string, List<string>> Roles,
    int? FirstDay,
    int? LastDay,
    Dictionary<string, int>? Leads = null);
