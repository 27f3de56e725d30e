using Pipeline.Contracts;
using Pipeline.Extraction.Ner;
using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Analysis;

/// <summary>Turns the tagger's labels into mentions and applies the document-level rules around them.</summary>
internal static class MentionRules
{
    public static List<Mention> Build(string text, string[] words, List<Token> tokens, Sentence[] sentences, int[] labels,
        Dateline? dateline, Lexicon lexicon)
    {
        var mentions = new List<Mention>();
        foreach (var sent in sentences)
        {
            foreach (var (first, last, cls) in Labels.Spans(labels.AsSpan(sent.First, sent.Count)))
            {
                int a = sent.First + first, b = sent.First + last;
                mentions.Add(Make(text, tokens, a, b, Labels.EntityType(cls)));
            }
        }

        // Nothing inside the "date yyyy-mm-dd" marker of the clean stage.
        if (dateline is not null)
        {
            int markerEnd = dateline.Place is null ? dateline.End : -1;
            mentions.RemoveAll(m => m.Start < markerEnd);
        }

        // Names do not run across brackets and dashes: cut there, keep the pieces.
        mentions = CutAtPunctuation(text, tokens, words, mentions);

        // The dateline's place and agency, when it has the "Place (Agency) –" form.
        if (dateline?.Agency is { } agency)
        {
            mentions.RemoveAll(m => m.Start < dateline.End && dateline.Start < m.End);
            AddCovering(text, tokens, mentions, dateline.Start, dateline.End, dateline.Place, EntityTypes.Location);
            AddCovering(text, tokens, mentions, dateline.Start, dateline.End, agency, EntityTypes.Organization);
        }

        mentions.Sort((x, y) => x.Start.CompareTo(y.Start));
        Nicknames(text, tokens, words, mentions, lexicon);
        PlacesOfPlaces(text, tokens, words, mentions);
        TrimLowercase(text, tokens, words, mentions);
        TrimClockWords(text, tokens, words, mentions);
        NameParticles(text, tokens, words, mentions);
        SplitOrganizationAndName(text, tokens, words, mentions, lexicon);
        TrimTitles(text, tokens, words, mentions, lexicon);
        SplitPlaceAndName(text, tokens, words, mentions, lexicon);
        KnownPlaces(words, mentions, lexicon);
        GivenNames(text, tokens, words, mentions, lexicon);
        Surnames(text, tokens, words, mentions);
        PartyNames(words, mentions, lexicon);
        Acronyms(text, tokens, words, mentions);
        PlacesNamingTeams(words, mentions);
        return mentions;
    }

    private static Mention Make(string text, List<Token> tokens, int a, int b, string type)
    {
        int s = tokens[a].Start, e = tokens[b].End;
        return new Mention(a, b, s, e, type, text[s..e]);
    }

