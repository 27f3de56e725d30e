using System.Text;
using Pipeline.Contracts;

namespace Pipeline.Storage.Tests;

internal static class TestDocuments
{
    public static readonly DateTimeOffset IngestedAt = new(2026, 11, 25, 8, 30, 15, 123, TimeSpan.Zero);

    /// <summary>A document whose id is the hash of its raw bytes, as in the pipeline.</summary>
    public static ProcessedDocument Create(
        string title,
        string text,
        IReadOnlyList<EntityMention>? entities = null,
        IReadOnlyList<string>? keywords = null,
        string? publishedOn = "2026-11-24",
        string? rawSuffix = null)
    {
        var content = Encoding.UTF8.GetBytes($"<html><h1>{title}</h1><p>{text}</p></html>{rawSuffix}");
        return new ProcessedDocument(
            DocumentId.FromContent(content),
            title.Replace(' ', '-') + ".html",
            content,
            IngestedAt,
            new CleanedArticle(title, text, "en", "html", new ArticleMetadata(PublishedAt: publishedOn)),
            new DocumentAnalysis(
                null,
                publishedOn,
                entities ?? [new EntityMention(EntityTypes.Location, "Hanoi", 0, 5)],
                keywords ?? ["news"],
                text.Length > 40 ? text[..40] : text));
    }

    /// <summary>A document with every field set, nulls and empty lists in the places they are allowed.</summary>
    public static ProcessedDocument Full()
    {
        const string text = "Hanoi (VNA) – State President Lương Cường met Prime Minister Phạm Minh Chính in Hà Nội on Monday.\n\n"
            + "The talks covered trade & investment along the \"Mekong Delta\" <corridor>.";
        var content = new byte[] { 0, 1, 2, 0xFF, 0xFE, (byte)'<', 0x80, 0 };
        return new ProcessedDocument(
            DocumentId.FromContent(content),
            "2026/11/hanoi-talks.html",
            content,
            new DateTimeOffset(2026, 11, 25, 15, 30, 15, 250, TimeSpan.FromHours(7)),
            new CleanedArticle(
                "Leaders meet in Hà Nội",
                text,
                "vi",
                "html",
                new ArticleMetadata(
                    PublishedAt: "2026-11-24T09:00:00+07:00",
                    Authors: ["Nguyễn Văn A", "B. Tran"],
                    SiteName: "VNA",
                    CanonicalUrl: "https://example.org/hanoi-talks",
                    Description: "Leaders met.")),
            new DocumentAnalysis(
                new Dateline("2026-11-24", "Hanoi", "VNA", 0, 13),
                "2026-11-24",
                [
                    new EntityMention(EntityTypes.Location, "Hanoi", 0, 5, "Hà Nội"),
                    new EntityMention(EntityTypes.Organization, "VNA", 7, 10),
                    new EntityMention(EntityTypes.Person, "Lương Cường", 30, 41, "Lương Cường", ["State President"]),
                    new EntityMention(EntityTypes.Person, "Phạm Minh Chính", 62, 77, null, []),
                    new EntityMention(EntityTypes.Misc, "Mekong Delta", 140, 152),
                ],
                ["trade", "investment", "Mekong"],
                "State President Lương Cường met Prime Minister Phạm Minh Chính."));
    }
}
