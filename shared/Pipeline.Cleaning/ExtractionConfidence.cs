namespace Pipeline.Cleaning;

/// <summary>How clearly the text returned is the article (<c>metadata.confidence</c>), by the way it was found.</summary>
internal static class ExtractionConfidence
{
    /// <summary>A block of the page stood out as the article, or the page gave its own article body.</summary>
    public const double Clear = 1.0;

    /// <summary>The page's structure gave little; its text read as a scraped page, or its script data, gave more.</summary>
    public const double FromPageText = 0.6;

    /// <summary>Nothing passed the boilerplate filters: the best candidate block as it is.</summary>
    public const double BestCandidate = 0.3;

    /// <summary>No candidate at all: every line of text the input has.</summary>
    public const double AllText = 0.1;
}
