using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Extraction.Analysis;
using Pipeline.Extraction.Ner;
using Pipeline.Extraction.Text;

namespace Pipeline.Extraction;

/// <summary>Everything the extract stage finds, with the richer structure <see cref="DocumentAnalysis"/> flattens.</summary>
/// <param name="Analysis">The contract record: dateline, publication date, mentions (with canonical names and roles), keywords, summary.</param>
/// <param name="Entities">One per entity: canonical name, type, aliases, roles, mentions and count.</param>
/// <param name="Dates">Date expressions of the text, resolved to ISO dates against the story's date.</param>
/// <param name="Keywords">Key phrases ranked by TextRank, best first.</param>
public sealed record ExtractionResult(
    DocumentAnalysis Analysis,
    IReadOnlyList<Entity> Entities,
    IReadOnlyList<ResolvedDate> Dates,
    IReadOnlyList<Keyword> Keywords);

/// <summary>
/// The extract stage: dateline, dates, named entities (an averaged-perceptron tagger trained on CoNLL-2003 and
/// built into the assembly; in accurate mode a BiLSTM-CNN-CRF ensembled with it, see <see cref="ExtractionModel"/>),
/// roles, aliases and coreference, key phrases and an extractive summary.
/// Thread-safe: one instance serves any number of callers.
/// </summary>
public sealed class EntityExtractor
{
    private const string ModelResource = "Pipeline.Extraction.Models.ner.model";
    private const string Stage2Resource = "Pipeline.Extraction.Models.ner-stage2.model";
    private const string MemoryResource = "Pipeline.Extraction.Models.ner-memory.model";
    private const string NeuralResource = "Pipeline.Extraction.Models.bilstm-crf.model";
    private static readonly Lazy<(NerTagger Tagger, TimeSpan LoadTime)> Shared = new(LoadEmbedded);
    private static readonly Lazy<NeuralTagger> SharedNeural = new(LoadEmbeddedNeural);

    /// <summary>
    /// The most characters of a text that are analysed: a longer one (a book, a data dump) is analysed up to a line
    /// break or space before this, so that time and memory stay bounded; the rest of it gets no mentions. About
    /// 150,000 words, a hundred long news stories.
    /// </summary>
    public const int MaxAnalysedLength = 1_000_000;

    private readonly NerTagger _perceptron;
    private readonly IEntityTagger _tagger;

    private EntityExtractor(NerTagger perceptron, IEntityTagger tagger)
    {
        _perceptron = perceptron;
        _tagger = tagger;
    }

    /// <summary>The extractor with the built-in fast model; the model is loaded once per process.</summary>
    public static EntityExtractor CreateDefault() => new(Shared.Value.Tagger, Shared.Value.Tagger);

    /// <summary>The extractor with the built-in model of that kind; each model is loaded once per process.</summary>
    public static EntityExtractor Create(ExtractionModel model) => model switch
    {
        ExtractionModel.Fast => CreateDefault(),
        ExtractionModel.Accurate => new(Shared.Value.Tagger, SharedNeural.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "no such extraction model"),
    };

    /// <summary>How long loading the built-in model and gazetteers took (the first <see cref="CreateDefault"/>).</summary>
    public static TimeSpan ModelLoadTime => Shared.Value.LoadTime;

    /// <summary>An extractor with a model file of one's own (training and evaluation).</summary>
    public static EntityExtractor FromModelFile(string modelPath)
    {
        NerModel model;
        NerModel? stage2 = null;
        using (var file = File.OpenRead(modelPath))
        {
            model = NerModel.Load(file);
        }

        string second = NerTrainer.Stage2Path(modelPath);
        if (File.Exists(second))
        {
            using var file = File.OpenRead(second);
            stage2 = NerModel.Load(file);
        }

        EntityMemory? memory = null;
        if (File.Exists(NerTrainer.MemoryPath(modelPath)))
        {
            using var file = File.OpenRead(NerTrainer.MemoryPath(modelPath));
            memory = EntityMemory.Load(file);
        }

        var tagger = new NerTagger(model, stage2, Lexicon.LoadEmbedded(), memory);
        return new EntityExtractor(tagger, tagger);
    }

    /// <summary>The perceptron tagger, whose gazetteers and entity memory the accurate model uses too (benchmarks).</summary>
    public NerTagger Tagger => _perceptron;

    /// <summary>The tagger this extractor runs: <see cref="Tagger"/>, or the neural one in accurate mode (benchmarks).</summary>
    public IEntityTagger EntityTagger => _tagger;

    public DocumentAnalysis Extract(string text, string? publishedOn = null) => Analyze(text, publishedOn).Analysis;

    /// <summary><see cref="Extract(string, string?)"/> with the title tagged too, so that a name only in a headline is found.</summary>
    public DocumentAnalysis Extract(string text, string? publishedOn, string? title) => Analyze(text, publishedOn, title).Analysis;

