using Pipeline.Contracts;

namespace Pipeline.Extraction.Analysis;

/// <summary>An entity of the document: one canonical name, its other names, its mentions and their count.</summary>
public sealed record Entity(
    string Canonical,
    string Type,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Roles,
    IReadOnlyList<EntityMention> Mentions)
{
    public int Count => Mentions.Count;
}

/// <summary>
/// Groups mentions into entities within a document: "Trong" and "General Secretary Trong" join "Nguyen Phu Trong";
/// "V. Putin" joins "Vladimir Putin"; "CPV" in "Communist Party of Vietnam (CPV)" is an alias; same names join.
/// </summary>
internal static class Coreference
{
    private sealed class Cluster
    {
        private readonly HashSet<string> _texts = new(StringComparer.Ordinal);

        public List<Mention> Mentions { get; } = [];

        /// <summary>
        /// The distinct texts of its mentions, as words: the matching below looks at names, not mentions, and a long
        /// document mentions the same few names thousands of times.
        /// </summary>
        public List<string[]> Names { get; } = [];

        public string Type { get; set; } = EntityTypes.Misc;

        /// <summary>Adds a mention; true when its text is a name the cluster did not have.</summary>
        public bool Add(Mention mention, string[] words)
        {
            Mentions.Add(mention);
            if (!_texts.Add(mention.Text))
            {
                return false;
            }

            Names.Add(words);
            return true;
        }

        public void Clear()
        {
            Mentions.Clear();
            Names.Clear();
            _texts.Clear();
        }
    }

