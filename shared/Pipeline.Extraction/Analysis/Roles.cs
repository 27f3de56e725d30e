namespace Pipeline.Extraction.Analysis;

/// <summary>
/// Attaches title phrases to person mentions: "Party General Secretary and State President Nguyen Phu Trong"
/// gives "General Secretary" and "State President"; "Chairman of the United Russia Party Dmitry Medvedev" and
/// "D. Medvedev, Chairman of ..." give "Chairman".
/// </summary>
internal static class Roles
{
    /// <summary>Words that head a title.</summary>
    internal static readonly HashSet<string> Heads = new(StringComparer.OrdinalIgnoreCase)
    {
        "President", "Secretary", "Minister", "Ambassador", "Chairman", "Chairwoman", "Chairperson", "Chair", "Premier",
        "Chancellor", "King", "Queen", "Prince", "Princess", "Emperor", "Governor", "Mayor", "Senator", "Director",
        "Commissioner", "Chief", "Head", "Leader", "General", "Colonel", "Spokesman", "Spokeswoman", "Spokesperson",
        "Envoy", "Consul", "Judge", "Justice", "Professor", "Secretary-General", "Director-General", "Deputy",
        "Speaker", "Coach", "Manager", "CEO", "Officer", "Executive", "Emir", "Sultan", "Sheikh", "Pope", "Bishop",
        "Archbishop", "Cardinal", "Captain", "Commander", "Admiral", "Marshal", "Lieutenant", "Attorney", "Prosecutor",
        "Representative", "Congressman", "Congresswoman", "Founder", "Editor", "Chairman-designate", "Vice-President",
        "Vice-Chairman", "Counsellor", "Councillor", "Administrator", "Ombudsman", "Patriarch", "Rabbi", "Imam",
        "Mufti", "Ayatollah", "Lord", "Sir", "Dame", "Baroness", "Duke", "Duchess", "Count", "Viceroy", "Prefect",
        "Magistrate", "Sergeant", "Major", "Brigadier", "Superintendent", "Inspector", "Ambassador-designate",
    };

