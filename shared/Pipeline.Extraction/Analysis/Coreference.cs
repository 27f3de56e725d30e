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
        public List<Mention> Mentions { get; } = [];

        public string Type { get; set; } = EntityTypes.Misc;
    }

    public static List<Entity> Resolve(List<Mention> mentions, Func<string, bool> isPlace)
    {
        var clusters = new List<Cluster>();
        var byKey = new Dictionary<string, Cluster>(StringComparer.OrdinalIgnoreCase);

        // 0. Document-level consistency. A single word that is the surname of a full person name of the document is
        // that person ("Trong" after "Nguyen Phu Trong"); otherwise one string keeps one type, the majority's.
        var surnames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in mentions.Where(m => m.Type == EntityTypes.Person))
        {
            var w = Words(m.Text);
            if (IsFullName(w))
            {
                surnames.Add(w[^1]);
            }
        }

        foreach (var m in mentions.Where(m => m.Type != EntityTypes.Person && m.AcronymOf < 0 && m.First == m.Last))
        {
            if (surnames.Contains(m.Text) && !isPlace(m.Text))
            {
                m.Type = EntityTypes.Person;
            }
        }

        foreach (var group in mentions.Where(m => m.AcronymOf < 0).GroupBy(m => m.Text, StringComparer.Ordinal))
        {
            var votes = group.GroupBy(m => m.Type).Select(g => (Type: g.Key, Count: g.Count())).OrderByDescending(v => v.Count).ToList();
            if (votes.Count > 1 && votes[0].Count > votes[1].Count && group.Key.Any(char.IsLower) &&
                (votes[0].Type != EntityTypes.Person || group.Key.Contains(' ', StringComparison.Ordinal)))
            {
                foreach (var m in group)
                {
                    m.Type = votes[0].Type;
                }
            }
        }

        // 1. Full person names first (two or more words, no initials): the anchors of person entities.
        var persons = mentions.Where(m => m.Type == EntityTypes.Person).ToList();
        var words = new Dictionary<Mention, string[]>();
        foreach (var m in mentions)
        {
            words[m] = Words(m.Text);
        }

        foreach (var m in persons.Where(m => IsFullName(words[m])).OrderByDescending(m => words[m].Length))
        {
            string key = "P:" + Normal(m.Text);
            if (!byKey.TryGetValue(key, out var c))
            {
                // A longer name already seen that ends with this one ("Nguyen Phu Trong" vs "Phu Trong").
                c = clusters.FirstOrDefault(x => x.Type == EntityTypes.Person && EndsWith(words[x.Mentions[0]], words[m]));
                if (c is null)
                {
                    c = new Cluster { Type = EntityTypes.Person };
                    clusters.Add(c);
                }

                byKey[key] = c;
            }

            c.Mentions.Add(m);
        }

        // 2. Other person mentions: initials ("V. Putin"), a surname or a given name alone ("Trong").
        var anchored = new HashSet<Mention>(clusters.SelectMany(c => c.Mentions));
        var fullNames = clusters.ToList();
        foreach (var m in persons.Where(m => !anchored.Contains(m)))
        {
            var w = words[m];
            Cluster? target = null;
            if (w.Length >= 2)
            {
                target = fullNames.FirstOrDefault(c => c.Mentions.Any(x => MatchesInitials(w, words[x])));
            }
            else if (w.Length == 1)
            {
                target = fullNames.FirstOrDefault(c => c.Mentions.Any(x => { var f = words[x]; return f.Length > 1 && Same(f[^1], w[0]); }))
                         ?? fullNames.FirstOrDefault(c => c.Mentions.Any(x => { var f = words[x]; return f.Length > 1 && Same(f[0], w[0]); }));
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

            target.Mentions.Add(m);
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
                owner.Mentions.Add(m);
                clusterOf[m] = owner;
                acronymOf[m.Text] = owner;
                continue;
            }

            if (acronymOf.TryGetValue(m.Text, out var known))
            {
                known.Mentions.Add(m);
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

            c.Mentions.Add(m);
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
                                                    o.Mentions.Any(x => Initials(x.Text) == text));
            if (owner is not null)
            {
                owner.Mentions.AddRange(c.Mentions);
                c.Mentions.Clear();
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
            .OrderByDescending(t => IsFullName(Words(t)) ? 1 : 0)
            .ThenByDescending(t => IsAcronym(t) ? 0 : 1)
            .ThenByDescending(t => Words(t).Length)
            .ThenByDescending(t => t.Length)
            .ThenBy(t => t, StringComparer.Ordinal)
            .First();
    }

    internal static string[] Words(string text) =>
        text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static bool IsInitial(string w) => (w.Length == 2 && char.IsUpper(w[0]) && w[1] == '.') || (w.Length == 1 && char.IsUpper(w[0]));

    private static bool IsFullName(string[] w) => w.Length >= 2 && !w.Any(IsInitial);

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

    internal static string Initials(string text)
    {
        var w = Words(text);
        return new string(w.Where(x => x.Length > 0 && char.IsUpper(x[0])).Select(x => x[0]).ToArray());
    }

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
