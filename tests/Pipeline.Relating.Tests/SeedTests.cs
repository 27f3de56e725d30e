using Pipeline.Cleaning;
using Pipeline.Extraction;
using Pipeline.Testing;

namespace Pipeline.Relating.Tests;

/// <summary>The two seeds: two meetings of one party leader with two Russian ambassadors, eight months apart.</summary>
public sealed class SeedTests
{
    [Fact]
    public async Task The_seeds_are_two_stories_with_one_Nguyen_Phu_Trong_and_one_Vladimir_Putin()
    {
        var cleaner = new ArticleCleaner();
        var extractor = EntityExtractor.CreateDefault();
        var relater = new ArchiveRelater();
        var index = new InMemoryArchiveIndex();
        var mentions = new List<(string Text, string? EntityId)>();
        var stories = new HashSet<string>();
        int i = 0;
        foreach (var file in Directory.GetFiles(RepositoryPaths.Seeds).Order(StringComparer.Ordinal))
        {
            var article = cleaner.Clean(File.ReadAllBytes(file), Path.GetFileName(file));
            var analysis = extractor.Extract(article.Text, article.Metadata.PublishedAt, article.Title);
            var input = new RelateInput(
                Path.GetFileName(file), Path.GetFileName(file), DateTimeOffset.UnixEpoch.AddHours(i++), article.Title, article.Text,
                analysis.PublishedOn, analysis.Entities, analysis.TitleEntities ?? []);
            var related = await relater.RelateAsync(input, index, CancellationToken.None);
            stories.Add(related.StoryId);
            mentions.AddRange(input.Entities.Select(m => m.Text).Zip(related.EntityIds));
        }

        Assert.Equal(2, stories.Count);
        Assert.Single(mentions.Where(m => m.Text.EndsWith("Trong", StringComparison.Ordinal)).Select(m => m.EntityId).Distinct());
        Assert.Single(mentions.Where(m => m.Text.EndsWith("Putin", StringComparison.Ordinal)).Select(m => m.EntityId).Distinct());
        Assert.Contains(mentions, m => m.Text == "V. Putin");
    }
}
