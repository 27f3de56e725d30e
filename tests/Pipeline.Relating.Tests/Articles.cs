using Pipeline.Contracts;
using Pipeline.Relating;

namespace Pipeline.Relating.Tests;

/// <summary>Small news articles written for these tests, with their names marked as the extract stage would.</summary>
internal static class Articles
{
    private static int _ingested;

    public const string FloodReport =
        "Floods cut off villages in the north after days of heavy rain, officials said on Monday. " +
        "The river burst its banks near the town of Lao Cai, sweeping away two bridges and forcing thousands of " +
        "families to leave their homes. Provincial chairman Nguyen Van Binh said rescue teams had reached most of " +
        "the stranded villages by boat and that food and drinking water were being handed out at schools. " +
        "Forecasters expect more rain later in the week, and the army has sent soldiers to reinforce the dykes " +
        "along the river. Farmers fear the harvest is lost: the water covered rice fields across the valley. " +
        "The government promised emergency funds for the worst hit districts and said damaged roads would be repaired.";

    /// <summary>A wire copy of <see cref="FloodReport"/>: new headline, agency tag, its last sentence cut, a credit line.</summary>
    public const string FloodReprint =
        "(Reuters) - Floods cut off villages in the north after days of heavy rain, officials said on Monday. " +
        "The river burst its banks near the town of Lao Cai, sweeping away two bridges and forcing thousands of " +
        "families to leave their homes. Provincial chairman Nguyen Van Binh said rescue teams had reached most of " +
        "the stranded villages by boat and that food and drinking water were being handed out at schools. " +
        "Forecasters expect more rain later in the week, and the army has sent soldiers to reinforce the dykes " +
        "along the river. Farmers fear the harvest is lost: the water covered rice fields across the valley.\n\n" +
        "Reporting by our correspondents.";

    /// <summary>
    /// An edited copy of <see cref="FloodReport"/>: a word or two changed in each sentence ("told reporters" for
    /// "said"), its last sentence cut; about two thirds of its 5-grams are the original's.
    /// </summary>
    public const string FloodEdited =
        "Floods cut off villages in the north after days of heavy rain, officials told reporters on Monday. " +
        "The river burst its banks near the town of Lao Cai, sweeping away two bridges and forcing thousands of " +
        "families to quit their homes. Provincial chairman Nguyen Van Binh said rescue teams had reached most of " +
        "the stranded villages by boat and that food and clean water were being handed out at schools. " +
        "Forecasters expect more rain later this week, and the army has sent soldiers to reinforce the dykes " +
        "along the river. Farmers fear the harvest is lost: the water covered rice fields across the whole valley.";

    /// <summary>Another report of the flood, written afresh.</summary>
    public const string FloodFollowUp =
        "Rescue teams in Lao Cai province pulled stranded families from flooded villages on Tuesday as the river " +
        "kept rising after heavy rain. Chairman Nguyen Van Binh said soldiers were reinforcing the dykes and that " +
        "boats had brought food and drinking water to villages cut off by the floods. Thousands of families remain " +
        "in schools, and farmers say the flooded rice fields of the valley will yield no harvest this year.";

    public const string Election =
        "Voters in Chile elected a new parliament on Sunday in a vote dominated by the cost of living. The governing " +
        "coalition lost its majority, and opposition leader Maria Gonzalez claimed victory in Santiago before the " +
        "count had finished. Turnout was higher than at the last election, the electoral service said, and " +
        "markets rose on Monday morning as investors welcomed the prospect of a divided congress.";

    public static RelateInput Input(string title, string text, params (string Name, string Type)[] names) =>
        new(
            Guid.NewGuid().ToString("N"),
            title + ".txt",
            DateTimeOffset.UnixEpoch.AddMinutes(Interlocked.Increment(ref _ingested)),
            title,
            text,
            null,
            Mentions(text, names),
            Mentions(title, names));

    /// <summary>Every occurrence of each name, in text order.</summary>
    private static List<EntityMention> Mentions(string text, (string Name, string Type)[] names)
    {
        var mentions = new List<EntityMention>();
        foreach (var (name, type) in names)
        {
            for (int at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + name.Length, StringComparison.Ordinal))
            {
                bool inLonger = mentions.Any(m => m.Start <= at && at < m.End);
                if (!inLonger)
                {
                    mentions.Add(new EntityMention(type, name, at, at + name.Length));
                }
            }
        }

        return [.. mentions.OrderBy(m => m.Start)];
    }
}