    private static void AddCovering(string text, List<Token> tokens, List<Mention> mentions, int from, int to, string? name, string type)
    {
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        int at = text.IndexOf(name, from, to - from, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        int a = tokens.FindIndex(t => t.Start == at);
        int b = tokens.FindIndex(t => t.End == at + name.Length);
        if (a < 0 || b < a)
        {
            return;
        }

        var existing = mentions.FirstOrDefault(m => m.Start < at + name.Length && at < m.End);
        if (existing is not null)
        {
            if (existing.Start == at && existing.End == at + name.Length)
            {
                existing.Type = type;
            }

            return;
        }

        mentions.Add(Make(text, tokens, a, b, type));
    }

    /// <summary>
    /// A title is not part of a name: "President Putin" tagged as one mention keeps "Putin"; "Party General Secretary
    /// Nguyen Phu Trong" tagged as an organisation becomes the person "Nguyen Phu Trong"; a mention that is only a
    /// title ("the Party General Secretary") is dropped. The title becomes a role later.
    /// </summary>
    private static void TrimTitles(string text, List<Token> tokens, string[] words, List<Mention> mentions, Lexicon lexicon)
    {
        var drop = new List<Mention>();
        foreach (var m in mentions)
        {
            int a = m.First;
            bool head = false;
            while (a <= m.Last && char.IsUpper(words[a][0]) &&
                   (Roles.IsTitleWord(words[a]) || Roles.Honorifics.Contains(words[a]) || words[a] is "The" ||
                    lexicon.Contains([words[a]], GazetteerKind.Nationality)))
            {
                head = (Roles.Heads.Contains(words[a]) && !Roles.Ambiguous.Contains(words[a])) || Roles.Honorifics.Contains(words[a]);
                a++;
            }

            if (!head || a == m.First)
            {
                continue;
            }

            if (a <= m.Last && !char.IsUpper(words[a][0]))
            {
                continue; // "Duke of Norfolk" is a name of its own
            }

            if (a > m.Last)
            {
                if (m.Last > m.First)
                {
                    drop.Add(m);
                }

                continue;
            }

            bool nameLike = true;
            for (int k = a; k <= m.Last; k++)
            {
                nameLike &= char.IsUpper(words[k][0]) && !Roles.IsTitleWord(words[k]) && !Roles.OrganizationHeads.Contains(words[k]);
            }

            m.First = a;
            m.Start = tokens[a].Start;
            m.Text = text[m.Start..m.End];
            if (nameLike && m.Type != EntityTypes.Person && !lexicon.Contains(words[a..(m.Last + 1)], GazetteerKind.Country) &&
                !lexicon.Contains(words[a..(m.Last + 1)], GazetteerKind.Organization))
            {
                m.Type = EntityTypes.Person;
            }
        }

        mentions.RemoveAll(drop.Contains);
    }

    /// <summary>Names do not begin or end with lower-case words ("Party leader affirmed" keeps "Party").</summary>
    private static void TrimLowercase(string text, List<Token> tokens, string[] words, List<Mention> mentions)
    {
        static bool Lower(string w) => w.All(char.IsLower) && w.Length > 0;
        foreach (var m in mentions)
        {
            int a = m.First, b = m.Last;
            while (a < b && Lower(words[a]) && !Particles.Contains(words[a]))
            {
                a++;
            }

            while (b > a && Lower(words[b]))
            {
                b--;
            }

            if (a != m.First || b != m.Last)
            {
                m.First = a;
                m.Last = b;
                m.Start = tokens[a].Start;
                m.End = tokens[b].End;
                m.Text = text[m.Start..m.End];
            }
        }

        mentions.RemoveAll(m => Lower(words[m.First]) && m.First == m.Last);
    }

    /// <summary>What follows the hour of a time stamp ("10:04 PM ET"), in capitals as news pages write it.</summary>
    private static readonly HashSet<string> ClockWords = new(StringComparer.Ordinal)
    {
        "AM", "PM", "ET", "EST", "EDT", "CT", "CST", "CDT", "MT", "MST", "MDT", "PT", "PST", "PDT", "GMT", "UTC", "BST", "CET", "CEST",
    };

    /// <summary>
    /// A name right after a time stamp does not begin with its clock words: "Updated 10:04 PM ET Wladimir Klitschko
    /// stopped…" names Wladimir Klitschko.
    /// </summary>
    private static void TrimClockWords(string text, List<Token> tokens, string[] words, List<Mention> mentions)
    {
        foreach (var m in mentions.Where(m => m.First > 0 && char.IsAsciiDigit(words[m.First - 1][^1])))
        {
            int a = m.First;
            while (a < m.Last && ClockWords.Contains(words[a]))
            {
                a++;
            }

            if (a != m.First)
            {
                m.First = a;
                m.Start = tokens[a].Start;
                m.Text = text[m.Start..m.End];
            }
        }
    }

    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "al", "el", "bin", "ibn", "bint", "abu", "van", "von", "de", "da", "di", "du", "dos", "das", "del", "della", "der", "ter", "ben",
    };