    /// <summary>The full analysis: <see cref="Extract(string, string?)"/>'s record plus entities, resolved dates and scored key phrases.</summary>
    /// <param name="title">When given, tagged as a text of its own: <see cref="DocumentAnalysis.TitleEntities"/>, offsets into it.</param>
    public ExtractionResult Analyze(string text, string? publishedOn = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = AnalysedPart(text);
        var hint = Dates.ParseIso(publishedOn);
        var (dateline, _) = DatelineParser.Parse(text, hint);
        var reference = hint ?? Dates.ParseIso(dateline?.Date);
        string? published = reference is { } r ? Dates.Iso(r) : null;

        var (sentences, tokens, mentions, entities) = Tag(text, dateline);
        var byStart = entities.SelectMany(e => e.Mentions).OrderBy(m => m.Start).ToList();
        var dates = Dates.Find(text, reference);
        // Key phrases do not cut through names: each mention is a segment of its own.
        var segment = new int[tokens.Count];
        int id = 1;
        foreach (var m in mentions.OrderBy(m => m.First))
        {
            id++;
            for (int t = m.First; t <= m.Last && t < segment.Length; t++)
            {
                segment[t] = id;
            }
        }

        var keywords = KeyPhrases.Rank(text, tokens, sentences, 10, segment);
        string summary = KeyPhrases.Summarise(text, tokens, sentences, dateline?.End ?? 0);
        List<EntityMention>? titleEntities = null;
        if (!string.IsNullOrWhiteSpace(title))
        {
            bool titleCase = IsTitleCase(title);
            string tagged = titleCase ? SentenceCase(AnalysedPart(title), text) : AnalysedPart(title);
            var titleTagged = Tag(tagged, null).Entities.SelectMany(e => e.Mentions).ToList();
            entities = NamedInFullByTitle(entities, titleTagged);
            byStart = entities.SelectMany(e => e.Mentions).OrderBy(m => m.Start).ToList();
            titleEntities = TitleMentions(title, titleCase, titleTagged, byStart);
        }

        var analysis = new DocumentAnalysis(dateline, published, byStart, keywords.Select(k => k.Phrase).ToList(), summary, titleEntities);
        return new ExtractionResult(analysis, entities, dates, keywords);
    }

    /// <summary>Tokens, the tagger's mentions with their roles, and the document's entities (coreference within the text).</summary>
    private (Sentence[] Sentences, List<Token> Tokens, List<Mention> Mentions, List<Entity> Entities) Tag(string text, Dateline? dateline)
    {
        var (words, sentences, tokens) = NerTrainer.Prepare(text);
        var labels = _tagger.Tag(words, sentences);
        var sentenceOf = new int[words.Length];
        for (int s = 0; s < sentences.Length; s++)
        {
            for (int i = sentences[s].First; i < sentences[s].End; i++)
            {
                sentenceOf[i] = s;
            }
        }

        var mentions = MentionRules.Build(text, words, tokens, sentences, labels, dateline, _tagger.Lexicon);
        Roles.Attach(words, sentences, sentenceOf, mentions);
        var entities = Coreference.Resolve(mentions);
        return (sentences, tokens, mentions, entities);
    }

    /// <summary>
    /// A headline in Title Case ("Obama Overturns Bush Ruling On Species") as a sentence would write it: a capitalised
    /// word keeps its capital where it is the first word, where the body writes it so, or where a gazetteer knows it as a
    /// name; otherwise the tagger takes every capitalised verb and noun for part of a name. Same length, same offsets.
    /// </summary>
    private string SentenceCase(string title, string body)
    {
        var cased = title.ToCharArray();
        int first = -1;
        for (int i = 0; i < title.Length;)
        {
            if (!char.IsLetter(title[i]))
            {
                i++;
                continue;
            }

            int end = i;
            while (end < title.Length && (char.IsLetter(title[end]) || title[end] == '\''))
            {
                end++;
            }

            string word = title[i..end];
            first = first < 0 ? i : first;
            bool capitalisedOnly = char.IsUpper(word[0]) && word.Skip(1).All(c => !char.IsUpper(c));
            if (i != first && capitalisedOnly && !ContainsWord(body, word) && !IsGazetteerName(word))
            {
                cased[i] = char.ToLowerInvariant(word[0]);
            }

            i = end;
        }

        return new string(cased);
    }

    private bool IsGazetteerName(string word) => (_tagger.Lexicon.Kinds([word]) & ~(1 << (int)GazetteerKind.Title)) != 0;

