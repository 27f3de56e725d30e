namespace Pipeline.Cleaning.Text;

/// <param name="TitleDerived">The input has no headline: the title is made from the lead sentence.</param>
internal sealed record TextExtraction(string Title, List<string> Paragraphs, string? Date, List<string> Authors, bool TitleDerived = false);

/// <summary>
/// Finds the article in a page flattened to plain text. Each line gets a score from general features (length,
/// sentence punctuation, repetition, teaser and caption patterns, position); the article is the densest run of
/// prose (maximum-sum segment), and the chrome inside it (repeated lines, captions, trailers) is dropped.
/// </summary>
internal static class ScrapedTextCleaner
{
    private static readonly string[] CaptionWords =
    [
        "photo", "photos", "image", "images", "picture", "pictures", "credit", "credits", "foto", "fotos", "ảnh", "illustration",
        "photograph", "photographs", "photographer", "graphic", "video", "source", "bild", "imagen", "immagine",
    ];

    private static readonly string[] TrailerWords =
    [
        "source", "sources", "nguồn", "fuente", "quelle", "fonte", "source(s)", "via", "tags", "tag", "topics", "filed under",
        "categories", "category", "keywords", "related", "share", "share this", "follow us", "read more", "see also",
    ];

    private static readonly string[] ChromeLines =
    [
        "advertisement", "advertisements", "advertising", "sponsored", "sponsored content", "share", "share this", "share this article",
        "tweet", "email", "print", "comments", "comment", "reply", "read more", "read next", "see more", "show more", "load more",
        "more", "next", "previous", "back to top", "subscribe", "sign in", "log in", "login", "sign up", "menu", "search", "home",
        "skip to content", "skip to main content", "close", "ad", "related", "related news", "related articles", "related stories",
        "latest news", "more news", "most read", "most popular", "trending", "recommended", "you may also like", "mobile version",
        "newsletter", "cookie", "cookies", "accept", "follow us", "facebook", "twitter", "linkedin", "whatsapp", "pinterest",
        "reddit", "instagram", "youtube", "copy link", "copied", "top", "tags", "topics", "loading", "view comments", "advert", "adverts",

        // The same in other major languages: read more, share, print, comments, reply, search, home, log in, back to top,
        // related articles, advertisement.
        "weiterlesen", "mehr lesen", "mehr", "teilen", "drucken", "kommentare", "kommentar", "antworten", "suche", "startseite",
        "anmelden", "registrieren", "nach oben", "zurück", "weiter", "anzeige", "werbung", "ähnliche artikel", "das könnte sie auch interessieren",
        "lire la suite", "lire plus", "partager", "imprimer", "commentaires", "répondre", "rechercher", "accueil", "connexion",
        "s inscrire", "retour en haut", "publicité", "articles similaires", "à lire aussi", "leer más", "seguir leyendo", "compartir",
        "imprimir", "comentarios", "responder", "buscar", "inicio", "iniciar sesión", "publicidad", "artículos relacionados",
        "leggi tutto", "leggi di più", "condividi", "stampa", "commenti", "rispondi", "cerca", "accedi", "pubblicità",
        "articoli correlati", "leia mais", "compartilhar", "comentários", "pesquisar", "início", "entrar", "publicidade",
        "artigos relacionados", "czytaj więcej", "czytaj dalej", "udostępnij", "komentarze", "odpowiedz", "szukaj",
        "strona główna", "zaloguj się", "reklama", "podobne artykuły", "lees meer", "delen", "reacties", "zoeken", "inloggen",
        "advertentie", "читать далее", "поделиться", "комментарии", "ответить", "поиск", "главная", "войти", "реклама",
        "похожие статьи", "阅读更多", "分享", "评论", "首页", "搜索", "登录", "广告", "相关文章", "続きを読む", "シェア",
        "コメント", "ホーム", "検索", "ログイン", "広告", "関連記事",

        // "See also" and "read also", the heading of a list of other stories, in the same languages.
        "see also", "read also", "also read", "more on this topic", "lesen sie auch", "siehe auch", "mehr zum thema",
        "auch interessant", "lire aussi", "voir aussi", "à lire également", "lee también", "ver también", "leggi anche",
        "vedi anche", "leia também", "veja também", "zobacz też", "zobacz także", "czytaj też", "czytaj także", "lees ook",
        "zie ook", "читайте также", "см также", "另见", "関連ニュース",
    ];

    private static readonly HashSet<string> ChromeLineSet = new(ChromeLines, StringComparer.Ordinal);

    public static bool IsChromeLine(string key) => ChromeLineSet.Contains(key);

    /// <summary>For paragraphs found in HTML: site chrome by its wording, and byline/date lines at the edges.</summary>
    public static bool IsBoilerplateParagraph(string text, bool atEdge)
    {
        var l = new Line
        {
            Text = text,
            Key = TextTools.Key(text),
            Words = TextTools.Weight(text),
            Sentence = TextTools.EndsLikeSentence(text),
        };
        if (ChromeLineSet.Contains(l.Key) || HasChromePhrase(l))
        {
            return true;
        }

        return IsCreditLine(l) || IsContactLine(l) || (atEdge && (IsMetaLine(l) || IsCaption(l)));
    }

    private sealed class Line
    {
        public required string Text { get; set; }
        public required string Key { get; init; }
        public int Words { get; init; }
        public bool Sentence { get; init; }
        public bool Drop { get; set; }
        public bool Teaser { get; set; }
        public bool Barrier { get; set; }
        public bool Meta { get; set; }
        public bool CommentBarrier { get; set; }
        public double Score { get; set; }
    }

