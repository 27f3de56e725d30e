using System.Text;

namespace Pipeline.Extraction.Tests;

/// <summary>
/// A small made-up corpus in the CoNLL-2003 format, for training the tagger in a test: CoNLL-2003 itself may not be
/// shipped. News-like template sentences are filled with invented names (syllables, so no gazetteer knows them),
/// each document repeating its names as news does. The same seed writes the same bytes.
/// </summary>
public sealed class GeneratedConll
{
    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ren", "tas", "vo", "dru", "bel", "nor", "zan", "qui", "sef", "hal", "mor", "tin", "gra",
        "pel", "ush", "ver", "cos", "lan", "dim", "ro", "fa", "ket", "sul", "bra", "nis", "ol", "wen",
    ];

    // Mostly the words around a slot say its class, as in news; the names add only the cues real ones have
    // (Bank, Corp, United, Port, -ian, -ese, two words for a person).
    private static readonly string[] TrainingTemplates =
    [
        "{PER} , the chief executive of {ORG} , said on Monday the company would open an office in {LOC} .",
        "Police in {LOC} said {PER} was arrested on Friday .",
        "The {MISC} government welcomed the decision by {ORG} to invest in {LOC} .",
        "{PER} won the {MISC} Open on Sunday , beating {PER} in straight sets .",
        "Shares in {ORG} fell 3 percent in {LOC} after {PER} resigned as chairman .",
        "{PER} told reporters in {LOC} that the {MISC} team was ready .",
        "{ORG} said it had agreed to buy {ORG} for 200 million dollars .",
        "Talks between {LOC} and {LOC} will resume next week , {PER} said .",
        "The {MISC} striker {PER} joined {ORG} from {ORG} .",
        "Speaking in {LOC} , {PER} urged the {MISC} central bank to cut interest rates .",
        "{PER} , a spokesman for {ORG} , declined to comment .",
        "Rain stopped play in {LOC} on Thursday .",
        "Prices rose 2.5 percent in the year to June , the statistics office said .",
        "{ORG} beat {ORG} 2-1 in {LOC} on Saturday .",
        "Foreign Minister {PER} arrived in {LOC} for a two-day visit .",
        "Most {MISC} voters back the plan , a poll by {ORG} showed .",

        // Slots of any class: only the name itself, or the document's other mentions of it, tell.
        "{ANY} said on Tuesday it was too early to judge .",
        "The report mentioned {ANY} twice .",
        "Officials close to {ANY} were not available for comment .",
    ];

    // Sentences the training never sees: the tagger has to carry over what it learnt to other wording.
    private static readonly string[] HeldOutTemplates =
    [
        "{PER} , who heads {ORG} , flew to {LOC} on Wednesday .",
        "Fans of {ORG} celebrated in the streets of {LOC} .",
        "{MISC} exports to {LOC} doubled last year , {PER} said .",
        "A court in {LOC} fined {ORG} 5 million dollars .",
        "Former president {PER} will lead the {MISC} delegation .",
        "{ANY} could not be reached on Sunday .",
    ];

    private static readonly string[] Types = ["PER", "ORG", "LOC", "MISC"];

    private readonly string[] _templates;
    private readonly Random _random;
    private readonly HashSet<string> _avoid;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <param name="seed">Fixes every choice.</param>
    /// <param name="avoid">Names this corpus must not use (another corpus's), so that they are unseen here.</param>
    /// <param name="heldOut">Write the sentences that training corpora never contain.</param>
    public GeneratedConll(int seed, IEnumerable<string>? avoid = null, bool heldOut = false)
    {
        _templates = heldOut ? HeldOutTemplates : TrainingTemplates;
        _random = new Random(seed);
        _avoid = new HashSet<string>(avoid ?? [], StringComparer.Ordinal);
    }

    /// <summary>Every name the corpus used so far.</summary>
    public IReadOnlyCollection<string> Names => _used;

    /// <summary>Writes <paramref name="documents"/> documents of a few sentences each, in eng.train's four columns.</summary>
    public void Write(string path, int documents)
    {
        var text = new StringBuilder();
        for (int d = 0; d < documents; d++)
        {
            text.Append("-DOCSTART- -X- -X- O\n\n");

            // A document's cast: the names its sentences draw from, so each comes back a few times.
            var cast = new Dictionary<string, string[]>
            {
                ["PER"] = [.. Enumerable.Range(0, 3).Select(_ => NewName("PER"))],
                ["ORG"] = [.. Enumerable.Range(0, 3).Select(_ => NewName("ORG"))],
                ["LOC"] = [.. Enumerable.Range(0, 3).Select(_ => NewName("LOC"))],
                ["MISC"] = [.. Enumerable.Range(0, 2).Select(_ => NewName("MISC"))],
            };
            var mentioned = new HashSet<string>(StringComparer.Ordinal);
            int sentences = _random.Next(4, 8);
            for (int s = 0; s < sentences; s++)
            {
                AppendSentence(text, _templates[_random.Next(_templates.Length)], cast, mentioned);
            }
        }

        File.WriteAllText(path, text.ToString());
    }

    private void AppendSentence(StringBuilder text, string template, Dictionary<string, string[]> cast, HashSet<string> mentioned)
    {
        // No template puts two names side by side, so every entity tag is IOB1's I-.
        foreach (var token in template.Split(' '))
        {
            if (token.StartsWith('{'))
            {
                string type = token == "{ANY}" ? Types[_random.Next(Types.Length)] : token[1..^1];
                var names = cast[type];
                string name = names[_random.Next(names.Length)];

                // As in news, a person named once is often named again by surname alone.
                string mention = type == "PER" && !mentioned.Add(name) && _random.Next(2) == 0 ? name.Split(' ')[^1] : name;
                foreach (var word in mention.Split(' '))
                {
                    text.Append(word).Append(" NNP I-NP I-").Append(type).Append('\n');
                }
            }
            else
            {
                text.Append(token).Append(" -X- -X- O\n");
            }
        }

        text.Append('\n');
    }

    private string NewName(string type)
    {
        while (true)
        {
            string name = type switch
            {
                "PER" => Word() + " " + Word(),
                "ORG" => _random.Next(4) switch
                {
                    0 => Word() + " Bank",
                    1 => Word() + " " + Word() + " Corp",
                    2 => Word() + " United",
                    _ => Word(),
                },
                "LOC" => _random.Next(4) == 0 ? "Port " + Word() : Word(),
                _ => Word() + (_random.Next(2) == 0 ? "ian" : "ese"),
            };
            if (!_avoid.Contains(name))
            {
                _used.Add(name);
                return name;
            }
        }
    }

    private string Word()
    {
        var word = new StringBuilder();
        int syllables = _random.Next(2, 4);
        for (int i = 0; i < syllables; i++)
        {
            word.Append(Syllables[_random.Next(Syllables.Length)]);
        }

        word[0] = char.ToUpperInvariant(word[0]);
        return word.ToString();
    }
}