    /// <summary>Lower-case particles inside names: "Abdel Fattah al-Sisi", "Faisal bin Farhan", "Ludwig van Beethoven".</summary>
    private static void NameParticles(string text, List<Token> tokens, string[] words, List<Mention> mentions)
    {
        foreach (var m in mentions)
        {
            if (m.Type != EntityTypes.Person)
            {
                continue;
            }

            int b = m.Last;
            while (b + 1 < words.Length && text.AsSpan(tokens[b].End, tokens[b + 1].Start - tokens[b].End).Trim().Length == 0 &&
                   !text.AsSpan(tokens[b].End, tokens[b + 1].Start - tokens[b].End).Contains('\n'))
            {
                string w = words[b + 1];
                int dash = w.IndexOf('-', StringComparison.Ordinal);
                if (dash > 0 && dash + 1 < w.Length && Particles.Contains(w[..dash]) && char.IsUpper(w[dash + 1]))
                {
                    b++;
                    continue;
                }

                if (Particles.Contains(w) && b + 2 < words.Length && char.IsUpper(words[b + 2][0]) && words[b + 2].Any(char.IsLower))
                {
                    var next = mentions.FirstOrDefault(x => x.First == b + 2);
                    if (next is not null && next.Type != EntityTypes.Person)
                    {
                        break;
                    }

                    b += 2;
                    if (next is not null)
                    {
                        b = Math.Max(b, next.Last);
                        next.Type = "";
                    }

                    continue;
                }

                break;
            }

            if (b != m.Last)
            {
                m.Last = b;
                m.End = tokens[b].End;
                m.Text = text[m.Start..m.End];
            }
        }

        mentions.RemoveAll(x => x.Type.Length == 0);
    }

    /// <summary>
    /// "the United Russia Party Dmitry Medvedev" tagged as one mention: an organisation, then a person; so is "Chiefs WR
    /// Terrance Copper", a team, a position in capitals and a player, less the position; and "Post Editor Benjamin C.
    /// Bradlee" or "Democratic President-elect Barack Obama", a name, a title and a person, less the title (which the
    /// roles then attach to the person).
    /// </summary>
    private static void SplitOrganizationAndName(string text, List<Token> tokens, string[] words, List<Mention> mentions, Lexicon lexicon)
    {
        static bool IsPosition(string word) => word.Length is 2 or 3 && word.All(char.IsAsciiLetterUpper);
        var added = new List<Mention>();
        foreach (var m in mentions)
        {
            for (int j = m.First + 1; j < m.Last - 1; j++)
            {
                bool position = IsPosition(words[j]);
                bool head = Roles.OrganizationHeads.Contains(words[j]);
                bool title = !position && !head && Roles.IsTitleHead(words[j]);
                if (!head && !position && !title)
                {
                    continue;
                }

                // After a title, a person's name of two words or more: the title says what the name is.
                bool name = lexicon.Contains([words[j + 1]], position || title ? GazetteerKind.PersonName : GazetteerKind.GivenName) ||
                            (head && lexicon.Contains([words[m.Last]], GazetteerKind.FamilyName));
                for (int k = j + 1; k <= m.Last && name; k++)
                {
                    name = (char.IsUpper(words[k][0]) && words[k].Any(char.IsLower) && !Roles.OrganizationHeads.Contains(words[k]) && !Roles.IsTitleWord(words[k]))
                        || (k > j + 1 && k < m.Last && Coreference.IsInitial(words[k]));
                }

                // A title keeps the words that qualify it ("Highway Patrol Officer", "Chief Executive") out of the name
                // before it, but not the word that ends a body's name ("Communist Party General Secretary").
                int before = head ? j : j - 1;
                while (title && before > m.First && Roles.IsTitleWord(words[before]) && !Roles.OrganizationHeads.Contains(words[before]))
                {
                    before--;
                }

                // A title that begins the mention is no split: the title's trimming takes it off.
                if (name && !(title && Roles.IsTitleWord(words[before])))
                {
                    added.Add(Make(text, tokens, j + 1, m.Last, EntityTypes.Person));
                    m.Last = before;
                    m.End = tokens[m.Last].End;
                    m.Text = text[m.Start..m.End];
                    m.Type = title && m.Type != EntityTypes.Person ? m.Type : EntityTypes.Organization;
                    break;
                }
            }
        }

        mentions.AddRange(added);
        mentions.Sort((x, y) => x.Start.CompareTo(y.Start));

        // "Texas Highway Patrol Officer" tagged as a name right before the person "Daniel Moreno": the title is the
        // person's, not the body's (a mention of titles only is no name at all).
        for (int i = 0; i + 1 < mentions.Count; i++)
        {
            var m = mentions[i];
            if (m.Type == EntityTypes.Person || mentions[i + 1].Type != EntityTypes.Person || mentions[i + 1].First != m.Last + 1 ||
                !Roles.IsTitleHead(words[m.Last]))
            {
                continue;
            }

            int last = m.Last;
            while (last >= m.First && Roles.IsTitleWord(words[last]))
            {
                last--;
            }

            m.Last = last;
            if (last >= m.First)
            {
                m.End = tokens[last].End;
                m.Text = text[m.Start..m.End];
            }
        }

        mentions.RemoveAll(m => m.Last < m.First);
    }

