using System.Reflection;
using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>Gazetteer kinds; a phrase can belong to several.</summary>
public enum GazetteerKind
{
    Country = 0,
    City = 1,
    Region = 2,
    Nationality = 3,
    Organization = 4,
    GivenName = 5,
    FamilyName = 6,
    Title = 7,
    WorldCity = 8,
    AdminRegion = 9,
    PersonName = 10,
}

/// <summary>The gazetteers and word clusters the tagger's features use, loaded from the assembly's resources.</summary>
public sealed class Lexicon
{
    public const int KindCount = 11;
    internal const ulong PhraseSeed = 0x5EED5EED12345678UL;

    private static readonly (string File, GazetteerKind Kind)[] Files =
    [
        ("countries.txt", GazetteerKind.Country),
        ("cities.txt", GazetteerKind.City),
        ("regions.txt", GazetteerKind.Region),
        ("nationalities.txt", GazetteerKind.Nationality),
        ("organizations.txt", GazetteerKind.Organization),
        ("given_names.txt", GazetteerKind.GivenName),
        ("family_names.txt", GazetteerKind.FamilyName),
        ("titles.txt", GazetteerKind.Title),
        ("world_cities.txt", GazetteerKind.WorldCity),
        ("admin_regions.txt", GazetteerKind.AdminRegion),
        ("person_names.txt", GazetteerKind.PersonName),
    ];

    private readonly Dictionary<ulong, int> _phrases = [];
    // The clusters' words are lower case (GloVe's), so a case-insensitive lookup finds "Paris" without a lower-cased copy.
    private readonly Dictionary<string, string> _clusters = new(StringComparer.OrdinalIgnoreCase);

    public int MaxPhraseTokens { get; private set; } = 1;

    public int ClusterCount => _clusters.Count;

    public static Lexicon LoadEmbedded()
    {
        var lexicon = new Lexicon();
        var asm = typeof(Lexicon).Assembly;
        foreach (var (file, kind) in Files)
        {

            using var stream = asm.GetManifestResourceStream("Pipeline.Extraction.Gazetteers." + file);
            if (stream is null)
            {
                continue;
            }

            using var reader = new StreamReader(stream);
            lexicon.AddGazetteer(reader, kind);
        }

        using (var stream = asm.GetManifestResourceStream("Pipeline.Extraction.Models.clusters.tsv"))
        {
            if (stream is not null)
            {
                using var reader = new StreamReader(stream);
                lexicon.AddClusters(reader);
            }
        }

        return lexicon;
    }

    public void AddGazetteer(TextReader reader, GazetteerKind kind)
    {
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (IsSimpleWords(line))
            {
                // Fast path: words of letters and hyphens separated by single spaces are their own tokens.
                ulong hash = PhraseSeed;
                int count = 0;
                foreach (var range in line.AsSpan().Split(' '))
                {
                    if (count > 0)
                    {
                        MarkPrefix(hash);
                    }

                    hash = Hashing.Combine(hash, Hashing.OfNormalized(line.AsSpan(range)));
                    count++;
                }

                _phrases[hash] = _phrases.GetValueOrDefault(hash) | (1 << (int)kind);
                MaxPhraseTokens = Math.Max(MaxPhraseTokens, count);
                continue;
            }

            var tokens = Tokenizer.Tokenize(line);
            ulong h = PhraseSeed;
            for (int t = 0; t < tokens.Count; t++)
            {
                if (t > 0)
                {
                    MarkPrefix(h);
                }

                h = Hashing.Combine(h, Hashing.OfNormalized(line.AsSpan(tokens[t].Start, tokens[t].Length)));
            }

            _phrases[h] = _phrases.GetValueOrDefault(h) | (1 << (int)kind);
            MaxPhraseTokens = Math.Max(MaxPhraseTokens, tokens.Count);
        }
    }

    private static bool IsSimpleWords(string line)
    {
        char prev = ' ';
        foreach (char c in line)
        {
            if (!(char.IsLetter(c) || (c == '-' && prev != ' ') || (c == ' ' && prev != ' ')))
            {
                return false;
            }

            prev = c;
        }

        return prev != ' ' && prev != '-';
    }

    public void AddClusters(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                _clusters[line[..tab]] = line[(tab + 1)..];
            }
        }
    }

    private void MarkPrefix(ulong hash) => _phrases[hash] = _phrases.GetValueOrDefault(hash) | PrefixBit;

    internal const int PrefixBit = 1 << 30;

    /// <summary>Kinds (bit mask) of the phrase whose running hash is <paramref name="phraseHash"/>, 0 when none.</summary>
    public int PhraseKinds(ulong phraseHash) => _phrases.GetValueOrDefault(phraseHash) & ~PrefixBit;

    /// <summary>Kinds of the phrase, and whether some longer phrase starts with it.</summary>
    internal int PhraseKinds(ulong phraseHash, out bool longer)
    {
        int v = _phrases.GetValueOrDefault(phraseHash);
        longer = (v & PrefixBit) != 0;
        return v & ~PrefixBit;
    }

    public string? Cluster(string word) => _clusters.GetValueOrDefault(word);

    /// <summary>Whether the words form a phrase of the given kind (case-insensitive).</summary>
    public bool Contains(IEnumerable<string> words, GazetteerKind kind) => (Kinds(words) & (1 << (int)kind)) != 0;

    /// <summary>The kinds (bit mask, bit = <see cref="GazetteerKind"/>) of the phrase the words form, 0 when none (case-insensitive).</summary>
    public int Kinds(IEnumerable<string> words)
    {
        ulong h = PhraseSeed;
        foreach (var w in words)
        {
            h = Hashing.Combine(h, Hashing.OfNormalized(w));
        }

        return PhraseKinds(h);
    }
}