    public static TextExtraction Clean(string text)
    {
        var lines = ReadLines(text, out var date);
        if (lines.Count == 0)
        {
            return new TextExtraction(string.Empty, [], date, []);
        }

        var counts = CountKeys(lines);
        MarkTeasers(lines);
        MarkDebris(lines, counts);
        var title = PickTitle(lines);
        var titleKey = TextTools.Key(title);
        var titleFromLead = IsLeadSentence(lines[0]);

        ScoreLines(lines, counts);
        ScoreDataRuns(lines);
        DiscountComments(lines);
        DiscountIsolatedProse(lines);

        var (start, end) = DensestRun(lines);
        (start, end) = Expand(lines, counts, start, end, titleKey);
        start = AfterTitle(lines, start, end, titleKey);
        var paragraphs = StoryParagraphs(lines, start, end, titleKey);

        if (IsWeakTitle(lines[0]) && HeadlineBefore(lines, start) is { } headline)
        {
            title = headline;
            titleFromLead = false;
        }

        var authors = ReadByline(lines, start, ref date);
        return titleFromLead
            ? new TextExtraction(LeadHeadline.FromLead(lines[0].Text), paragraphs, date, authors, TitleDerived: true)
            : new TextExtraction(title, paragraphs, date, authors);
    }

    /// <summary>Lines longer than this (a related headline is short) are never taken for a teaser's repeated headline.</summary>
    private const int MaxTeaserHeadlineWords = 30;

    /// <summary>Fewest rows of numbers, or of dated lines, that make a table or a schedule rather than stray figures.</summary>
    private const int MinDataRunLines = 4;

    /// <summary>Fewest words of a dated line in a schedule ("12 May: Berlin, Columbiahalle"); fewer is a bare date.</summary>
    private const int MinDatedRowWords = 4;

    /// <summary>Score per word of a table or schedule row: content, but not quite as sure as prose.</summary>
    private const double DataRowWeight = 0.8;

    /// <summary>Words of prose a comments heading must follow to open the comments (an early one is a page's toolbar).</summary>
    private const int MinStoryWordsBeforeComments = 80;

    /// <summary>Weight of a prose line in the comments: readers write prose too.</summary>
    private const double CommentWeight = 0.25;

    /// <summary>Weight of a prose line with no prose neighbour (teasers and comments come one at a time).</summary>
    private const double IsolatedWeight = 0.4;

    /// <summary>How many lines above the story, and below its start, a headline or byline is looked for.</summary>
    private const int HeaderLinesBefore = 12;

    private const int BylineLinesAfterStart = 3;

    /// <summary>Word count of a headline line: longer is prose, shorter is a label or navigation.</summary>
    private const int MinHeadlineWords = 4;

    private const int MaxHeadlineWords = 25;

    /// <summary>Most words of a byline or date line ("By Jane Doe, Staff Writer | Updated 12 May 2021, 07:52").</summary>
    private const int MaxBylineWords = 14;

    /// <summary>
    /// The page's lines, whitespace collapsed, empty ones gone; a leading wire date marker is read into <paramref name="date"/>.
    /// A line ends at \n, \r or \r\n (the empty line between \r and \n goes with the other empty ones). Lines are read in
    /// place: a large file is not copied again into an array of raw lines.
    /// </summary>
    private static List<Line> ReadLines(string text, out string? date)
    {
        var lines = new List<Line>(text.AsSpan().Count('\n') + 1);
        date = null;
        foreach (var range in text.AsSpan().SplitAny('\r', '\n'))
        {
            var t = TextTools.CollapseWhitespace(text.AsSpan(range));
            if (t.Length == 0)
            {
                continue;
            }

            if (lines.Count == 0 && date is null)
            {
                t = StripDateMarker(t, out date);
                if (t.Length == 0)
                {
                    continue;
                }
            }

            t = StripEndMark(t);
            lines.Add(new Line
            {
                Text = t,
                Key = TextTools.Key(t),
                Words = TextTools.Weight(t),
                Sentence = TextTools.EndsLikeSentence(t),
            });
        }

        return lines;
    }