    private static List<Mention> CutAtPunctuation(string text, List<Token> tokens, string[] words, List<Mention> mentions)
    {
        var result = new List<Mention>(mentions.Count);
        foreach (var m in mentions)
        {
            int a = m.First;

            // "Mladost ( BJ )": a bracket closed inside the name belongs to it.
            bool balanced = words[m.Last] == ")" && m.Last - m.First >= 3 && words[m.Last - 2] == "(";
            for (int k = m.First; k <= m.Last + 1; k++)
            {
                bool stop = k > m.Last || words[k] is "–" or "—" or "--" or ":" or ";" or "|" ||
                            (!balanced && words[k] is "(" or ")" or "[" or "]");
                if (!stop)
                {
                    continue;
                }

                if (k > a)
                {
                    result.Add(k - 1 == m.Last && a == m.First ? m : Make(text, tokens, a, k - 1, m.Type));
                }

                a = k + 1;
            }

        }

        return result;
    }

    /// <summary>"Ambassador to Vietnam Gennady Bezdetko" tagged as one mention: a known place, then a person's name.</summary>
    private static void SplitPlaceAndName(string text, List<Token> tokens, string[] words, List<Mention> mentions, Lexicon lexicon)
    {
        var added = new List<Mention>();
        foreach (var m in mentions)
        {
            if (m.Type == EntityTypes.Person || m.Last - m.First < 2)
            {
                continue;
            }

            for (int j = m.First; j < m.Last - 1; j++)
            {
                var place = words[m.First..(j + 1)];
                bool isPlace = lexicon.Contains(place, GazetteerKind.Country) || lexicon.Contains(place, GazetteerKind.City);
                // The name after the place: a known given name, or the place is a title's complement
                // ("Ambassador to Vietnam Gennady Bezdetko", "Governor of Texas Greg Abbott").
                bool complement = m.First >= 2 && words[m.First - 1] is "to" or "of" && Roles.Heads.Contains(words[m.First - 2]);
                bool nameAfter = true;
                for (int k = j + 1; k <= m.Last && nameAfter; k++)
                {
                    nameAfter = char.IsUpper(words[k][0]) && words[k].Any(char.IsLower) && !Roles.OrganizationHeads.Contains(words[k]);
                }

                if (!isPlace || !nameAfter || !(complement || lexicon.Contains([words[j + 1]], GazetteerKind.GivenName)))
                {
                    continue;
                }

                added.Add(Make(text, tokens, j + 1, m.Last, EntityTypes.Person));
                m.Last = j;
                m.End = tokens[j].End;
                m.Text = text[m.Start..m.End];
                m.Type = EntityTypes.Location;
                break;
            }
        }

        mentions.AddRange(added);
        mentions.Sort((x, y) => x.Start.CompareTo(y.Start));
    }

    /// <summary>A name of several words that the curated gazetteers know as a place is not a person ("Da Nang").</summary>
    private static void KnownPlaces(string[] words, List<Mention> mentions, Lexicon lexicon)
    {
        foreach (var m in mentions)
        {
            if (m.Type != EntityTypes.Person || m.Last == m.First)
            {
                continue;
            }

            if (IsKnownPlace(words, m, lexicon))
            {
                m.Type = EntityTypes.Location;
            }
        }
    }

    private const int PlaceKinds = (1 << (int)GazetteerKind.City) | (1 << (int)GazetteerKind.Country) | (1 << (int)GazetteerKind.Region);