    public static List<Entity> Resolve(List<Mention> mentions)
    {
        var clusters = new List<Cluster>();
        var byKey = new Dictionary<string, Cluster>(StringComparer.OrdinalIgnoreCase);

        // 0. Document-level consistency (a surname alone is settled before: MentionRules.Surnames). One string keeps
        // one type, the majority's, and a name of several words that is a person as often as anything else is that
        // person (a name read as part of the organisation before it, "Communist Party of Vietnam (CPV) Nguyen Phu
        // Trong", is the usual slip).
        foreach (var group in mentions.Where(m => m.AcronymOf < 0).GroupBy(m => m.Text, StringComparer.Ordinal))
        {
            var votes = group.GroupBy(m => m.Type).Select(g => (Type: g.Key, Count: g.Count()))
                .OrderByDescending(v => v.Count).ThenBy(v => v.Type == EntityTypes.Person ? 0 : 1).ToList();
            bool severalWords = group.Key.Contains(' ', StringComparison.Ordinal);
            bool personTie = votes.Count > 1 && votes[0].Count == votes[1].Count && votes[0].Type == EntityTypes.Person && severalWords;
            if (votes.Count > 1 && (votes[0].Count > votes[1].Count || personTie) && group.Key.Any(char.IsLower) &&
                (votes[0].Type != EntityTypes.Person || severalWords))
            {
                foreach (var m in group)
                {
                    m.Type = votes[0].Type;
                }
            }
        }

        var words = new Dictionary<Mention, string[]>();
        foreach (var m in mentions)
        {
            words[m] = Words(m.Text);
        }

        // A lone word read as a person that ends the name of one organisation of the document and no person's name is
        // that organisation's short name: "willing Colts to victory" beside "Indianapolis Colts".
        var surnames = mentions.Where(m => m.Type == EntityTypes.Person).Select(m => words[m])
            .Where(w => w.Length > 1).Select(w => w[^1]).ToHashSet(StringComparer.Ordinal);
        var organisationsByLastWord = mentions.Where(m => m.Type is EntityTypes.Organization or EntityTypes.Misc)
            .Select(m => (Words: words[m], m.Type)).Where(n => n.Words.Length > 1)
            .GroupBy(n => n.Words[^1], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.DistinctBy(n => string.Join(' ', n.Words)).ToList(), StringComparer.Ordinal);
        foreach (var m in mentions.Where(m => m.Type == EntityTypes.Person && words[m].Length == 1 && !surnames.Contains(m.Text)))
        {
            if (organisationsByLastWord.TryGetValue(m.Text, out var names) && names is [var organisation])
            {
                m.Type = organisation.Type;
            }
        }

        // 1. Full person names first (two or more words, no initials): the anchors of person entities.
        var persons = mentions.Where(m => m.Type == EntityTypes.Person).ToList();
        foreach (var m in persons.Where(m => IsFullName(words[m])).OrderByDescending(m => words[m].Length))
        {
            string key = "P:" + Normal(string.Join(' ', words[m]));
            if (!byKey.TryGetValue(key, out var c))
            {
                // A longer name already seen that ends with this one ("Nguyen Phu Trong" vs "Phu Trong").
                c = clusters.FirstOrDefault(x => x.Type == EntityTypes.Person && EndsWith(x.Names[0], words[m]));
                if (c is null)
                {
                    c = new Cluster { Type = EntityTypes.Person };
                    clusters.Add(c);
                }

                byKey[key] = c;
            }

            c.Add(m, words[m]);
        }

        // 2. Other person mentions: initials ("V. Putin"), a surname or a given name alone ("Trong").
        var anchored = new HashSet<Mention>(clusters.SelectMany(c => c.Mentions));
        var fullNames = clusters.ToList();
        // The full name a text joins depends only on the names the clusters hold: found once per text until they change.
        var joins = new Dictionary<string, Cluster?>(StringComparer.Ordinal);
        foreach (var m in persons.Where(m => !anchored.Contains(m)))
        {
            var w = words[m];
            if (!joins.TryGetValue(m.Text, out var target))
            {
                if (w.Length >= 2)
                {
                    target = fullNames.FirstOrDefault(c => c.Names.Any(f => MatchesInitials(w, f)));
                }
                else if (w.Length == 1)
                {
                    target = fullNames.FirstOrDefault(c => c.Names.Any(f => f.Length > 1 && Same(f[^1], w[0])))
                             ?? fullNames.FirstOrDefault(c => c.Names.Any(f => f.Length > 1 && Same(f[0], w[0])));
                }

                joins[m.Text] = target;
            }

            if (target is null)
            {
                string key = "P:" + Normal(m.Text);
                if (!byKey.TryGetValue(key, out target))
                {
                    target = new Cluster { Type = EntityTypes.Person };
                    clusters.Add(target);
                    byKey[key] = target;
                }
            }

            if (target.Add(m, w))
            {
                joins.Clear();
            }
        }

        // 3. Acronyms defined in parentheses join the entity they abbreviate.
        var clusterOf = new Dictionary<Mention, Cluster>();
        foreach (var c in clusters)
        {
            foreach (var m in c.Mentions)
            {
                clusterOf[m] = c;
            }
        }

        var acronymOf = new Dictionary<string, Cluster>(StringComparer.Ordinal);
        foreach (var m in mentions.Where(m => m.Type != EntityTypes.Person))
        {
            if (m.AcronymOf >= 0 && clusterOf.TryGetValue(mentions[m.AcronymOf], out var owner))
            {
                owner.Add(m, words[m]);
                clusterOf[m] = owner;
                acronymOf[m.Text] = owner;
                continue;
            }

            if (acronymOf.TryGetValue(m.Text, out var known))
            {
                known.Add(m, words[m]);
                clusterOf[m] = known;
                continue;
            }

            string key = m.Type[0] + ":" + Normal(m.Text);
            if (!byKey.TryGetValue(key, out var c))
            {
                c = new Cluster { Type = m.Type };
                clusters.Add(c);
                byKey[key] = c;
            }

            c.Add(m, words[m]);
            clusterOf[m] = c;
        }

        // 4. An acronym used without its definition that spells the initials of an entity of the document.
        foreach (var c in clusters.ToList())
        {
            if (c.Mentions.Count == 0 || c.Type == EntityTypes.Person)
            {
                continue;
            }

            string text = c.Mentions[0].Text;
            if (!IsAcronym(text) || c.Mentions.Any(x => !IsAcronym(x.Text)))
            {
                continue;
            }

            var owner = clusters.FirstOrDefault(o => o != c && o.Mentions.Count > 0 && o.Type != EntityTypes.Person &&
                                                    o.Names.Any(x => Initials(x) == text));
            if (owner is not null)
            {
                foreach (var m in c.Mentions)
                {
                    owner.Add(m, words[m]);
                }

                c.Clear();
            }
        }

        var entities = new List<Entity>();
        foreach (var c in clusters.Where(c => c.Mentions.Count > 0))
        {
            c.Mentions.Sort((a, b) => a.Start.CompareTo(b.Start));
            string canonical = Canonical(c);
            var aliases = c.Mentions.Select(m => m.Text).Where(t => !string.Equals(t, canonical, StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal).ToList();
            var roles = c.Mentions.SelectMany(m => m.Roles).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            int id = entities.Count;
            foreach (var m in c.Mentions)
            {
                m.Entity = id;
                m.Type = c.Type;
            }

            var list = c.Mentions.Select(m => new EntityMention(c.Type, m.Text, m.Start, m.End, canonical, roles.Count > 0 ? roles : null)).ToList();
            entities.Add(new Entity(canonical, c.Type, aliases, roles, list));
        }

        return entities;
    }

    private static string Canonical(Cluster c)
    {
        // The longest name without initials; for organisations prefer an expansion over an acronym.
        return c.Mentions
            .Select(m => m.Text)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(t => IsFullName(Words(t)) ? 1 : 0)
            .ThenByDescending(t => IsAcronym(t) ? 0 : 1)
            .ThenByDescending(t => Words(t).Length)
            .ThenByDescending(t => t.Length)
            .ThenBy(t => t, StringComparer.Ordinal)
            .First();
    }

    /// <summary>The words of a name, less a nickname in quotes or brackets ("Vincent 'The Chin' Gigante": Vincent Gigante).</summary>
    internal static string[] Words(string text)
    {
        var words = text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        int open = Array.FindIndex(words, w => w.Length > 1 && w[0] is '\'' or '‘' or '"' or '“' or '(');
        if (open <= 0)
        {
            return words;
        }

        int close = Array.FindIndex(words, open, w => w[^1] is '\'' or '’' or '"' or '”' or ')' && w.Length > 1);
        return close < 0 || close == words.Length - 1 ? words : [.. words[..open], .. words[(close + 1)..]];
    }

    /// <summary>"C." or "C": a word that stands for a name.</summary>
    internal static bool IsInitial(string w) => (w.Length == 2 && char.IsUpper(w[0]) && w[1] == '.') || (w.Length == 1 && char.IsUpper(w[0]));

    internal static bool IsFullName(string[] w) => w.Length >= 2 && !w.Any(IsInitial);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool EndsWith(string[] longer, string[] shorter) =>
        longer.Length > shorter.Length && longer.AsSpan(longer.Length - shorter.Length).SequenceEqual(shorter);

    /// <summary>"V. Putin" against "Vladimir Putin"; "D. A. Medvedev" against "Dmitry Anatolyevich Medvedev".</summary>
    private static bool MatchesInitials(string[] shortForm, string[] full)
    {
        if (!shortForm.Any(IsInitial) || !IsFullName(full) || !Same(shortForm[^1], full[^1]))
        {
            return false;
        }

        int j = 0;
        for (int i = 0; i < shortForm.Length - 1; i++)
        {
            char initial = shortForm[i][0];
            while (j < full.Length - 1 && char.ToUpperInvariant(full[j][0]) != initial)
            {
                j++;
            }

            if (j >= full.Length - 1)
            {
                return false;
            }

            j++;
        }

        return true;
    }

    internal static bool IsAcronym(string text) =>
        text.Length is >= 2 and <= 10 && text.All(c => char.IsUpper(c) || c == '.' || c == '&') && text.Count(char.IsUpper) >= 2;

    private static string Initials(string[] words) =>
        new([.. words.Where(x => x.Length > 0 && char.IsUpper(x[0])).Select(x => x[0])]);

    private static string Normal(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("the ", StringComparison.OrdinalIgnoreCase))
        {
            t = t[4..];
        }

        return t.Replace('’', '\'');
    }
}
