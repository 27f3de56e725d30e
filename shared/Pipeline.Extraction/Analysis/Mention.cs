namespace Pipeline.Extraction.Analysis;

/// <summary>A mention while the document is analysed: tokens [First, Last], offsets [Start, End), type and roles.</summary>
internal sealed class Mention(int first, int last, int start, int end, string type, string text)
{
    public int First { get; set; } = first;

    public int Last { get; set; } = last;

    public int Start { get; set; } = start;

    public int End { get; set; } = end;

    public string Type { get; set; } = type;

    public string Text { get; set; } = text;

    public List<string> Roles { get; } = [];

    public int Entity { get; set; } = -1;

    /// <summary>Set when this mention was introduced as an acronym in parentheses after the mention with this index.</summary>
    public int AcronymOf { get; set; } = -1;
}