    private static bool IsTitleCase(string title)
    {
        var words = title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Any(char.IsLetter)).ToList();
        return words.Count > 0 && words.Count(w => char.IsUpper(w.First(char.IsLetter))) >= 0.6 * words.Count;
    }

    /// <summary>
    /// The title's mentions, offsets into the title. A headline in Title Case ("Obama Overturns Bush Ruling") leads
    /// the tagger to run names into the words around them, so there a mention that holds a name of the text is cut
    /// down to that name. A name of the text the tagger left out of the title is a mention too: a headline is a short
    /// sentence without context ("Colts clinch playoff spot"), where the body says what "Colts" is.
    /// </summary>
    private static List<EntityMention> TitleMentions(
        string title, bool titleCase, IEnumerable<EntityMention> tagged, IReadOnlyList<EntityMention> body)
    {
        var names = body.Where(m => m.Text.Length > 1).DistinctBy(m => m.Text).OrderByDescending(m => m.Text.Length).ToList();
        var mentions = new List<EntityMention>();
        foreach (var mention in tagged)
        {
            var inner = titleCase ? names.FirstOrDefault(n => n.Text.Length < mention.Text.Length && ContainsWord(mention.Text, n.Text)) : null;
            if (inner is null)
            {
                mentions.Add(mention);
                continue;
            }

            int start = mention.Start + mention.Text.IndexOf(inner.Text, StringComparison.Ordinal);
            mentions.Add(new EntityMention(inner.Type, inner.Text, start, start + inner.Text.Length, inner.Canonical, inner.Roles));
        }

        foreach (var name in names)
        {
            foreach (int start in WordOccurrences(title, name.Text))
            {
                int end = start + name.Text.Length;
                if (!mentions.Any(m => m.Start < end && start < m.End))
                {
                    mentions.Add(new EntityMention(name.Type, name.Text, start, end, name.Canonical, name.Roles));
                }
            }
        }

        return [.. mentions.OrderBy(m => m.Start)];
    }

    /// <summary>
    /// A person the text calls by one name only ("Lindsay", "Lohan") whom the headline names in full ("Lindsay Lohan
    /// Checks Out Of Rehab") goes by the full name: the headline is part of the report.
    /// </summary>
    private static List<Entity> NamedInFullByTitle(List<Entity> entities, List<EntityMention> title)
    {
        var fullNames = title.Where(m => m.Type == EntityTypes.Person).Select(m => Coreference.Words(m.Text))
            .Where(Coreference.IsFullName).DistinctBy(w => string.Join(' ', w)).ToList();
        if (fullNames.Count == 0)
        {
            return entities;
        }

        return [.. entities.Select(e =>
        {
            var fits = e.Type == EntityTypes.Person && Coreference.Words(e.Canonical) is [var name]
                ? fullNames.Where(w => w[0] == name || w[^1] == name).Take(2).ToList()
                : [];
            if (fits is not [var full])
            {
                return e;
            }

            string canonical = string.Join(' ', full);
            return e with
            {
                Canonical = canonical,
                Aliases = [.. e.Mentions.Select(m => m.Text).Where(t => t != canonical).Distinct(StringComparer.Ordinal)],
                Mentions = [.. e.Mentions.Select(m => m with { Canonical = canonical })],
            };
        })];
    }

    /// <summary>Where <paramref name="word"/> stands in <paramref name="text"/> as whole words (not inside a longer word).</summary>
    private static IEnumerable<int> WordOccurrences(string text, string word)
    {
        for (int at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            int end = at + word.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                yield return at;
            }
        }
    }

    private static bool ContainsWord(string text, string word) => WordOccurrences(text, word).Any();

    /// <summary>The text up to <see cref="MaxAnalysedLength"/>, cut at a line break near it, else at a space.</summary>
    private static string AnalysedPart(string text)
    {
        if (text.Length <= MaxAnalysedLength)
        {
            return text;
        }

        var head = text.AsSpan(0, MaxAnalysedLength);
        int cut = head.LastIndexOf('\n');
        if (cut < MaxAnalysedLength * 9 / 10)
        {
            cut = head.LastIndexOf(' ');
        }

        if (cut <= 0)
        {
            cut = char.IsHighSurrogate(head[^1]) ? MaxAnalysedLength - 1 : MaxAnalysedLength;
        }

        return text[..cut];
    }

    private static (NerTagger, TimeSpan) LoadEmbedded()
    {
        var clock = Stopwatch.StartNew();
        var lexicon = Lexicon.LoadEmbedded();
        using var stream = typeof(EntityExtractor).Assembly.GetManifestResourceStream(ModelResource)
                           ?? throw new InvalidOperationException($"the NER model resource {ModelResource} is missing; run train-ner");
        var model = NerModel.Load(stream);
        NerModel? stage2 = null;
        using (var second = typeof(EntityExtractor).Assembly.GetManifestResourceStream(Stage2Resource))
        {
            if (second is not null)
            {
                stage2 = NerModel.Load(second);
            }
        }

        EntityMemory? memory = null;
        using (var stored = typeof(EntityExtractor).Assembly.GetManifestResourceStream(MemoryResource))
        {
            if (stored is not null)
            {
                memory = EntityMemory.Load(stored);
            }
        }

        return (new NerTagger(model, stage2, lexicon, memory), clock.Elapsed);
    }

    /// <summary>
    /// The accurate model, with the fast model's gazetteers and entity memory (its inputs as they were in training) and
    /// the fast model's labels as votes (the ensemble the model file's weight asks for).
    /// </summary>
    private static NeuralTagger LoadEmbeddedNeural()
    {
        var perceptron = Shared.Value.Tagger;
        using var stream = typeof(EntityExtractor).Assembly.GetManifestResourceStream(NeuralResource)
                           ?? throw new InvalidOperationException($"the neural NER model resource {NeuralResource} is missing; run tests/Pipeline.NeuralTraining");
        return new NeuralTagger(NeuralModel.Load(stream), perceptron.Lexicon, perceptron.Memory, perceptron);
    }
}