    /// <summary>Whether the curated gazetteers know the mention's words as a city, a country or a region (one lookup).</summary>
    private static bool IsKnownPlace(string[] words, Mention m, Lexicon lexicon) => (lexicon.Kinds(words[m.First..(m.Last + 1)]) & PlaceKinds) != 0;

    /// <summary>A known given name just before a person's name belongs to it ("Dmitry" + "Medvedev").</summary>
    private static void GivenNames(string text, List<Token> tokens, string[] words, List<Mention> mentions, Lexicon lexicon)
    {
        var taken = new HashSet<int>();
        foreach (var m in mentions)
        {
            for (int t = m.First; t <= m.Last; t++)
            {
                taken.Add(t);
            }
        }

        foreach (var m in mentions)
        {
            if (m.Type != EntityTypes.Person)
            {
                continue;
            }

            int a = m.First;
            while (a > 0 && !taken.Contains(a - 1) && char.IsUpper(words[a - 1][0]) && words[a - 1].Any(char.IsLower) &&
                   lexicon.Contains([words[a - 1]], GazetteerKind.GivenName) &&
                   !text.AsSpan(tokens[a - 1].End, tokens[a].Start - tokens[a - 1].End).Contains('\n'))
            {
                a--;
            }

            if (a != m.First)
            {
                m.First = a;
                m.Start = tokens[a].Start;
                m.Text = text[m.Start..m.End];
            }
        }
    }

    /// <summary>
    /// A word alone that is the surname of a person named in full in the document is that person: "Trong" after "Nguyen
    /// Phu Trong", "King" after "Billie Jean King" when the tagger left it out, "Jordan" after "Michael Jordan" when it
    /// read a country.
    /// </summary>
    private static void Surnames(string text, List<Token> tokens, string[] words, List<Mention> mentions)
    {
        var surnames = mentions
            .Where(m => m.Type == EntityTypes.Person && Coreference.IsFullName(Coreference.Words(m.Text)) && IsNameWord(words[m.Last]))
            .Select(m => words[m.Last])
            .ToHashSet(StringComparer.Ordinal);
        if (surnames.Count == 0)
        {
            return;
        }

        var taken = new bool[words.Length];
        foreach (var m in mentions)
        {
            taken.AsSpan(m.First, m.Last - m.First + 1).Fill(true);
            if (m.First == m.Last && surnames.Contains(words[m.First]))
            {
                m.Type = EntityTypes.Person;
            }
        }

        for (int t = 0; t < words.Length; t++)
        {
            if (!taken[t] && surnames.Contains(words[t]))
            {
                mentions.Add(Make(text, tokens, t, t, EntityTypes.Person));
            }
        }

        mentions.Sort((x, y) => x.Start.CompareTo(y.Start));
    }