    /// <summary>Words that qualify a title ("State President", "Deputy Prime Minister").</summary>
    internal static readonly HashSet<string> Modifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "State", "Prime", "Deputy", "Vice", "Foreign", "Defence", "Defense", "Finance", "Interior", "Trade", "Health",
        "Education", "Justice", "Economy", "Economic", "Agriculture", "Industry", "Labour", "Labor", "Home", "General",
        "Chief", "Senior", "Executive", "Managing", "Permanent", "Standing", "First", "Acting", "Assistant", "Under",
        "Supreme", "Grand", "Crown", "Lieutenant", "Major", "Rear", "Attorney", "National", "Security", "Secretary",
        "Director", "Information", "Culture", "Transport", "Energy", "Environment", "Science", "Technology",
        "Construction", "Planning", "Investment", "Public", "Police", "Army", "Navy", "Air", "Force", "Party",
        "Presidential", "Ambassador", "Honorary", "Special", "High", "Co", "Sports", "Tourism", "Communications",
        "Home", "Internal", "External", "Affairs", "Minister", "Commerce", "Fisheries", "Mines", "Oil", "Petroleum",
    };

    /// <summary>Polite forms that may stand between a title and a name but are not roles.</summary>
    internal static readonly HashSet<string> Honorifics = new(StringComparer.OrdinalIgnoreCase)
    {
        "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Madam", "Madame", "Mme", "Herr", "Frau",
    };

    private static readonly HashSet<string> Connectors = new(StringComparer.OrdinalIgnoreCase) { "and", "&", "," };

    /// <summary>Heads that also begin or end names of other things ("General Motors", "Chief Justice", "Party leader").</summary>
    internal static readonly HashSet<string> Ambiguous = new(StringComparer.OrdinalIgnoreCase)
    {
        "General", "Chief", "Head", "Leader", "Major", "Justice", "Count", "Executive", "Officer", "Lord", "Sir",
        "Deputy", "Representative", "Founder", "Editor", "Captain",
    };

    /// <summary>Words that end organisation names.</summary>
    internal static readonly HashSet<string> OrganizationHeads = new(StringComparer.OrdinalIgnoreCase)
    {
        "Party", "Committee", "Department", "Ministry", "Council", "Commission", "Agency", "Association", "Union",
        "Bank", "Group", "Company", "Corporation", "Corp", "Inc", "Ltd", "Office", "Assembly", "Court", "Front",
        "Organisation", "Organization", "Institute", "University", "Federation", "Authority", "Service", "Customs",
        "Army", "Force", "Forces", "Club", "Board", "Bureau", "Government", "Administration", "Parliament", "Congress",
    };

    public static bool IsTitleWord(string w) => IsTitleHead(w) || Modifiers.Contains(w);

    /// <summary>A head, or a head before it takes office ("President-elect", "Ambassador-designate").</summary>
    public static bool IsTitleHead(string w) =>
        Heads.Contains(w) || (w.LastIndexOf('-') is int dash && dash > 0 && w[(dash + 1)..] is "elect" or "designate" && Heads.Contains(w[..dash]));

    /// <summary>Finds roles for each person mention from the words before it (and an apposition after it).</summary>
    public static void Attach(string[] words, Pipeline.Extraction.Text.Sentence[] sentences, int[] sentenceOf, List<Mention> mentions)
    {
        var mentionEndingAt = new Dictionary<int, Mention>();
        foreach (var m in mentions)
        {
            mentionEndingAt[m.Last] = m;
        }

        foreach (var m in mentions)
        {
            if (m.Type != Contracts.EntityTypes.Person && m.Last == m.First)
            {
                continue;
            }

            var sent = sentences[sentenceOf[m.First]];
            int k = m.First - 1;
            while (k >= sent.First && Honorifics.Contains(words[k]))
            {
                k--;
            }

            // A complement between title and name: "Chairman of the United Russia Party Dmitry Medvedev",
            // "Ambassador to Vietnam Gennady Bezdetko", "General Secretary of the Communist Party of Vietnam (CPV) ...".
            int q = k;
            int limit = Math.Max(sent.First, k - 10);
            while (q >= limit && !(words[q] is "of" or "to" or "for"))
            {
                string w = words[q];
                bool capitalised = w.Length > 0 && (char.IsUpper(w[0]) || char.IsDigit(w[0]));
                if (!(capitalised || w is "the" or "(" or ")" or "and" or "-" or "'s" or "’s"))
                {
                    q = -1;
                    break;
                }

                q--;
            }

            bool complement = false;
            for (int c = q + 1; c <= k && q >= limit; c++)
            {
                complement |= char.IsUpper(words[c][0]);
            }

            if (complement && q > sent.First && words[q] is "of" or "to" or "for" && Heads.Contains(words[q - 1]))
            {
                k = q - 1;
            }

            var run = new List<string>();
            while (k >= sent.First && (IsTitleWord(words[k]) || (Connectors.Contains(words[k]) && run.Count > 0)))
            {
                run.Insert(0, words[k]);
                k--;
            }

            AddPhrases(run, m.Roles);

            // Apposition: "D. Medvedev, Chairman of ...".
            int a = m.Last + 1;
            if (a < sent.End && words[a] == "," && m.Type == Contracts.EntityTypes.Person)
            {
                var after = new List<string>();
                int j = a + 1;
                if (j < sent.End && words[j] is "the" or "a")
                {
                    j++;
                }

                while (j < sent.End && (IsTitleWord(words[j]) || (Connectors.Contains(words[j]) && words[j] != "," && after.Count > 0)) &&
                       (char.IsUpper(words[j][0]) || Connectors.Contains(words[j])))
                {
                    after.Add(words[j]);
                    j++;
                }

                AddPhrases(after, m.Roles);
            }

            // A name-like mention of another type with a title before it is a person ("Secretary Nguyen Phu Trong").
            if (m.Type != Contracts.EntityTypes.Person)
            {
                bool nameLike = m.Roles.Any(r => char.IsUpper(r[0]));
                for (int t = m.First; t <= m.Last && nameLike; t++)
                {
                    nameLike = char.IsUpper(words[t][0]) && !IsTitleWord(words[t]) && words[t].Any(char.IsLower) &&
                               !OrganizationHeads.Contains(words[t]);
                }

                if (nameLike)
                {
                    m.Type = Contracts.EntityTypes.Person;
                }
                else
                {
                    m.Roles.Clear();
                }
            }
        }
    }

    private static void AddPhrases(List<string> run, List<string> roles)
    {
        var phrase = new List<string>();
        void Flush()
        {
            // Keep the longest tail made of title words that ends with a head.
            while (phrase.Count > 0 && !IsTitleHead(phrase[^1]))
            {
                phrase.RemoveAt(phrase.Count - 1);
            }

            int s = phrase.Count;
            while (s > 0 && IsTitleWord(phrase[s - 1]) && !(phrase[s - 1].Equals("Party", StringComparison.OrdinalIgnoreCase)))
            {
                s--;
            }

            if (s < phrase.Count)
            {
                string role = string.Join(' ', phrase.Skip(s));
                if (!roles.Contains(role, StringComparer.OrdinalIgnoreCase))
                {
                    roles.Add(role);
                }
            }

            phrase.Clear();
        }

        foreach (var w in run)
        {
            if (Connectors.Contains(w))
            {
                Flush();
            }
            else
            {
                phrase.Add(w);
            }
        }

        Flush();
    }
}
