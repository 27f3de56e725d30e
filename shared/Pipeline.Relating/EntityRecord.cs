namespace Pipeline.Relating;

/// <summary>
/// One person, organisation or place as the resolver compares mentions with it.
/// </summary>
/// <param name="Name">Its fullest name.</param>
/// <param name="Names">Every name it went by (titles stripped), fullest first.</param>
/// <param name="Stories">The stories that name it, newest last.</param>
/// <param name="Companions">Name keys of entities named beside it, newest last.</param>
internal sealed record EntityRecord(
    string EntityId,
    string Name,
    string Type,
    List<string> Names,
    List<string> Stories,
    List<string> Companions,
    int Mentions);
