namespace Pipeline.Cleaning;

/// <summary>
/// Tells the language of a text: by script for languages with their own alphabet, otherwise by which
/// language's most common function words cover the most tokens.
/// </summary>
internal static class LanguageDetector
{
    private static readonly (string Code, string[] Words)[] Profiles =
    [
        ("en", ["the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "was", "on", "as", "are", "be", "by", "this", "at", "from", "have", "has", "he", "said", "not", "or", "which", "an", "they", "were", "their"]),
        ("fr", ["le", "la", "les", "de", "des", "et", "est", "un", "une", "du", "dans", "pour", "que", "qui", "sur", "au", "pas", "par", "avec", "ce", "il", "sont", "ont", "plus", "se", "aux", "mais", "été", "cette", "nous"]),
        ("de", ["der", "die", "und", "das", "ist", "den", "nicht", "mit", "sich", "des", "auf", "für", "im", "dem", "ein", "eine", "zu", "von", "auch", "es", "sie", "wird", "bei", "wurde", "nach", "aus", "einer", "oder", "hat", "werden"]),
        ("es", ["el", "la", "de", "que", "los", "las", "en", "y", "del", "por", "con", "una", "un", "para", "es", "se", "su", "al", "como", "más", "lo", "pero", "sus", "fue", "este", "ha", "entre", "también", "está", "son"]),
        ("pt", ["o", "a", "de", "que", "os", "as", "do", "da", "em", "e", "um", "uma", "para", "com", "não", "no", "na", "por", "dos", "das", "se", "mais", "foi", "ao", "é", "seu", "sua", "como", "também", "pelo"]),
        ("it", ["il", "di", "che", "la", "e", "le", "per", "un", "una", "del", "della", "in", "non", "è", "sono", "con", "si", "gli", "dei", "al", "anche", "come", "più", "ha", "nel", "alla", "ma", "questo", "delle", "lo"]),
        ("nl", ["de", "het", "een", "van", "en", "in", "is", "dat", "op", "te", "zijn", "voor", "met", "niet", "die", "aan", "er", "ook", "als", "bij", "door", "wordt", "naar", "maar", "om", "heeft", "nog", "worden", "werd", "deze"]),
        ("sv", ["och", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "de", "inte", "om", "ett", "var", "jag", "men", "kan", "från", "efter", "också", "sig", "vid", "så", "hade", "när", "eller"]),
        ("da", ["og", "at", "det", "er", "en", "til", "på", "af", "med", "for", "de", "den", "har", "ikke", "som", "om", "et", "var", "fra", "men", "kan", "også", "sig", "efter", "vil", "blev", "skal", "da", "når", "eller"]),
        ("no", ["og", "i", "det", "er", "som", "en", "på", "til", "av", "for", "med", "at", "har", "ikke", "den", "om", "et", "var", "fra", "men", "kan", "også", "seg", "etter", "vil", "ble", "skal", "når", "eller", "hun"]),
        ("pl", ["i", "w", "na", "nie", "z", "się", "do", "to", "że", "jest", "o", "jak", "po", "co", "ale", "od", "za", "przez", "dla", "oraz", "jego", "czy", "był", "być", "tak", "są", "już", "który", "może", "było"]),
        ("cs", ["a", "se", "na", "je", "v", "že", "to", "s", "z", "do", "o", "jako", "ale", "by", "jsou", "pro", "které", "který", "jeho", "tak", "také", "byl", "od", "po", "při", "už", "není", "bylo", "jak", "jsem"]),
        ("ro", ["de", "și", "în", "a", "la", "cu", "pe", "că", "din", "care", "nu", "o", "un", "este", "pentru", "mai", "să", "au", "fost", "ca", "se", "sau", "lui", "acest", "sunt", "prin", "dar", "fi", "ei", "după"]),
        ("tr", ["ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "olan", "gibi", "en", "ne", "ama", "kadar", "sonra", "her", "olduğu", "ise", "değil", "var", "mi", "o", "ki", "veya", "tarafından", "şekilde", "yeni", "göre"]),
        ("id", ["yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada", "juga", "ke", "karena", "ada", "adalah", "oleh", "saya", "mereka", "bisa", "sudah", "atau", "kami", "telah", "para", "lebih", "seperti", "hal", "bahwa"]),
        ("vi", ["của", "và", "các", "có", "là", "được", "trong", "cho", "không", "với", "những", "này", "một", "người", "đã", "để", "khi", "về", "từ", "cũng", "đến", "ra", "thì", "sẽ", "tại", "theo", "như", "nhiều", "còn", "năm"]),
        ("hu", ["a", "az", "és", "hogy", "nem", "is", "egy", "meg", "van", "ez", "de", "csak", "már", "még", "mint", "volt", "kell", "el", "ki", "fel", "azt", "vagy", "lesz", "sem", "pedig", "mert", "ha", "után", "most", "által"]),
        ("fi", ["ja", "on", "ei", "että", "se", "oli", "hän", "mutta", "kuin", "myös", "ovat", "tai", "kun", "niin", "jo", "sen", "ole", "joka", "vain", "nyt", "sitä", "mukaan", "hänen", "voi", "ovat", "tämä", "jos", "kanssa", "vielä", "olla"]),
        ("ru", ["и", "в", "не", "на", "что", "с", "по", "это", "как", "к", "из", "за", "от", "он", "для", "о", "так", "но", "его", "а", "также", "был", "было", "она", "они", "при", "или", "уже", "года", "бы"]),
        ("uk", ["і", "в", "не", "на", "що", "з", "у", "та", "до", "це", "як", "за", "від", "по", "він", "для", "його", "про", "але", "також", "було", "був", "вона", "вони", "при", "або", "вже", "року", "які", "який"]),
        ("bg", ["и", "на", "в", "за", "да", "се", "от", "е", "с", "не", "че", "по", "са", "това", "като", "до", "ще", "към", "но", "или", "бъде", "беше", "са", "тя", "той", "при", "след", "които", "който", "година"]),
    ];

    private static readonly Dictionary<string, List<int>> Index = BuildIndex();

    private static Dictionary<string, List<int>> BuildIndex()
    {
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var p = 0; p < Profiles.Length; p++)
        {
            foreach (var w in Profiles[p].Words.Distinct())
            {
                if (!index.TryGetValue(w, out var list))
                {
                    index[w] = list = [];
                }

                list.Add(p);
            }
        }

        return index;
    }

    /// <summary>Characters looked at: enough for a sure guess, and bounded on a huge file.</summary>
    private const int SampleChars = 20000;

    /// <summary>Fewest letters to guess from (fewer is a caption or a number table).</summary>
    private const int MinLetters = 20;

    /// <summary>Share of the letters in a script that makes a text that script's language (the rest are names and quotes).</summary>
    private const double ScriptShare = 0.3;

    /// <summary>Share of Hangul that makes a text Korean (Korean mixes in Han characters and Latin names).</summary>
    private const double HangulShare = 0.2;

    /// <summary>Share of kana that tells Japanese from Chinese when Han characters dominate (Chinese has none).</summary>
    private const double KanaShare = 0.05;

    /// <summary>Share of the Arabic-script letters that are Persian-only letters (پ چ گ ی ژ) in Persian text.</summary>
    private const double PersianLetterShare = 0.02;

    public static string? Detect(string text)
    {
        var span = text.AsSpan(0, Math.Min(text.Length, SampleChars));
        int latin = 0, cyrillic = 0, hangul = 0, kana = 0, han = 0, arabic = 0, greek = 0, hebrew = 0, thai = 0, devanagari = 0,
            persian = 0, georgian = 0, armenian = 0, bengali = 0, tamil = 0;
        foreach (var c in span)
        {
            switch (c)
            {
                case >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '\u00C0' and <= '\u024F' or >= '\u1E00' and <= '\u1EFF': latin++; break;
                case >= '\u0400' and <= '\u04FF': cyrillic++; break;
                case >= '\uAC00' and <= '\uD7AF' or >= '\u1100' and <= '\u11FF': hangul++; break;
                case >= '\u3040' and <= '\u30FF': kana++; break;
                case >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF': han++; break;
                case '\u067E' or '\u0686' or '\u06AF' or '\u06CC' or '\u0698': persian++; arabic++; break;
                case >= '\u0600' and <= '\u06FF': arabic++; break;
                case >= '\u0370' and <= '\u03FF': greek++; break;
                case >= '\u0590' and <= '\u05FF': hebrew++; break;
                case >= '\u0E00' and <= '\u0E7F': thai++; break;
                case >= '\u0900' and <= '\u097F': devanagari++; break;
                case >= '\u0980' and <= '\u09FF': bengali++; break;
                case >= '\u0B80' and <= '\u0BFF': tamil++; break;
                case >= '\u10A0' and <= '\u10FF': georgian++; break;
                case >= '\u0530' and <= '\u058F': armenian++; break;
                default: break;
            }
        }

        var letters = latin + cyrillic + hangul + kana + han + arabic + greek + hebrew + thai + devanagari + georgian + armenian + bengali + tamil;
        if (letters < MinLetters)
        {
            return null;
        }

        if (hangul > letters * HangulShare)
        {
            return "ko";
        }

        if (kana > letters * KanaShare && kana + han > letters * ScriptShare)
        {
            return "ja";
        }

        if (han > letters * ScriptShare)
        {
            return "zh";
        }

        if (arabic > letters * ScriptShare)
        {
            return persian > arabic * PersianLetterShare ? "fa" : "ar";
        }

        foreach (var (count, code) in (ReadOnlySpan<(int, string)>)[(greek, "el"), (hebrew, "he"), (thai, "th"), (devanagari, "hi"),
            (georgian, "ka"), (armenian, "hy"), (bengali, "bn"), (tamil, "ta")])
        {
            if (count > letters * ScriptShare)
            {
                return code;
            }
        }

        return ByStopwords(span, cyrillic > latin);
    }

    /// <summary>Longest token looked up: function words are short, and longer tokens are skipped unread.</summary>
    private const int MaxTokenChars = 32;

    /// <summary>Function-word hits the best language needs: this many at least, and this share of the tokens.</summary>
    private const int MinStopwordHits = 2;

    private const double MinStopwordShare = 0.08;

    private static string? ByStopwords(ReadOnlySpan<char> span, bool cyrillic)
    {
        var scores = new int[Profiles.Length];
        var tokens = 0;
        Span<char> buffer = stackalloc char[MaxTokenChars];
        var i = 0;
        while (i < span.Length)
        {
            while (i < span.Length && !char.IsLetter(span[i]))
            {
                i++;
            }

            var start = i;
            while (i < span.Length && char.IsLetter(span[i]))
            {
                i++;
            }

            var len = i - start;
            if (len == 0 || len > buffer.Length)
            {
                continue;
            }

            tokens++;
            for (var k = 0; k < len; k++)
            {
                buffer[k] = char.ToLowerInvariant(span[start + k]);
            }

            var lookup = Index.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(buffer[..len], out var hits))
            {
                foreach (var p in hits)
                {
                    scores[p]++;
                }
            }
        }

        var best = -1;
        for (var p = 0; p < Profiles.Length; p++)
        {
            var isCyrillicProfile = Profiles[p].Code is "ru" or "uk" or "bg";
            if (isCyrillicProfile != cyrillic)
            {
                continue;
            }

            if (best < 0 || scores[p] > scores[best])
            {
                best = p;
            }
        }

        if (best < 0 || tokens == 0 || scores[best] < Math.Max(MinStopwordHits, tokens * MinStopwordShare))
        {
            return null;
        }

        return Profiles[best].Code;
    }
}