    /// <summary>
    /// A nickname in quotes or brackets between a person's given name and surname belongs to the name: "Vincent 'The
    /// Chin' Gigante", "Luis Gerardo (Jerry) Ortiz", "Kimani "Kiki" Gray" are one person, whatever the tagger made of
    /// the pieces (it reads the quoted words as a title or an organisation and leaves the surname out).
    /// </summary>
    private static void Nicknames(string text, List<Token> tokens, string[] words, List<Mention> mentions, Lexicon lexicon)
    {
        const int MaxNicknameWords = 3;
        // The mention over each token, so that a text of many quotes is not a scan of its mentions per quote.
        var cover = new Mention?[words.Length];
        foreach (var m in mentions)
        {
            cover.AsSpan(m.First, m.Last - m.First + 1).Fill(m);
        }

        bool merged = false;
        for (int open = 1; open < words.Length - 3; open++)
        {
            if (Closing(words[open]) is not { } closing)
            {
                continue;
            }

            bool Closes(string w) => w.Length == 1 && closing.Contains(w[0], StringComparison.Ordinal);
            int close = open + 2;
            while (close <= open + MaxNicknameWords && close < words.Length - 1 && !Closes(words[close]))
            {
                close++;
            }

            if (close > open + MaxNicknameWords || close >= words.Length - 1 || !Closes(words[close]) ||
                !words[(open + 1)..close].All(w => IsNameWord(w) || w is "the"))
            {
                continue;
            }

            var given = cover[open - 1] is { } g && g.Last == open - 1 ? g : null;
            var surname = cover[close + 1];
            bool givenIsName = given is not null && given.Last - given.First < 3 && words[given.First..open].All(IsNameWord) &&
                               (given.Type == EntityTypes.Person || lexicon.Contains([words[given.First]], GazetteerKind.GivenName));
            bool surnameIsName = IsNameWord(words[close + 1]) && (surname is null
                ? lexicon.Contains([words[close + 1]], GazetteerKind.PersonName)
                : surname.Type == EntityTypes.Person || (surname.First > open && surname.First <= close));
            // "Olaf Ludwig ( Germany ) Telekom" in a results table: a country in brackets is no nickname.
            bool placeInBrackets = cover.AsSpan(open + 1, close - open - 1).ToArray().Any(m => m?.Type == EntityTypes.Location);
            if (!givenIsName || !surnameIsName || placeInBrackets)
            {
                continue;
            }

            int first = given!.First, last = surname is null ? close + 1 : surname.Last;
            if (text.AsSpan(tokens[first].Start, tokens[last].End - tokens[first].Start).Contains('\n'))
            {
                continue;
            }

            var name = Make(text, tokens, first, last, EntityTypes.Person);
            foreach (var m in cover.AsSpan(first, last - first + 1).ToArray().OfType<Mention>().Distinct())
            {
                m.Type = "";
            }

            cover.AsSpan(first, last - first + 1).Fill(name);
            mentions.Add(name);
            merged = true;
            open = last;
        }

        if (merged)
        {
            mentions.RemoveAll(m => m.Type.Length == 0);
            mentions.Sort((x, y) => x.Start.CompareTo(y.Start));
        }
    }

    /// <summary>
    /// Two places joined by "of" are one name: the tagger reads "Gulf of Aden", "Bay of Bengal", "Isle of Man" as two
    /// places, so the document would name a "Gulf" that no other document knows.
    /// </summary>
    private static void PlacesOfPlaces(string text, List<Token> tokens, string[] words, List<Mention> mentions)
    {
        for (int i = 0; i + 1 < mentions.Count; i++)
        {
            Mention head = mentions[i], place = mentions[i + 1];
            if (head.Type == EntityTypes.Location && place.Type == EntityTypes.Location && place.First == head.Last + 2 &&
                words[head.Last + 1] == "of" && words[head.First..(head.Last + 1)].All(IsNameWord) &&
                !text.AsSpan(head.Start, place.End - head.Start).Contains('\n'))
            {
                mentions[i] = Make(text, tokens, head.First, place.Last, EntityTypes.Location);
                mentions.RemoveAt(i + 1);
            }
        }
    }

    private static readonly HashSet<string> PlacePrepositions = new(StringComparer.OrdinalIgnoreCase)
    {
        "in", "at", "from", "near", "outside", "across", "into", "around", "throughout", "inside", "within", "of", "to",
    };

    /// <summary>
    /// A place stands for the team named after it where the document calls the team by its place and nickname and by
    /// the nickname alone, and no preposition makes the place a place: "Indianapolis beat Kansas City" beside "the
    /// Indianapolis Colts" and "the Colts", but "fans in Indianapolis".
    /// </summary>
    private static void PlacesNamingTeams(string[] words, List<Mention> mentions)
    {
        var alone = mentions.Select(m => string.Join(' ', words[m.First..(m.Last + 1)])).ToHashSet(StringComparer.Ordinal);
        var teamsByFirstWord = mentions.Where(m => m.Type is EntityTypes.Organization or EntityTypes.Misc && m.Last > m.First)
            .Select(m => (Words: words[m.First..(m.Last + 1)], m.Type))
            .DistinctBy(n => string.Join(' ', n.Words))
            .ToLookup(n => n.Words[0], StringComparer.Ordinal);
        foreach (var place in mentions.Where(m => m.Type == EntityTypes.Location && words[m.First..(m.Last + 1)].All(IsNameWord)))
        {
            int length = place.Last - place.First + 1;
            var owners = teamsByFirstWord[words[place.First]]
                .Where(n => n.Words.Length > length && n.Words.AsSpan(0, length).SequenceEqual(words.AsSpan(place.First, length))
                            && alone.Contains(string.Join(' ', n.Words[length..])))
                .Take(2).ToList();
            bool aPlace = place.First > 0 && PlacePrepositions.Contains(words[place.First - 1]);
            if (owners is [var owner] && !aPlace)
            {
                place.Type = owner.Type;
            }
        }
    }

