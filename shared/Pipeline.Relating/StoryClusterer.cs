using System.Globalization;
using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>
/// Online story clustering after Miranda et al. (2018): candidate stories come from postings of their telling words
/// and names; each is scored by TF-IDF cosine to its centroid, by the overlap of entity names and by time; the
/// document joins the best above a threshold or opens a story.
/// </summary>
internal static class StoryClusterer
{
    /// <summary>The words a story's centroid keeps: its heaviest, so that a long-lived story stays a bounded record.</summary>
    public const int TermsPerStory = 120;

    /// <summary>How many of a document's heaviest words it posts its story under and looks candidates up by.</summary>
    public const int PostedTerms = 12;

    public const int MaxCandidates = 20;

    /// <summary>The people a story keeps per role.</summary>
    public const int HoldersPerRole = 8;

    /// <summary>What a sign of another event of the same kind (<see cref="Score"/>) multiplies a story's score by.</summary>
    public const double ConflictFactor = 0.5;

    // Weights and threshold tuned on archive-dev (ECB+ topics 1-35): text carries most of the score.
    public const double TextWeight = 0.8;
    public const double EntityWeight = 1 - TextWeight;
    public const double JoinThreshold = 0.28;

    /// <summary>Days over which the time factor falls from 1 towards one half.</summary>
    public const double TimeScaleDays = 30;

    public static IEnumerable<string> LookupKeys(StoryFeatures features) =>
        TermVectors.Top(features.Terms, PostedTerms).Select(p => PostingKeys.StoryWord + p.Key)
            .Concat(features.Names.Keys.Select(k => PostingKeys.StoryName + k));

    public static List<string> Candidates(StoryFeatures features, IReadOnlyDictionary<string, IReadOnlyList<string>> found) =>
        PostingKeys.MostShared(LookupKeys(features), found, MaxCandidates);