    /// <summary>How often each line's key occurs on the page: repetition marks navigation.</summary>
    private static Dictionary<string, int> CountKeys(List<Line> lines)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var l in lines)
        {
            counts[l.Key] = counts.GetValueOrDefault(l.Key) + 1;
        }

        return counts;
    }

    /// <summary>Classifies each line as barrier (section heading), comments heading or byline/date, and scores it.</summary>
    private static void ScoreLines(List<Line> lines, Dictionary<string, int> counts)
    {
        foreach (var l in lines)
        {
            l.Barrier = IsBarrier(l, out var comments);
            l.CommentBarrier = comments;
            l.Meta = !l.Barrier && IsMetaLine(l);
            l.Score = LineScore(l, counts);
        }
    }

    /// <summary>
    /// Tables flattened to text (standings, results, prices) and dated lists (tour dates, schedules): a run of rows that
    /// are mostly numbers, or of date lines with nothing between them, is content.
    /// </summary>
    private static void ScoreDataRuns(List<Line> lines)
    {
        ScoreRuns(lines, IsDataRow);
        ScoreRuns(lines, l => l.Meta && l.Words >= MinDatedRowWords);
    }

    private static void ScoreRuns(List<Line> lines, Func<Line, bool> isRow)
    {
        for (var i = 0; i < lines.Count;)
        {
            var j = i;
            while (j < lines.Count && isRow(lines[j]))
            {
                j++;
            }

            if (j - i >= MinDataRunLines)
            {
                for (var k = i; k < j; k++)
                {
                    lines[k].Score = lines[k].Words * DataRowWeight;
                    lines[k].Meta = false;
                }
            }

            i = j == i ? i + 1 : j;
        }
    }

    /// <summary>Comments follow the story: prose after a comments heading that follows real prose counts for little.</summary>
    private static void DiscountComments(List<Line> lines)
    {
        var goodWords = 0;
        var inComments = false;
        foreach (var l in lines)
        {
            if (inComments && l.Score > 0)
            {
                l.Score *= CommentWeight;
            }
            else if (IsGood(l))
            {
                goodWords += l.Words;
            }
            else if (l.CommentBarrier && goodWords >= MinStoryWordsBeforeComments)
            {
                inComments = true;
            }
        }
    }

    /// <summary>Story paragraphs come in runs; a lone prose line between chrome lines is more likely a teaser or a comment.</summary>
    private static void DiscountIsolatedProse(List<Line> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (IsGood(lines[i]) && !IsGood(Neighbour(lines, i, -1)) && !IsGood(Neighbour(lines, i, 1)))
            {
                lines[i].Score *= IsolatedWeight;
            }
        }
    }

    /// <summary>The story's lines, without the chrome inside it, repeats, the headline and edge bylines.</summary>
    private static List<string> StoryParagraphs(List<Line> lines, int start, int end, string titleKey)
    {
        var keep = new bool[lines.Count];
        for (var i = start; i <= end; i++)
        {
            keep[i] = true;
        }

        DropChromeRuns(lines, keep, start, end);

        var paragraphs = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = start; i <= end; i++)
        {
            var l = lines[i];
            if (!keep[i] || l.Drop || l.Teaser || l.Key.Length == 0 || l.Barrier)
            {
                continue;
            }

            if (!seen.Add(l.Key))
            {
                continue; // a paragraph repeated inside the story (a lead shown twice): keep the first
            }

            if ((i == start || l.Meta) && (l.Key == titleKey || titleKey.StartsWith(l.Key, StringComparison.Ordinal)) && !l.Sentence)
            {
                continue;
            }

            if (ChromeLineSet.Contains(l.Key) || (l.Meta && (i == start || i == end)))
            {
                continue;
            }

            paragraphs.Add(l.Text);
        }

        return paragraphs;
    }

    /// <summary>
    /// When the first line is navigation ("Skip to content", "Home"), the headline is the last headline-like line before
    /// the story (a headline repeated above its story looks like a teaser; it still counts).
    /// </summary>
    private static string? HeadlineBefore(List<Line> lines, int start)
    {
        for (var i = start - 1; i >= Math.Max(0, start - HeaderLinesBefore); i--)
        {
            var l = lines[i];
            if (l.Words is >= MinHeadlineWords and <= MaxHeadlineWords && !l.Sentence && !l.Drop && !l.Barrier && !l.Meta
                && !ChromeLineSet.Contains(l.Key))
            {
                return TextTools.StripSiteSuffix(l.Text, null);
            }
        }

        return null;
    }

    /// <summary>Authors from the first byline near the story's start, and its date when the input gave none.</summary>
    private static List<string> ReadByline(List<Line> lines, int start, ref string? date)
    {
        var authors = new List<string>();
        for (var i = Math.Max(0, start - HeaderLinesBefore); i < Math.Min(lines.Count, start + BylineLinesAfterStart); i++)
        {
            var l = lines[i];
            if (l.Words > MaxBylineWords || l.Sentence)
            {
                continue;
            }

            if (authors.Count == 0)
            {
                authors.AddRange(BylineReader.Authors(l.Text));
            }

            if (date is null && l.Meta)
            {
                date = BylineReader.Date(l.Text);
            }
        }

        return authors;
    }

    /// <summary>Word count of a table row: fewer is a label, more is prose quoting figures.</summary>
    private const int MinDataRowWords = 3;

    private const int MaxDataRowWords = 30;

    /// <summary>A table row has at least this many tokens that are numbers in every <see cref="DataRowTokens"/>.</summary>
    private const int DataRowNumbers = 2;

    private const int DataRowTokens = 5;

    /// <summary>A row of a table flattened to text: a short line, not chrome, whose tokens are mostly numbers.</summary>
    private static bool IsDataRow(Line l)
    {
        if (l.Words < MinDataRowWords || l.Words > MaxDataRowWords || l.Drop || l.Teaser || l.Barrier || l.Meta)
        {
            return false;
        }

        var numbers = 0;
        var tokens = 0;
        foreach (var range in l.Key.AsSpan().Split(' '))
        {
            tokens++;
            if (char.IsAsciiDigit(l.Key[range.Start.Value]))
            {
                numbers++;
            }
        }

        return numbers * DataRowTokens >= tokens * DataRowNumbers;
    }

    /// <summary>Score of a section heading that usually ends a story ("Related", "Most read").</summary>
    private const double BarrierPenalty = -30;

    /// <summary>Score of caption, credit and trailer debris.</summary>
    private const double DebrisPenalty = -10;

    /// <summary>The nearest line in a direction that is not caption or credit debris (null line past the ends).</summary>
    private static Line? Neighbour(List<Line> lines, int i, int step)
    {
        for (var j = i + step; j >= 0 && j < lines.Count; j += step)
        {
            if (!lines[j].Drop)
            {
                return lines[j];
            }
        }

        return null;
    }

    /// <summary>A line of story prose: a sentence of some length that no filter marked.</summary>
    private static bool IsGood(Line? l) => l is not null && !l.Drop && !l.Teaser && !l.Barrier && !l.Meta && l.Words >= MinProseWords && l.Sentence;

    /// <summary>Fewest words of a line next to the run that joins it without a final stop (a lead), or with one.</summary>
    private const int MinJoiningWords = 10;

    private const int MinJoiningSentenceWords = 4;

    /// <summary>Prose-like lines next to the run (a lead without a final stop, a short last paragraph) join it.</summary>
    private static (int Start, int End) Expand(List<Line> lines, Dictionary<string, int> counts, int start, int end, string titleKey)
    {
        bool Joins(Line l) => !l.Drop && !l.Teaser && !l.Barrier && !l.Meta && counts[l.Key] == 1 && l.Key != titleKey
            && !ChromeLineSet.Contains(l.Key) && (l.Words >= MinJoiningWords || (l.Words >= MinJoiningSentenceWords && l.Sentence));
        while (start > 0 && Joins(lines[start - 1]))
        {
            start--;
        }

        while (end + 1 < lines.Count && Joins(lines[end + 1]))
        {
            end++;
        }

        return (start, end);
    }

    /// <summary>Share of the run's score within which a headline line still marks the story's start (later, it is a quote).</summary>
    private const double HeadlineSearchShare = 0.25;

    /// <summary>The headline line near the start of the run marks where the story begins: what precedes it is chrome.</summary>
    private static int AfterTitle(List<Line> lines, int start, int end, string titleKey)
    {
        if (titleKey.Length == 0)
        {
            return start;
        }

        var total = 0.0;
        for (var i = start; i <= end; i++)
        {
            total += Math.Max(0, lines[i].Score);
        }

        var before = 0.0;
        for (var i = start; i <= end; i++)
        {
            var l = lines[i];
            if (i > start && l.Key == titleKey && !l.Sentence)
            {
                return i + 1 <= end ? i + 1 : start;
            }

            before += Math.Max(0, l.Score);
            if (before > total * HeadlineSearchShare)
            {
                break;
            }
        }

        return start;
    }

    /// <summary>Fewest non-prose lines of a chrome run inside the story (one or two are a subheading and a caption).</summary>
    private const int MinChromeRunLines = 3;

    /// <summary>Inside the story, a run of non-prose lines opened by a section heading (a "Most read" box) is chrome.</summary>
    private static void DropChromeRuns(List<Line> lines, bool[] keep, int start, int end)
    {
        var i = start;
        while (i <= end)
        {
            if (IsGood(lines[i]))
            {
                i++;
                continue;
            }

            var j = i;
            var barrier = false;
            while (j <= end && !IsGood(lines[j]))
            {
                barrier |= lines[j].Barrier || ChromeLineSet.Contains(lines[j].Key) || lines[j].Teaser;
                j++;
            }

            if (barrier && j - i >= MinChromeRunLines)
            {
                for (var k = i; k < j; k++)
                {
                    keep[k] = false;
                }
            }

            i = j;
        }
    }

    /// <summary>Score of a teaser, less per word: the longer its blurb, the surer it is a list of other stories.</summary>
    private const double TeaserPenalty = -5;

    private const double TeaserPenaltyPerWord = -0.5;

    /// <summary>Score of a comments heading: the story never runs on into the comments.</summary>
    private const double CommentsPenalty = -1000;

    /// <summary>Score of a line of site chrome ("Share", "Read more"): these sit between stories and inside them.</summary>
    private const double ChromeLinePenalty = -8;

    /// <summary>Score of a byline or date line: above or below a story, rarely inside it.</summary>
    private const double MetaLinePenalty = -12;

    /// <summary>Fewest words, and score per word, of a sentence seen twice that is still story (a lead shown twice).</summary>
    private const int MinRepeatedLeadWords = 10;

    private const double RepeatedLeadWeight = 0.3;

    /// <summary>Score of another line seen twice: navigation and teasers repeat, story lines do not.</summary>
    private const double RepeatedLinePenalty = -10;

    /// <summary>Fewest words of a sentence that is prose; its score is its word count.</summary>
    private const int MinProseWords = 8;

    /// <summary>Most a single line scores, so that one huge line (a page flattened to one line) cannot carry the run.</summary>
    private const double MaxProseScore = 150;

    /// <summary>Fewest words, and score per word, of a short sentence ("He denied it."): prose, but weak evidence.</summary>
    private const int MinShortSentenceWords = 4;

    private const double ShortSentenceWeight = 0.5;

    /// <summary>Fewest words, and score per word, of a line without a final stop that is still prose (a lead, a quote).</summary>
    private const int MinUnpunctuatedProseWords = 25;

    private const double UnpunctuatedProseWeight = 0.7;

    /// <summary>Score of a line too short to be prose: a subheading or a fragment, weak evidence against the run.</summary>
    private const double FragmentPenalty = -3;

    /// <summary>Most words, and score, of a label ("Home", "World news"): navigation more likely than a subheading.</summary>
    private const int MaxLabelWords = 3;

    private const double LabelPenalty = -5;

    /// <summary>How much a line adds to the run it is in: prose by its words, each kind of chrome by a penalty.</summary>
    private static double LineScore(Line l, Dictionary<string, int> counts)
    {
        if (l.Teaser)
        {
            return TeaserPenalty + (l.Words * TeaserPenaltyPerWord);
        }

        if (l.Drop)
        {
            return DebrisPenalty; // captions and credits sit inside stories: dropped, but weak evidence against the run
        }

        if (l.Barrier)
        {
            return l.CommentBarrier ? CommentsPenalty : BarrierPenalty;
        }

        if (ChromeLineSet.Contains(l.Key))
        {
            return ChromeLinePenalty;
        }

        if (l.Meta)
        {
            return MetaLinePenalty;
        }

        var repeated = counts[l.Key] > 1;
        if (repeated)
        {
            return l.Words >= MinRepeatedLeadWords && l.Sentence ? l.Words * RepeatedLeadWeight : RepeatedLinePenalty;
        }

        if (l.Sentence)
        {
            return l.Words >= MinProseWords ? Math.Min(l.Words, MaxProseScore)
                : l.Words >= MinShortSentenceWords ? l.Words * ShortSentenceWeight
                : FragmentPenalty;
        }

        if (l.Words >= MinUnpunctuatedProseWords)
        {
            return l.Words * UnpunctuatedProseWeight;
        }

        return l.Words <= MaxLabelWords ? LabelPenalty : FragmentPenalty;
    }

    private static readonly string[] SectionWords =
    [
        "related", "more", "latest", "recommended", "popular", "trending", "most", "top", "read", "see", "also", "editor", "editors",
        "you", "other", "sponsored", "around", "previous", "next", "prev", "newer", "older", "post", "share", "sharing", "tags",
        "tagged", "filed", "categories", "category", "about", "subscribe", "newsletter", "sign", "follow", "comments", "comment",
        "leave", "join", "reply", "responses", "discussion", "promoted", "recent", "further", "continue", "explore", "discover",
        "featured", "don", "we", "partner", "advertisement", "ad", "ads", "watch", "view", "click", "topics",
    ];

    private static readonly HashSet<string> SectionWordSet = new(SectionWords, StringComparer.Ordinal);

    private static readonly string[] CommentWords = ["comment", "comments", "responses", "replies", "reply", "discussion", "votes", "likes"];

    /// <summary>Most words of a section or comments heading ("Leave a reply", "Most read this week"); more is prose.</summary>
    private const int MaxBarrierWords = 7;

    /// <summary>Most words of a heading with a comment word that opens the comments ("34 comments", "Leave a comment").</summary>
    private const int MaxCommentsHeadingWords = 5;

    /// <summary>Most words of a heading opened by a section word ("More from sport") that ends a story.</summary>
    private const int MaxSectionHeadingWords = 6;

    /// <summary>Section headings that end a story (related lists, comments, tags, share bars) and comment bylines.</summary>
    private static bool IsBarrier(Line l, out bool comments)
    {
        comments = false;
        if (l.Words > MaxBarrierWords || (l.Sentence && !l.Text.EndsWith(':')))
        {
            return false;
        }

        var key = l.Key;
        var space = key.IndexOf(' ', StringComparison.Ordinal);
        var first = space < 0 ? key : key[..space];
        if (first.Length > 0 && char.IsAsciiDigit(first[0]) && space > 0)
        {
            // "34 Comments", "[ 167 comments ]"
            var rest = key[(space + 1)..];
            var second = rest.Split(' ')[0];
            comments = Array.IndexOf(CommentWords, second) >= 0;
            return comments;
        }

        if (l.Text.EndsWith("says:", StringComparison.OrdinalIgnoreCase) || l.Text.EndsWith("wrote:", StringComparison.OrdinalIgnoreCase))
        {
            comments = true;
            return true;
        }

        foreach (var w in key.Split(' '))
        {
            if (Array.IndexOf(CommentWords, w) >= 0)
            {
                comments = l.Words <= MaxCommentsHeadingWords;
                return true;
            }
        }

        return SectionWordSet.Contains(first) && l.Words <= MaxSectionHeadingWords && !l.Sentence;
    }

    private static readonly string[] Months =
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february", "march",
        "april", "june", "july", "august", "september", "october", "november", "december",
    ];

    private static readonly HashSet<string> MonthSet = new(Months, StringComparer.Ordinal);

    /// <summary>Words that mark a date or time as a stamp: "am", "pm", "updated", "published", "posted".</summary>
    private static readonly string[] TimeMarkers = ["am", "pm", "updated", "published", "posted"];

    /// <summary>Number tokens of a line with a colon that make it a time ("07:52": hours and minutes).</summary>
    private const int MinTimeDigitTokens = 2;

    /// <summary>Most words of a dated line ending as a sentence that is still a dateline ("Updated 12 May 2021.").</summary>
    private const int MaxDatedSentenceWords = 8;

    /// <summary>Most tokens of a byline without a date ("By Jane Doe and John Roe").</summary>
    private const int MaxBylineTokens = 6;

    /// <summary>Byline, date and time lines ("Posted by X on November 19, 2019", "2 days ago at 07:52 am").</summary>
    private static bool IsMetaLine(Line l)
    {
        if (l.Words > MaxBylineWords)
        {
            return false;
        }

        var key = l.Key;
        var tokens = key.Split(' ');
        var digits = 0;
        var month = false;
        var ago = false;
        foreach (var t in tokens)
        {
            if (t.Length > 0 && char.IsAsciiDigit(t[0]))
            {
                digits++;
            }
            else if (MonthSet.Contains(t))
            {
                month = true;
            }
            else if (t == "ago" || TimeMarkers.Contains(t))
            {
                ago = true;
            }
        }

        var hasTime = l.Text.Contains(':', StringComparison.Ordinal) && digits >= MinTimeDigitTokens;
        if ((month && digits >= 1) || (ago && digits >= 1) || hasTime || IsNumericDate(l.Text))
        {
            return !l.Sentence || l.Words <= MaxDatedSentenceWords;
        }

        return tokens.Length <= MaxBylineTokens && tokens[0] is "by" or "posted" or "written" or "author" && !l.Sentence;
    }

    /// <summary>A numeric date has three parts (two separators) and ends in a part of two digits or more ("21/06/2014").</summary>
    private const int MinDateSeparators = 2;

    private const int MinDatePartDigits = 2;

    private static bool IsNumericDate(string text)
    {
        // 21/06/2014, 2019-11-20, 20.11.2019
        var run = 0;
        var separators = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                run++;
            }
            else if (c is '/' or '-' or '.' && run > 0)
            {
                separators++;
                run = 0;
            }
            else
            {
                if (separators >= MinDateSeparators && run >= MinDatePartDigits)
                {
                    return true;
                }

                run = 0;
                separators = 0;
            }
        }

        return separators >= MinDateSeparators && run >= MinDatePartDigits;
    }

    /// <summary>Maximum-sum contiguous run of line scores.</summary>
    private static (int Start, int End) DensestRun(List<Line> lines)
    {
        double best = double.MinValue, current = 0;
        int bestStart = 0, bestEnd = lines.Count - 1, currentStart = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (current <= 0)
            {
                current = 0;
                currentStart = i;
            }

            current += lines[i].Score;
            if (current > best)
            {
                best = current;
                bestStart = currentStart;
                bestEnd = i;
            }
        }

        return best <= 0 ? (0, lines.Count - 1) : (bestStart, bestEnd);
    }

    /// <summary>
    /// Related-news lists repeat each headline (link text, then image alt or heading) and follow it with a teaser
    /// paragraph: a line equal to the line before it starts a teaser; the next line is its blurb.
    /// </summary>
    private static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "To", "In", "At", "Of", "For", "On", "With", "And", "The", "A", "An", "From", "By", "As", "Into", "Over", "After", "Is", "Are",
    };

    /// <summary>Fewest words of a headline run into its blurb: a headline alone is shorter.</summary>
    private const int MinHeadlineWithBlurbWords = 10;

    /// <summary>
    /// Most words of a headline run into its blurb: a teaser's blurb is a sentence or two, and a longer line is a
    /// paragraph opened by a run-in heading or a time stamp ("Jul 13, 2009 01: 40 PM As the country's politicos...").
    /// </summary>
    private const int MaxHeadlineWithBlurbWords = 50;

    /// <summary>Fewest capitalised words opening a headline run into its blurb (a sentence opens with one or two).</summary>
    private const int MinHeadlineCapitalisedWords = 5;

    private static readonly HashSet<string> StampWords = new(
        [.. TimeMarkers, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", .. Months],
        StringComparer.Ordinal);

    /// <summary>"wednesday", "september": a longer word is no <see cref="StampWords"/> word.</summary>
    private const int LongestStampWord = 9;

    /// <summary>Most letters of a time zone's abbreviation in a time stamp ("EST", "CEST").</summary>
    private const int MaxZoneLetters = 4;

    /// <summary>
    /// A headline run into its blurb ("Harvick Fails To Rally Ford In Finale Ford flopped at the track."): the line opens
    /// with five or more capitalised words including a capitalised function word, which prose never does. A time stamp
    /// before a lead ("Monday, July 22, 2013 A man has been charged...") is not part of that opening.
    /// </summary>
    private static bool IsHeadlineWithBlurb(Line l)
    {
        if (l.Words is < MinHeadlineWithBlurbWords or > MaxHeadlineWithBlurbWords)
        {
            return false;
        }

        var capitalised = 0;
        var function = false;
        var index = 0;
        var stamp = 0;
        foreach (var range in l.Text.AsSpan().Split(' '))
        {
            var w = l.Text.AsSpan()[range].Trim("\"'“‘(");
            if (w.Length == 0)
            {
                continue;
            }

            if (index == 0 && IsStampWord(w, stamp))
            {
                stamp++;
                continue;
            }

            if (!char.IsUpper(w[0]) && !char.IsDigit(w[0]) && w[0] != '$')
            {
                break;
            }

            if (index > 0 && FunctionWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(w))
            {
                function = true;
            }

            capitalised++;
            index++;
        }

        return capitalised >= MinHeadlineCapitalisedWords && function && capitalised < l.Words - stamp;
    }

    /// <summary>A word of a time stamp: a number, a month, a weekday, "am", "updated"; after one of those, a time zone.</summary>
    private static bool IsStampWord(ReadOnlySpan<char> word, int stampWords)
    {
        var w = word.Trim(",:;|.-@");
        if (w.Length == 0 || char.IsAsciiDigit(w[0]))
        {
            return true;
        }

        Span<char> lower = stackalloc char[LongestStampWord];
        return (w.Length <= LongestStampWord && StampWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(lower[..w.ToLowerInvariant(lower)]))
            || (stampWords > 0 && w.Length <= MaxZoneLetters && !w.ContainsAnyExceptInRange('A', 'Z'));
    }

    private static void MarkTeasers(List<Line> lines)
    {
        foreach (var l in lines)
        {
            if (IsHeadlineWithBlurb(l))
            {
                l.Teaser = true;
            }
        }

        for (var i = 1; i < lines.Count; i++)
        {
            if (lines[i].Key.Length == 0 || lines[i].Key != lines[i - 1].Key || lines[i].Words > MaxTeaserHeadlineWords)
            {
                continue;
            }

            lines[i].Teaser = true;
            lines[i - 1].Teaser = true;
            if (i + 1 < lines.Count && lines[i + 1].Key != lines[i].Key
                && (i + 2 >= lines.Count || lines[i + 2].Key != lines[i + 1].Key || lines[i + 1].Words > MaxTeaserHeadlineWords))
            {
                lines[i + 1].Teaser = true;
            }
        }
    }

    /// <summary>Most words of the line above a photo credit taken for its caption (a longer one is story prose).</summary>
    private const int MaxCaptionAboveCreditWords = 30;

    private static void MarkDebris(List<Line> lines, Dictionary<string, int> counts)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            if (IsCaption(l) || IsTrailer(l) || IsDomainLine(l.Text) || IsPrefixedRepeat(l, counts) || HasChromePhrase(l) || IsContactLine(l))
            {
                l.Drop = true;
            }
            else if (IsCreditLine(l))
            {
                // "Name/Agency/Getty Images" under a photo: the line before it is the photo's caption.
                l.Drop = true;
                if (i > 0 && lines[i - 1].Words <= MaxCaptionAboveCreditWords && !lines[i - 1].Drop)
                {
                    lines[i - 1].Drop = true;
                }
            }
        }
    }

    /// <summary>Word count of a photo credit: a name and an agency at least, a few names at most (longer is prose).</summary>
    private const int MinCreditWords = 2;

    private const int MaxCreditWords = 9;

    /// <summary>A photo credit: a short line of names joined by slashes, without sentence punctuation.</summary>
    internal static bool IsCreditLine(string text) => IsCreditLine(new Line { Text = text, Key = TextTools.Key(text), Words = TextTools.CountWords(text) });

    private static bool IsCreditLine(Line l)
    {
        if (l.Words > MaxCreditWords || l.Words < MinCreditWords || TextTools.EndsLikeSentence(l.Text))
        {
            return false;
        }

        var slash = l.Text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash >= l.Text.Length - 1 || l.Text.Contains("://", StringComparison.Ordinal))
        {
            return false;
        }

        // Names on both sides of the slash start with capitals ("Sakib Ali/Hindustan Times").
        return char.IsUpper(l.Text[0]) && char.IsUpper(l.Text[slash + 1]) && !l.Text.Contains(' ' + "/", StringComparison.Ordinal);
    }

    private static readonly string[] SocialNames = ["facebook", "twitter", "instagram", "youtube", "linkedin", "pinterest", "whatsapp", "tiktok", "telegram"];

    /// <summary>Most words of a contact line; a longer line naming an address or networks is prose about them.</summary>
    private const int MaxContactWords = 20;

    /// <summary>Most words of a line with an e-mail address that is a contact line ("Write to X at x@example.com").</summary>
    private const int MaxEmailLineWords = 12;

    /// <summary>Fewest social networks a line names to be a "follow us" line (one is a story mentioning it).</summary>
    private const int MinSocialNames = 2;

    /// <summary>"Write to X at x@example.com", "Follow us on Facebook, Twitter and Instagram".</summary>
    private static bool IsContactLine(Line l)
    {
        if (l.Words > MaxContactWords)
        {
            return false;
        }

        if (l.Text.Contains('@', StringComparison.Ordinal) && l.Text.Contains('.', StringComparison.Ordinal) && l.Words <= MaxEmailLineWords)
        {
            var at = l.Text.IndexOf('@', StringComparison.Ordinal);
            if (at > 0 && char.IsLetterOrDigit(l.Text[at - 1]))
            {
                return true;
            }
        }

        var social = 0;
        foreach (var name in SocialNames)
        {
            if (l.Key.Contains(name, StringComparison.Ordinal))
            {
                social++;
            }
        }

        return social >= MinSocialNames;
    }

    // In key form (lower case, words only, single spaces).
    private static readonly string[] ChromePhrases =
    [
        "subscribe to", "our newsletter", "sign up for", "sign up to", "uses cookies", "use cookies", "cookie policy", "privacy policy",
        "terms of use", "terms of service", "all rights reserved", "click here", "enable javascript", "requires javascript",
        "follow us on", "share this article", "share on facebook", "download our app", "download the app", "opens in new window",
        "open in new window", "rights reserved", "advertisement", "skip to content", "your browser", "unsubscribe at any time",
        "no spam",

        // The same in other major languages: newsletters, cookies, privacy, terms, rights reserved, follow us.
        "newsletter abonnieren", "verwendet cookies", "nutzt cookies", "datenschutzerklärung", "alle rechte vorbehalten",
        "folgen sie uns", "utilise des cookies", "politique de confidentialité", "tous droits réservés", "suivez nous",
        "utiliza cookies", "usa cookies", "política de privacidad", "todos los derechos reservados", "síguenos",
        "utilizza cookie", "tutti i diritti riservati", "seguici su", "política de privacidade", "todos os direitos reservados",
        "używa plików cookie", "wszelkie prawa zastrzeżone", "polityka prywatności", "alle rechten voorbehouden",
        "все права защищены", "版权所有", "無断転載",
    ];

    /// <summary>Most words of a line a site-service phrase makes chrome; a longer line quoting one is prose.</summary>
    private const int MaxChromePhraseWords = 30;

    /// <summary>Most words of a line with a © inside it that is a copyright notice (a longer one is prose mentioning ©).</summary>
    private const int MaxCopyrightLineWords = 12;

    /// <summary>Short lines made of site-service phrases (newsletter, cookies, copyright, share, app) are chrome.</summary>
    private static bool HasChromePhrase(Line l)
    {
        if (l.Words > MaxChromePhraseWords)
        {
            return false;
        }

        var key = l.Key;
        foreach (var phrase in ChromePhrases)
        {
            if (key.Contains(phrase, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return l.Text.StartsWith('©') || (l.Words <= MaxCopyrightLineWords && l.Text.Contains('©', StringComparison.Ordinal));
    }

    /// <summary>Longest key checked for a prefixed repeat: bounds the work, and a repeated headline is short.</summary>
    private const int MaxPrefixedRepeatChars = 400;

    /// <summary>Most tokens a prefixed repeat adds to the line it repeats ("image 1", "photo gallery").</summary>
    private const int MaxRepeatExtraTokens = 3;

    /// <summary>Fewest words of the repeated line (one or two words recur in prose by chance).</summary>
    private const int MinRepeatedWords = 3;

    /// <summary>A line that is another line of the page plus at most three short tokens ("Headline image 1").</summary>
    private static bool IsPrefixedRepeat(Line l, Dictionary<string, int> counts)
    {
        var key = l.Key;
        if (key.Length > MaxPrefixedRepeatChars)
        {
            return false;
        }

        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        var prefix = key.AsSpan();
        for (var extra = 1; extra <= MaxRepeatExtraTokens; extra++)
        {
            var cut = prefix.LastIndexOf(' ');
            if (cut <= 0)
            {
                return false;
            }

            prefix = prefix[..cut];
            if (prefix.Count(' ') < MinRepeatedWords - 1)
            {
                return false; // the remaining line must have three words at least
            }

            if (lookup.ContainsKey(prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly HashSet<string> CaptionWordSet = new(CaptionWords, StringComparer.Ordinal);

    /// <summary>Most words after "Credit:" closing a caption (an agency or a name or two); more is a sentence about credit.</summary>
    private const int MaxCreditTailWords = 6;

    /// <summary>Most words of a caption found by a photo marker: captions are a sentence or two.</summary>
    private const int MaxCaptionWords = 50;

    /// <summary>Most words of a caption whose photo marker is not at its start ("... . Photo: X", "(AP Photo/X)").</summary>
    private const int MaxCaptionWithInnerMarkerWords = 40;

    /// <summary>Most words of a caption label line ("Image caption ...", "Photo: Agency").</summary>
    private const int MaxCaptionLabelWords = 12;

    /// <summary>A caption label's colon comes within this many characters ("Image credit:"); later, it is a sentence's.</summary>
    private const int MaxCaptionLabelChars = 30;

    private static bool IsCaption(Line l)
    {
        var t = l.Text.AsSpan().TrimEnd();
        // "... Credit: Agency" closing a caption.
        var credit = t.LastIndexOf("Credit:", StringComparison.OrdinalIgnoreCase);
        if (credit > 0 && TextTools.CountWords(t[credit..]) <= MaxCreditTailWords)
        {
            return true;
        }

        // "... (Photo: Agency)" / "... (Photo courtesy of X)" at the end of a line.
        if (t.Length > 2 && t[^1] == ')')
        {
            var open = t.LastIndexOf('(');
            if (open >= 0 && CaptionWordSet.Contains(TextTools.Key(t[(open + 1)..], 1)))
            {
                return true;
            }
        }

        if (l.Words <= MaxCaptionWords)
        {
            var key = l.Key;
            foreach (var marker in (ReadOnlySpan<string>)["photograph by", "photo by", "photo credit", "photos by", "image by", "image courtesy", "photo courtesy", "ap photo"])
            {
                var at = key.IndexOf(marker, StringComparison.Ordinal);
                if (at == 0 || (at > 0 && l.Words <= MaxCaptionWithInnerMarkerWords && (l.Text.Contains(". Photo", StringComparison.Ordinal) || l.Text.Contains("(AP Photo", StringComparison.Ordinal))))
                {
                    return true;
                }
            }

            if (l.Words <= MaxCaptionLabelWords && (key.StartsWith("image caption", StringComparison.Ordinal) || key.StartsWith("image copyright", StringComparison.Ordinal)
                || key.StartsWith("media caption", StringComparison.Ordinal) || key.StartsWith("photo caption", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        // "Photo: Agency" or "Image credit: X" as a short line of its own.
        if (l.Words <= MaxCaptionLabelWords)
        {
            var colon = t.IndexOf(':');
            if (colon > 0 && colon < MaxCaptionLabelChars)
            {
                var space = l.Key.IndexOf(' ', StringComparison.Ordinal);
                return CaptionWordSet.Contains(space < 0 ? l.Key : l.Key[..space]);
            }
        }

        return false;
    }

    /// <summary>Most words of a trailer line ("Related: another story's headline"); longer is prose with a colon.</summary>
    private const int MaxTrailerWords = 20;

    /// <summary>A trailer's label ends within this many characters ("Read more:", "Filed under:").</summary>
    private const int MaxTrailerLabelChars = 20;

    /// <summary>Most words of a line opened by a source or tag label ("Source: Reuters"); more is a sentence.</summary>
    private const int MaxLabelledTrailerWords = 8;

    private static bool IsTrailer(Line l)
    {
        if (l.Words > MaxTrailerWords)
        {
            return false;
        }

        var colon = l.Text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon > MaxTrailerLabelChars)
        {
            return false;
        }

        var head = TextTools.Key(l.Text.AsSpan(0, colon));
        if (head is "related" or "read more" or "see also" or "also read" or "read also" or "more" or "recommended" or "watch" or "listen")
        {
            return true; // "Related: <another story's headline>"
        }

        return l.Words <= MaxLabelledTrailerWords && Array.IndexOf(TrailerWords, head) >= 0;
    }

    /// <summary>Length of a bare domain or URL line: the shortest domain ("a.io"), a long URL at most.</summary>
    private const int MinDomainChars = 4;

    private const int MaxDomainChars = 200;

    /// <summary>Length of a top-level domain ("io" to "museum"); other letters after a dot are a word or a file type.</summary>
    private const int MinTldChars = 2;

    private const int MaxTldChars = 6;

    /// <summary>A bare domain or URL on a line of its own ("en.example.com", "https://x.org/a").</summary>
    internal static bool IsDomainLine(string text)
    {
        var t = text.AsSpan().Trim();
        if (t.Length < MinDomainChars || t.Length > MaxDomainChars || t.Contains(' '))
        {
            return false;
        }

        if (t.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || t.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || t.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var dot = t.LastIndexOf('.');
        if (dot <= 0 || dot >= t.Length - 2)
        {
            return false;
        }

        var tld = t[(dot + 1)..].TrimEnd('/');
        foreach (var c in tld)
        {
            if (!char.IsAsciiLetterLower(c))
            {
                return false;
            }
        }

        foreach (var c in t)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '/'))
            {
                return false;
            }
        }

        return tld.Length is >= MinTldChars and <= MaxTldChars;
    }

    /// <summary>Most words of a first line too short to be the headline ("Home", "World news").</summary>
    private const int MaxWeakTitleWords = 3;

    private static bool IsWeakTitle(Line first) =>
        first.Words <= MaxWeakTitleWords || first.Drop || first.Barrier || ChromeLineSet.Contains(first.Key);

    /// <summary>Most words of a first line that is a headline; a longer one is the story's lead.</summary>
    private const int MaxTitleLineWords = 30;

    /// <summary>A first line this long is the story's lead, not a headline.</summary>
    private static bool IsLeadSentence(Line first) => first.Words > MaxTitleLineWords;

    /// <summary>Where a lead's first sentence may end to serve as the title: later than a fragment, sooner than a paragraph.</summary>
    private const int MinLeadTitleChars = 20;

    private const int MaxLeadTitleChars = 250;

    /// <summary>Length a lead is cut to for the title when its first sentence runs too long.</summary>
    private const int LeadTitleCutChars = 200;

    /// <summary>The first line, unless it is prose; a page title's site suffix is removed.</summary>
    private static string PickTitle(List<Line> lines)
    {
        var first = lines[0];
        var text = first.Text;
        if (IsLeadSentence(first))
        {
            // A story with no headline line: its first sentence stands in.
            var end = text.IndexOfAny(['.', '!', '?']);
            text = end > MinLeadTitleChars && end < MaxLeadTitleChars ? text[..(end + 1)] : text[..Math.Min(text.Length, LeadTitleCutChars)];
        }

        return TextTools.StripSiteSuffix(text, null);
    }

    /// <summary>Wire metadata marker " date 2020-12-03 " at the very start.</summary>
    private static string StripDateMarker(string line, out string? date)
    {
        date = null;
        var span = line.AsSpan();
        if (span.StartsWith("date ", StringComparison.OrdinalIgnoreCase) && span.Length >= 15)
        {
            var candidate = span.Slice(5, 10);
            if (DateTime.TryParseExact(candidate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out _) && (span.Length == 15 || span[15] == ' '))
            {
                date = candidate.ToString();
                return span[15..].Trim().ToString();
            }
        }

        return line;
    }

    /// <summary>Wire stories end with "./." (Vietnamese agencies) or similar end marks.</summary>
    private static string StripEndMark(string line)
    {
        if (!line.EndsWith("/.", StringComparison.Ordinal))
        {
            return line;
        }

        var body = line.EndsWith("./.", StringComparison.Ordinal) ? line[..^3].TrimEnd() : line[..^2].TrimEnd();
        return body.Length == 0 || TextTools.EndsLikeSentence(body) ? body : body + ".";
    }
}