    /// <summary>The tokens that close a quote or bracket opened by <paramref name="word"/>, or null.</summary>
    private static string? Closing(string word) => word switch
    {
        "'" or "‘" => "'’",
        "\"" => "\"",
        "“" => "”\"",
        "(" => ")",
        _ => null,
    };

    // Capitalised, not all capitals: "King", "McDonald", not "U.S." or "AP".
    private static bool IsNameWord(string word) => word.Length > 1 && char.IsUpper(word[0]) && word.Any(char.IsLower);

    private static readonly HashSet<string> OrganizationSuffixes = new(StringComparer.Ordinal)
    {
        "Party", "Committee", "Ministry", "Council", "Commission", "Agency", "Association", "Bank", "Company",
        "Corporation", "Institute", "University", "Front", "Court", "Office", "Department", "Service", "Group", "Club",
        "Board", "Bureau", "Organisation", "Organization", "Foundation", "Authority",
    };

    /// <summary>"the ruling United Russia political party": a name before "party" is an organisation, and so is a name ending in one.</summary>
    private static void PartyNames(string[] words, List<Mention> mentions, Lexicon lexicon)
    {
        foreach (var m in mentions)
        {
            int k = m.Last + 1;
            if (k < words.Length && words[k] is "political" or "ruling" or "opposition")
            {
                k++;
            }

            if (k < words.Length && words[k] is "party" or "parties" && m.Type != EntityTypes.Person)
            {
                m.Type = EntityTypes.Organization;
            }

            // "the United Russia Party", "the Central Committee": a name ending in an organisation word is one, unless
            // the gazetteers know it as a place ("West Bank").
            if (m.Type is EntityTypes.Location or EntityTypes.Misc && m.Last > m.First && OrganizationSuffixes.Contains(words[m.Last]) &&
                !IsKnownPlace(words, m, lexicon))
            {
                m.Type = EntityTypes.Organization;
            }
        }
    }

    /// <summary>"Communist Party of Vietnam (CPV)": the acronym is a mention of the same entity.</summary>
    private static void Acronyms(string text, List<Token> tokens, string[] words, List<Mention> mentions)
    {
        var added = new List<Mention>();
        for (int i = 0; i < mentions.Count; i++)
        {
            var m = mentions[i];
            int open = m.Last + 1;
            if (open + 2 >= words.Length || words[open] != "(" || words[open + 2] != ")")
            {
                continue;
            }

            string acronym = words[open + 1];
            if (!Coreference.IsAcronym(acronym) || !InitialsMatch(m.Text, acronym))
            {
                continue;
            }

            var existing = mentions.FirstOrDefault(x => x.First == open + 1 && x.Last == open + 1);
            if (existing is null)
            {
                existing = Make(text, tokens, open + 1, open + 1, m.Type);
                added.Add(existing);
            }

            existing.Type = m.Type;
            existing.AcronymOf = i;
        }

        mentions.AddRange(added);
        // Keep AcronymOf indices valid: added mentions go at the end, nothing is reordered here.
    }

    private static bool InitialsMatch(string name, string acronym)
    {
        var letters = acronym.Where(char.IsLetter).Select(char.ToUpperInvariant).ToArray();
        var initials = Coreference.Words(name).Where(w => w.Length > 0 && char.IsLetter(w[0])).Select(w => char.ToUpperInvariant(w[0])).ToArray();
        if (letters.Length == 0 || initials.Length == 0 || letters[0] != initials[0])
        {
            return false;
        }

        // Every letter of the acronym appears among the initials, in order (allowing skipped "of", "the").
        int j = 0;
        foreach (char c in letters)
        {
            while (j < initials.Length && initials[j] != c)
            {
                j++;
            }

            if (j == initials.Length)
            {
                return false;
            }

            j++;
        }

        return true;
    }
}