    /// <summary>The best candidate story when it scores above the threshold, and the evidence either way.</summary>
    public static (StoryRecord? Story, StoryEvidence Evidence) Choose(StoryFeatures features, IReadOnlyCollection<StoryRecord> candidates)
    {
        var scored = candidates
            .Select(story => Score(features, story))
            .OrderByDescending(s => s.Evidence.Score)
            .ThenBy(s => s.Story.StoryId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (scored.Story is null)
        {
            return (null, new StoryEvidence("opened", 0, 0, 0, null, [], 0));
        }

        bool join = scored.Evidence.Score >= JoinThreshold;
        return (join ? scored.Story : null, scored.Evidence with { Rule = join ? "joined" : "opened", Candidates = candidates.Count });
    }

    /// <summary>The evidence for a reprint, which joins its original's story whatever the score.</summary>
    public static StoryEvidence Reprint(StoryFeatures features, StoryRecord story) => Score(features, story).Evidence with { Rule = "reprint", Candidates = 1 };

    /// <summary>The story with the document added (a new story when <paramref name="story"/> is null).</summary>
    public static StoryRecord Add(StoryRecord? story, string newStoryId, StoryFeatures features)
    {
        var terms = new Dictionary<string, double>(story?.Terms ?? [], StringComparer.Ordinal);
        foreach (var (term, weight) in features.Terms)
        {
            terms[term] = terms.GetValueOrDefault(term) + weight;
        }

        var names = new Dictionary<string, int>(story?.Names ?? [], StringComparer.Ordinal);
        foreach (var key in features.Names.Keys)
        {
            names[key] = names.GetValueOrDefault(key) + 1;
        }

        var roles = new Dictionary<string, List<string>>(story?.Roles ?? [], StringComparer.Ordinal);
        foreach (var (role, holders) in features.Roles)
        {
            roles[role] = [.. roles.GetValueOrDefault(role, []).Union(holders).Take(HoldersPerRole)];
        }

        var leads = new Dictionary<string, int>(story?.Leads ?? [], StringComparer.Ordinal);
        if (features.MainPerson is { } lead)
        {
            leads[lead] = leads.GetValueOrDefault(lead) + 1;
        }

        int? first = Min(story?.FirstDay, features.Day), last = Max(story?.LastDay, features.Day);
        return new StoryRecord(
            story?.StoryId ?? newStoryId,
            (story?.Documents ?? 0) + 1,
            // Four decimals are plenty for a cosine, and keep the record (read for every candidate) short.
            TermVectors.Top(terms, TermsPerStory).ToDictionary(p => p.Key, p => Math.Round(p.Value, 4), StringComparer.Ordinal),
            names,
            roles,
            first,
            last,
            leads);
    }

    public static IEnumerable<ArchivePosting> Postings(string storyId, StoryFeatures features) =>
        LookupKeys(features).Select(key => new ArchivePosting(key, storyId));

    /// <summary>
    /// People tell two events of one kind apart better than the places and bodies they share ("Lindsay Lohan enters
    /// rehab" is not "Tara Reid enters rehab", though both are in Malibu).
    /// </summary>
    public static double NameWeight(string key) => key.StartsWith(EntityName.PersonKeyPrefix, StringComparison.Ordinal) ? PersonWeight : 1;

    /// <summary>A name's weight in <see cref="StoryFeatures.Names"/>: 1 + log of its mentions, times its <see cref="NameWeight"/>.</summary>
    public static double MentionsWeight(string key, double mentions) => (1 + Math.Log(mentions)) * NameWeight(key);

    public const double PersonWeight = 3;

    /// <summary>Tuned on archive-dev like the weights above (1.25-3 all gained; 1.5 most).</summary>
    public const double SamePersonFactor = 1.5;

    /// <summary>A person's weight in <see cref="StoryFeatures.Names"/> when named twice.</summary>
    private static readonly double NamedTwiceWeight = MentionsWeight(EntityName.PersonKeyPrefix, 2);

    /// <summary>Mentions that make a person what a document is about.</summary>
    public const int MainPersonMentions = 3;

    public static int? Day(string? isoDate) =>
        DateOnly.TryParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date.DayNumber : null;

    private static (StoryRecord Story, StoryEvidence Evidence) Score(StoryFeatures features, StoryRecord story)
    {
        double text = TermVectors.Cosine(features.Terms, story.Terms, (_, v) => v);
        double entities = TermVectors.Cosine(features.Names, story.Names, (key, count) => count * NameWeight(key));
        double? days = null;
        double time = 1;
        if (features.Day is { } day && story.FirstDay is { } first && story.LastDay is { } last)
        {
            days = Math.Max(0, Math.Max(first - day, day - last));
            time = 0.5 + (0.5 * Math.Exp(-days.Value / TimeScaleDays));
        }

        // One role held by different people in the document and in the story ("the ambassador" is another ambassador)
        // tells a later event of the same kind: a meeting with the next ambassador is not the last one's story. Only
        // where the role is one person's in the story (a story that names two coaches already is not about one
        // coach) and its holder in the document is named more than once (a passing mention of another spokesman
        // tells no other event).
        bool rolesConflict = features.Roles.Any(r =>
            story.Roles.TryGetValue(r.Key, out var holders) && holders.Count == 1 && !features.Names.ContainsKey(holders[0])
            && r.Value.Any(holder => features.Names[holder] >= NamedTwiceWeight));
        // A report about the person the story is about belongs to it though its words stray (a long obituary tells a
        // whole life, and names many others).
        string? person = features.MainPerson;
        bool samePerson = person is not null && MainPerson(story) == person;
        // A report about someone no report of the story is about, who names none of the people the story's reports
        // are about, tells another event of the same kind (another Watergate figure dies, another player is arrested).
        bool otherLead = person is not null && story.Leads is { Count: > 0 } leads
            && !leads.Keys.Any(features.Names.ContainsKey);
        var adjustments = new List<string>();
        double score = ((TextWeight * text) + (EntityWeight * entities)) * time;
        Adjust(rolesConflict, ConflictFactor, "another holder of a role");
        Adjust(samePerson, SamePersonFactor, "about the story's person");
        Adjust(otherLead, ConflictFactor, "about someone the story is not about");

        var shared = features.Names.Keys
            .Where(story.Names.ContainsKey)
            .OrderByDescending(k => features.Names[k])
            .ThenBy(k => k, StringComparer.Ordinal)
            .Select(k => features.NameTexts[k])
            .ToList();
        return (story, new StoryEvidence("", Math.Round(score, 3), Math.Round(text, 3), Math.Round(entities, 3), days, shared, 0, adjustments));

        void Adjust(bool applies, double factor, string reason)
        {
            if (applies)
            {
                score *= factor;
                adjustments.Add(string.Create(CultureInfo.InvariantCulture, $"{reason} ×{factor}"));
            }
        }
    }

    /// <summary>The person most named in a document, when named at least <see cref="MainPersonMentions"/> times.</summary>
    public static string? MainPerson(Dictionary<string, double> names) =>
        MostNamedPerson(names) is { Key: { } key } top && top.Value >= MentionsWeight(EntityName.PersonKeyPrefix, MainPersonMentions) ? key : null;

    /// <summary>The person named in most of a story's reports, when in more than half of them.</summary>
    private static string? MainPerson(StoryRecord story) =>
        MostNamedPerson(story.Names.Select(n => KeyValuePair.Create(n.Key, (double)n.Value))) is { Key: { } key } top && top.Value * 2 > story.Documents
            ? key
            : null;

    private static KeyValuePair<string, double> MostNamedPerson(IEnumerable<KeyValuePair<string, double>> names) =>
        names.Where(n => n.Key.StartsWith(EntityName.PersonKeyPrefix, StringComparison.Ordinal))
            .OrderByDescending(n => n.Value)
            .ThenBy(n => n.Key, StringComparer.Ordinal)
            .FirstOrDefault();

    private static int? Min(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
