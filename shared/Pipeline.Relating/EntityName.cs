using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>How two names of an entity relate, strongest last; <see cref="Conflict"/> forbids a link.</summary>
internal enum NameMatch
{
    None,
    Conflict,

    /// <summary>A surname alone ("Lohan" ~ "Lindsay Lohan"), a short form or an acronym: only where the context agrees.</summary>
    Partial,

    /// <summary>Initials that fit the given names ("V. Putin" ~ "Vladimir Putin").</summary>
    Initials,
    Exact,
}

/// <summary>
/// A name as the resolver compares it: its words folded to lower case, titles and occupations in front of a
/// person's name dropped ("Farmer Tran Van Phuc" is "Tran Van Phuc"), a person's surname its last word.
/// </summary>
internal sealed class EntityName
{
    /// <summary>
    /// Words that stand before a person's name as a title, rank or occupation rather than as part of it. A general
    /// English list; the tagger's roles ("General Secretary") are dropped as well.
    /// </summary>
    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "president", "vice", "prime", "minister",
        "secretary", "general", "gen", "senator", "sen", "rep", "representative", "gov", "governor", "mayor", "judge",
        "justice", "king", "queen", "prince", "princess", "pope", "father", "rev", "reverend", "officer", "sgt",
        "sergeant", "captain", "capt", "lt", "lieutenant", "col", "colonel", "major", "chief", "coach", "actor",
        "actress", "singer", "rapper", "farmer", "director", "ceo", "chairman", "chairwoman", "professor", "prof",
        "deputy", "ambassador", "state", "party", "detective", "inspector", "agent", "doctor", "nurse", "player",
        "star", "comedian", "producer", "writer", "author", "anchor", "spokesman", "spokeswoman", "attorney",
        "lawyer", "commissioner", "chancellor", "premier", "sheriff", "pastor", "bishop", "cardinal", "archbishop",
    };

    private static readonly HashSet<string> Suffixes = new(StringComparer.Ordinal) { "jr", "sr", "ii", "iii", "iv" };

    private EntityName(string text, string type, string[] words)
    {
        Text = text;
        Type = type;
        Words = words;
    }

    /// <summary>The name as written, titles dropped.</summary>
    public string Text { get; }

    public string Type { get; }

    public string[] Words { get; }

    public bool IsPerson => Type == EntityTypes.Person;

    /// <summary>The folded name, the key of an exact match.</summary>
    public string Key => string.Join(' ', Words);

    public static EntityName Parse(string text, string type, IReadOnlyList<string>? roles = null)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var words = parts.Select(Fold).ToList();
        if (type == EntityTypes.Person)
        {
            var roleWords = (roles ?? []).SelectMany(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(Fold).ToHashSet();
            while (words.Count > 1 && (Titles.Contains(words[0]) || roleWords.Contains(words[0]) || char.IsLower(parts[0][0])))
            {
                words.RemoveAt(0);
                parts.RemoveAt(0);
            }

            while (words.Count > 1 && Suffixes.Contains(words[^1]))
            {
                words.RemoveAt(words.Count - 1);
                parts.RemoveAt(parts.Count - 1);
            }
        }

        var kept = words.Where(w => w.Length > 0).ToArray();
        return new EntityName(string.Join(' ', parts), type, kept);
    }

    /// <summary>
    /// The keys an entity with this name is posted and looked up under: a person's surname; another name whole, and a
    /// longer one also under its first word, its last word and its acronym, so that "Saints" and "New Orleans Saints"
    /// meet whichever comes first.
    /// </summary>
    public IEnumerable<string> Keys()
    {
        if (Words.Length == 0)
        {
            yield break;
        }

        if (IsPerson)
        {
            yield return Words[^1];
            yield break;
        }

        yield return Key;
        if (Words.Length > 1)
        {
            yield return Words[0];
            yield return Words[^1];
            yield return string.Concat(Words.Select(w => w[0]));
        }
    }

    /// <summary>The key a story counts the entity under: "p:" and a person's surname, otherwise the whole name.</summary>
    public string StoryKey => Words.Length == 0 ? "" : IsPerson ? PersonKeyPrefix + Words[^1] : Key;

    public const string PersonKeyPrefix = "p:";

    /// <summary>Types a short name may share with a longer one: the tagger calls many a team or a firm misc.</summary>
    public static bool SameKind(string a, string b) =>
        a == b || (a is EntityTypes.Organization or EntityTypes.Misc && b is EntityTypes.Organization or EntityTypes.Misc);

    public NameMatch Compare(EntityName other)
    {
        if (Words.Length == 0 || other.Words.Length == 0)
        {
            return NameMatch.None;
        }

        if (IsPerson || other.IsPerson)
        {
            // A one-word name the tagger typed otherwise may still be the person's surname.
            bool comparable = (IsPerson && other.IsPerson) || Words.Length == 1 || other.Words.Length == 1;
            return comparable ? ComparePersons(Words, other.Words) : Key == other.Key ? NameMatch.Exact : NameMatch.None;
        }

        if (Key == other.Key)
        {
            return NameMatch.Exact;
        }

        var (shorter, longer) = Words.Length <= other.Words.Length ? (this, other) : (other, this);
        // The longer name begun or ended by the whole shorter one ("Red Sox" of "Boston Red Sox", "Betty Ford" of
        // "Betty Ford Center"), or the shorter its acronym.
        int extra = longer.Words.Length - shorter.Words.Length;
        bool begins = shorter.Words.AsSpan().SequenceEqual(longer.Words.AsSpan(0, shorter.Words.Length));
        bool ends = shorter.Words.AsSpan().SequenceEqual(longer.Words.AsSpan(extra));
        bool acronym = shorter.Words.Length == 1 && shorter.Words[0] == string.Concat(longer.Words.Select(w => w[0]));
        return extra > 0 && (begins || ends || acronym) ? NameMatch.Partial : NameMatch.None;
    }

    private static NameMatch ComparePersons(string[] a, string[] b)
    {
        if (a[^1] != b[^1])
        {
            return NameMatch.None;
        }

        if (a.Length == 1 || b.Length == 1)
        {
            return a.Length == b.Length ? NameMatch.Exact : NameMatch.Partial;
        }

        // The shorter run of given names must fit into the longer in order, each word the same, its initial or its
        // short form ("RB Pierre Thomas" ~ "Pierre Thomas", "George W. Bush" ~ "George Bush", "V. Putin" ~ "Vladimir
        // Putin", "Fred LaRue" ~ "Frederick C. LaRue").
        var (few, many) = a.Length <= b.Length ? (a[..^1], b[..^1]) : (b[..^1], a[..^1]);
        var match = NameMatch.Exact;
        int next = 0;
        foreach (string word in few)
        {
            while (next < many.Length && !Fits(word, many[next]))
            {
                next++;
            }

            if (next == many.Length)
            {
                return NameMatch.Conflict;
            }

            match = word == many[next] ? match : NameMatch.Initials;
            next++;
        }

        return match;
    }

    /// <summary>The same given name, its initial, or its short form ("Fred" of "Frederick": three letters or more that begin it).</summary>
    private static bool Fits(string a, string b) =>
        a == b || ((a.Length == 1 || b.Length == 1) && a[0] == b[0]) ||
        (Math.Min(a.Length, b.Length) >= 3 && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal)));

    /// <summary>
    /// A word of a name: letters and digits only, lower case, accents dropped, no possessive, in American spelling
    /// ("Betty Ford Centre" is the "Betty Ford Center", the "World Health Organisation" the "… Organization").
    /// </summary>
    private static string Fold(string word)
    {
        if (word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("’s", StringComparison.Ordinal))
        {
            word = word[..^2];
        }

        string folded = Relating.Words.Fold(new string(word.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray()));
        if (folded.EndsWith("entre", StringComparison.Ordinal) || folded.EndsWith("atre", StringComparison.Ordinal))
        {
            return folded[..^2] + "er";
        }

        return folded.EndsWith("isation", StringComparison.Ordinal) ? folded[..^7] + "ization" : folded;
    }
}
