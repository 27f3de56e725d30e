using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>
/// Everything the features of one document need, computed once: per-token hashes, shapes, clusters,
/// gazetteer matches, and document-level facts (which words also appear in lower case, or capitalised mid-sentence).
/// </summary>
internal sealed class DocumentFeatures
{
    // Static templates.
    private const ulong TBias = 1, TW0 = 2, TN0 = 3, TNm1 = 4, TNp1 = 5, TNm2 = 6, TNp2 = 7, TNm1N0 = 8, TN0Np1 = 9;
    private const ulong TS0 = 10, TSm1 = 11, TSp1 = 12, TSm1S0 = 13, TS0Sp1 = 14, TSm1S0Sp1 = 15, TPre = 16, TSuf = 17;
    private const ulong TC0 = 18, TCm1 = 19, TCp1 = 20, TG0 = 21, TGm1 = 22, TGp1 = 23, TFirst = 24, TCapSent = 25;
    private const ulong TCapSentN0 = 26, TDocLower = 27, TDocCapMid = 28, TLen = 29, TNm1S0 = 30, TS0Np1 = 31;
    private const ulong TGSpan = 32, TWm1 = 33, TWp1 = 34, TM0 = 70, TMSpan = 71, TMm1 = 72, TMp1 = 73;
    private const ulong TTableRow = 74;

    // Second-stage templates: the first stage's labels here, around, and for the same word elsewhere in the document.
    private const ulong TS1Own = 50, TS1Prev = 51, TS1Next = 52, TS1DocMajor = 53, TS1DocClass = 54, TS1OwnN0 = 55, TS1Span = 56;

    // Dynamic templates.
    private const ulong TP1 = 40, TP2P1 = 41, TP1N0 = 42, TP1S0 = 43, THist = 44, THistPure = 45, TP1Np1 = 46;

    public const int MaxStatic = 224;
    public const int MaxDynamic = 8;

    private static readonly ulong Boundary = Hashing.Of("<S>");
    private static readonly ulong BoundaryEnd = Hashing.Of("</S>");

    public readonly string[] Words;
    public readonly Sentence[] Sentences;
    public readonly int[] SentenceOf;
    private readonly ulong[] _exact;
    private readonly ulong[] _norm;
    private readonly ulong[] _shape;
    private readonly byte[] _caseKind; // 0 other, 1 lower, 2 init cap, 3 all caps, 4 mixed
    private readonly string?[] _cluster;
    private readonly ulong[] _gaz; // bit kind*4+pos (B I L U)
    private readonly uint[] _gazSpan; // kind mask | (length << 16) of the longest match covering the token
    private readonly bool[] _capsSentence;
    private readonly bool[] _tableRow;
    private readonly HashSet<ulong> _lowerInDoc = [];
    private readonly HashSet<ulong> _capMidInDoc = [];
    private int[]? _stage1;
    private Dictionary<ulong, int[]>? _stage1ByWord;

    private readonly uint[]? _mem; // bit class*4+pos
    private readonly uint[]? _memSpan; // class mask | (length << 8) of the longest remembered name covering the token

    public DocumentFeatures(string[] words, Sentence[] sentences, Lexicon lexicon, EntityMemory? memory = null)
    {
        Words = words;
        Sentences = sentences;
        int n = words.Length;
        SentenceOf = new int[n];
        _exact = new ulong[n];
        _norm = new ulong[n];
        _shape = new ulong[n];
        _caseKind = new byte[n];
        _cluster = new string?[n];
        _gaz = new ulong[n];
        _gazSpan = new uint[n];
        _capsSentence = new bool[sentences.Length];
        _tableRow = new bool[sentences.Length];
        Span<char> buf = stackalloc char[16];
        for (int i = 0; i < n; i++)
        {
            string w = words[i];
            _exact[i] = Hashing.Of(w);
            _norm[i] = Hashing.OfNormalized(w);
            _shape[i] = Hashing.Of(Shape(w, buf));
            _caseKind[i] = CaseKind(w);
            _cluster[i] = lexicon.ClusterCount > 0 ? lexicon.Cluster(w) : null;
        }

        for (int s = 0; s < sentences.Length; s++)
        {
            var sent = sentences[s];
            int caps = 0, letters = 0, numbers = 0;
            for (int i = sent.First; i < sent.End; i++)
            {
                SentenceOf[i] = s;
                if (char.IsDigit(words[i][0]))
                {
                    numbers++;
                }

                if (_caseKind[i] != 0)
                {
                    letters++;
                    if (_caseKind[i] == 3)
                    {
                        caps++;
                    }
                }
            }

            _capsSentence[s] = letters >= 2 && caps * 10 >= letters * 7;
            // A row of a results or figures table: names there are teams, countries and players, not prose.
            _tableRow[s] = numbers >= 2 && numbers * 5 >= (sent.End - sent.First) * 2;
            for (int i = sent.First; i < sent.End; i++)
            {
                if (_caseKind[i] == 1)
                {
                    _lowerInDoc.Add(_norm[i]);
                }
                else if (_caseKind[i] == 2 && i > sent.First && !_capsSentence[s])
                {
                    _capMidInDoc.Add(_norm[i]);
                }
            }

            MatchGazetteers(sent, lexicon);
            if (memory is not null)
            {
                _mem ??= new uint[n];
                _memSpan ??= new uint[n];
                MatchMemory(sent, memory);
            }
        }
    }

    private void MatchMemory(Sentence sent, EntityMemory memory)
    {
        var mem = _mem!;
        var span = _memSpan!;
        for (int i = sent.First; i < sent.End; i++)
        {
            if (_caseKind[i] is not (2 or 3 or 4))
            {
                continue;
            }

            ulong h = Lexicon.PhraseSeed;
            int limit = Math.Min(sent.End, i + memory.MaxTokens);
            for (int j = i; j < limit; j++)
            {
                h = Hashing.Combine(h, _norm[j]);
                int classes = memory.Classes(h, out bool longer);
                if (classes != 0)
                {
                    int len = j - i + 1;
                    for (int t = i; t <= j; t++)
                    {
                        int pos = len == 1 ? 3 : t == i ? 0 : t == j ? 2 : 1;
                        for (int c = 0; c < 4; c++)
                        {
                            if ((classes & (1 << c)) != 0)
                            {
                                mem[t] |= 1u << ((c * 4) + pos);
                            }
                        }

                        if ((span[t] >> 8) <= (uint)len)
                        {
                            span[t] = (uint)classes | ((uint)len << 8);
                        }
                    }
                }

                if (!longer)
                {
                    break;
                }
            }
        }
    }

    private void MatchGazetteers(Sentence sent, Lexicon lexicon)
    {
        for (int i = sent.First; i < sent.End; i++)
        {
            if (_caseKind[i] is not (2 or 3 or 4))
            {
                continue;
            }

            ulong h = Lexicon.PhraseSeed;
            int limit = Math.Min(sent.End, i + lexicon.MaxPhraseTokens);
            for (int j = i; j < limit; j++)
            {
                h = Hashing.Combine(h, _norm[j]);
                int kinds = lexicon.PhraseKinds(h, out bool longer);
                if (kinds == 0)
                {
                    if (!longer)
                    {
                        break;
                    }

                    continue;
                }

                int len = j - i + 1;
                for (int k = 0; k < Lexicon.KindCount; k++)
                {
                    if ((kinds & (1 << k)) == 0)
                    {
                        continue;
                    }

                    for (int t = i; t <= j; t++)
                    {
                        int pos = len == 1 ? 3 : t == i ? 0 : t == j ? 2 : 1;
                        _gaz[t] |= 1UL << ((k * 4) + pos);
                        if ((_gazSpan[t] >> 16) <= (uint)len)
                        {
                            _gazSpan[t] = (uint)(kinds & 0xFFFF) | ((uint)len << 16);
                        }
                    }
                }

                if (!longer)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Gives the first stage's labels to the second stage's features (null to go back to the first stage).</summary>
    public void SetStage1(int[]? labels)
    {
        _stage1 = labels;
        _stage1ByWord = null;
        if (labels is null)
        {
            return;
        }

        _stage1ByWord = [];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!IsCapitalised(i))
            {
                continue;
            }

            if (!_stage1ByWord.TryGetValue(_norm[i], out var counts))
            {
                counts = new int[5];
                _stage1ByWord[_norm[i]] = counts;
            }

            int c = Labels.ClassOf(labels[i]);
            counts[c < 0 ? 4 : c]++;
        }
    }

    private int AddStage1(int i, Sentence sent, Span<ulong> f, int k)
    {
        var s1 = _stage1!;
        f[k++] = Hashing.Combine(TS1Own, (ulong)s1[i]);
        f[k++] = Hashing.Combine(TS1OwnN0, (ulong)s1[i], _shape[i]);
        f[k++] = Hashing.Combine(TS1Prev, i > sent.First ? (ulong)s1[i - 1] : 99UL);
        f[k++] = Hashing.Combine(TS1Next, i + 1 < sent.End ? (ulong)s1[i + 1] : 99UL);
        if (IsCapitalised(i) && _stage1ByWord!.TryGetValue(_norm[i], out var counts))
        {
            int own = Labels.ClassOf(s1[i]);
            own = own < 0 ? 4 : own;
            int best = -1, total = 0;
            for (int c = 0; c < 5; c++)
            {
                int n = counts[c] - (c == own ? 1 : 0);
                total += n;
                if (n > 0)
                {
                    f[k++] = Hashing.Combine(TS1DocClass, (ulong)c, (ulong)Math.Min(n, 3));
                    if (best < 0 || n > counts[best] - (best == own ? 1 : 0))
                    {
                        best = c;
                    }
                }
            }

            f[k++] = Hashing.Combine(TS1DocMajor, total == 0 ? 9UL : (ulong)best, (ulong)_caseKind[i]);
        }

        // The class of the first stage's entity that covers this token, and the token's place in it.
        int cls = Labels.ClassOf(s1[i]);
        if (cls >= 0)
        {
            f[k++] = Hashing.Combine(TS1Span, (ulong)cls, (ulong)Labels.PartOf(s1[i]), _norm[i]);
        }

        return k;
    }

    public bool IsCapitalised(int i) => _caseKind[i] is 2 or 3 or 4;

    public ulong NormHash(int i) => _norm[i];

    /// <summary>Features that depend only on the text (and the first stage's labels, once set); returns how many were written.</summary>
    public int Static(int i, Span<ulong> f)
    {
        int k = TextOnly(i, f);
        if (_stage1 is not null)
        {
            k = AddStage1(i, Sentences[SentenceOf[i]], f, k);
        }

        return k;
    }

    /// <summary>The second stage's own features: the first stage's labels here, around, and elsewhere in the document.</summary>
    public int Stage1Features(int i, Span<ulong> f) => _stage1 is null ? 0 : AddStage1(i, Sentences[SentenceOf[i]], f, 0);

    /// <summary>Length of <see cref="Indicators"/>' vector.</summary>
    public const int IndicatorCount = 5 + 5 + (Lexicon.KindCount * 4) + 16;

    /// <summary>
    /// The neural tagger's per-token inputs besides the word and its characters, as 0/1 values: the case kind, digits,
    /// an all-capitals sentence (a headline), the word also in lower case or capitalised mid-sentence elsewhere in the
    /// document, gazetteer matches and remembered names with the token's BILOU place in them.
    /// </summary>
    public void Indicators(int i, Span<float> f)
    {
        f[..IndicatorCount].Clear();
        f[_caseKind[i]] = 1;
        string w = Words[i];
        int digits = 0;
        foreach (char c in w)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
        }

        f[5] = digits > 0 ? 1 : 0;
        f[6] = digits == w.Length ? 1 : 0;
        f[7] = _capsSentence[SentenceOf[i]] ? 1 : 0;
        f[8] = _lowerInDoc.Contains(_norm[i]) ? 1 : 0;
        f[9] = _capMidInDoc.Contains(_norm[i]) ? 1 : 0;
        const int gazetteers = 10;
        ulong gaz = _gaz[i];
        for (int b = 0; b < Lexicon.KindCount * 4; b++)
        {
            f[gazetteers + b] = (gaz >> b) & 1;
        }

        const int memory = gazetteers + (Lexicon.KindCount * 4);
        uint mem = _mem?[i] ?? 0;
        for (int b = 0; b < 16; b++)
        {
            f[memory + b] = (mem >> b) & 1;
        }
    }

    /// <summary>Features that depend only on the text.</summary>
    public int TextOnly(int i, Span<ulong> f)
    {
        var sent = Sentences[SentenceOf[i]];
        int k = 0;
        ulong nm1 = i - 1 >= sent.First ? _norm[i - 1] : Boundary;
        ulong nm2 = i - 2 >= sent.First ? _norm[i - 2] : Boundary;
        ulong np1 = i + 1 < sent.End ? _norm[i + 1] : BoundaryEnd;
        ulong np2 = i + 2 < sent.End ? _norm[i + 2] : BoundaryEnd;
        ulong sm1 = i - 1 >= sent.First ? _shape[i - 1] : Boundary;
        ulong sp1 = i + 1 < sent.End ? _shape[i + 1] : BoundaryEnd;
        ulong wm1 = i - 1 >= sent.First ? _exact[i - 1] : Boundary;
        ulong wp1 = i + 1 < sent.End ? _exact[i + 1] : BoundaryEnd;
        ulong n0 = _norm[i], s0 = _shape[i];
        bool capsSent = _capsSentence[SentenceOf[i]];

        f[k++] = TBias;
        f[k++] = Hashing.Combine(TW0, _exact[i]);
        f[k++] = Hashing.Combine(TN0, n0);
        f[k++] = Hashing.Combine(TNm1, nm1);
        f[k++] = Hashing.Combine(TNp1, np1);
        f[k++] = Hashing.Combine(TNm2, nm2);
        f[k++] = Hashing.Combine(TNp2, np2);
        f[k++] = Hashing.Combine(TNm1N0, nm1, n0);
        f[k++] = Hashing.Combine(TN0Np1, n0, np1);
        f[k++] = Hashing.Combine(TS0, s0);
        f[k++] = Hashing.Combine(TSm1, sm1);
        f[k++] = Hashing.Combine(TSp1, sp1);
        f[k++] = Hashing.Combine(TSm1S0, sm1, s0);
        f[k++] = Hashing.Combine(TS0Sp1, s0, sp1);
        f[k++] = Hashing.Combine(TSm1S0Sp1, sm1, s0, sp1);
        f[k++] = Hashing.Combine(TNm1S0, nm1, s0);
        f[k++] = Hashing.Combine(TS0Np1, s0, np1);
        f[k++] = Hashing.Combine(TWm1, wm1, s0);
        f[k++] = Hashing.Combine(TWp1, wp1, s0);

        string w = Words[i];
        int maxAffix = Math.Min(4, w.Length);
        for (int a = 1; a <= maxAffix; a++)
        {
            f[k++] = Hashing.Combine(TPre, (ulong)a, Hashing.OfNormalized(w.AsSpan(0, a)));
            f[k++] = Hashing.Combine(TSuf, (ulong)a, Hashing.OfNormalized(w.AsSpan(w.Length - a, a)));
        }

        f[k++] = Hashing.Combine(TLen, (ulong)Math.Min(w.Length, 12), (ulong)_caseKind[i]);
        k = AddCluster(TC0, _cluster[i], f, k, 3);
        if (i - 1 >= sent.First)
        {
            k = AddCluster(TCm1, _cluster[i - 1], f, k, 2);
        }

        if (i + 1 < sent.End)
        {
            k = AddCluster(TCp1, _cluster[i + 1], f, k, 2);
        }

        ulong g = _gaz[i];
        for (int b = 0; b < 64 && g != 0; b++)
        {
            if ((g & (1UL << b)) != 0)
            {
                f[k++] = Hashing.Combine(TG0, (ulong)b);
                g &= ~(1UL << b);
            }
        }

        if (_gazSpan[i] != 0)
        {
            f[k++] = Hashing.Combine(TGSpan, _gazSpan[i] & 0xFFFF, (ulong)_caseKind[i]);
        }

        if (i - 1 >= sent.First && _gazSpan[i - 1] != 0)
        {
            f[k++] = Hashing.Combine(TGm1, _gazSpan[i - 1] & 0xFFFF);
        }

        if (i + 1 < sent.End && _gazSpan[i + 1] != 0)
        {
            f[k++] = Hashing.Combine(TGp1, _gazSpan[i + 1] & 0xFFFF);
        }

        if (_mem is not null)
        {
            uint m = _mem[i];
            for (int b = 0; b < 16 && m != 0; b++)
            {
                if ((m & (1u << b)) != 0)
                {
                    f[k++] = Hashing.Combine(TM0, (ulong)b);
                    m &= ~(1u << b);
                }
            }

            var ms = _memSpan!;
            f[k++] = Hashing.Combine(TMSpan, ms[i] & 0xF, (ulong)_caseKind[i], Math.Min(ms[i] >> 8, 4));
            f[k++] = Hashing.Combine(TMm1, i > sent.First ? ms[i - 1] & 0xF : 99UL);
            f[k++] = Hashing.Combine(TMp1, i + 1 < sent.End ? ms[i + 1] & 0xF : 99UL);
        }

        if (i == sent.First)
        {
            f[k++] = Hashing.Combine(TFirst, s0);
        }

        if (_tableRow[SentenceOf[i]])
        {
            f[k++] = Hashing.Combine(TTableRow, s0, i == sent.First ? 1UL : 0UL);
            f[k++] = Hashing.Combine(TTableRow, n0);
        }

        if (capsSent)
        {
            f[k++] = Hashing.Combine(TCapSent, s0);
            f[k++] = Hashing.Combine(TCapSentN0, n0);
        }

        if (_caseKind[i] is 2 or 3 or 4)
        {
            f[k++] = Hashing.Combine(TDocLower, _lowerInDoc.Contains(n0) ? 1UL : 0UL, (ulong)_caseKind[i],
                i == sent.First || capsSent ? 1UL : 0UL);
            f[k++] = Hashing.Combine(TDocCapMid, _capMidInDoc.Contains(n0) ? 1UL : 0UL, (ulong)_caseKind[i],
                i == sent.First || capsSent ? 1UL : 0UL);
        }

        return k;
    }

    private static int AddCluster(ulong template, string? path, Span<ulong> f, int k, int levels)
    {
        if (path is null)
        {
            f[k++] = Hashing.Combine(template, 0xFFFF);
            return k;
        }

        int level = 0;
        for (int c = 0; c <= path.Length && level < levels; c++)
        {
            if (c == path.Length || path[c] == '-')
            {
                f[k++] = Hashing.Combine(template, (ulong)level, Hashing.Of(path.AsSpan(0, c)));
                level++;
            }
        }

        return k;
    }

    /// <summary>Features that depend on the labels already chosen: the two previous labels and the document history.</summary>
    public int Dynamic(int i, int prev1, int prev2, int[]? history, Span<ulong> f)
    {
        int k = Previous(i, prev1, prev2, f);
        return k + History(history, f[k..]);
    }

    /// <summary>Features of the two previous labels (with this word and the next).</summary>
    public int Previous(int i, int prev1, int prev2, Span<ulong> f)
    {
        var sent = Sentences[SentenceOf[i]];
        ulong np1 = i + 1 < sent.End ? _norm[i + 1] : BoundaryEnd;
        f[0] = Hashing.Combine(TP1, (ulong)prev1);
        f[1] = Hashing.Combine(TP2P1, (ulong)prev2, (ulong)prev1);
        f[2] = Hashing.Combine(TP1N0, (ulong)prev1, _norm[i]);
        f[3] = Hashing.Combine(TP1S0, (ulong)prev1, _shape[i]);
        f[4] = Hashing.Combine(TP1Np1, (ulong)prev1, np1);
        return 5;
    }

    /// <summary>Features of the classes the same word got earlier in the document (counts per class, O last).</summary>
    public static int History(int[]? history, Span<ulong> f)
    {
        if (history is null)
        {
            return 0;
        }

        int best = 0, total = 0, k = 0;
        for (int c = 0; c < history.Length; c++)
        {
            total += history[c];
            if (history[c] > history[best])
            {
                best = c;
            }
        }

        if (total > 0)
        {
            f[k++] = Hashing.Combine(THist, (ulong)best);
            if (history[best] == total)
            {
                f[k++] = Hashing.Combine(THistPure, (ulong)best, (ulong)Math.Min(total, 3));
            }
        }

        return k;
    }

    private static byte CaseKind(string w)
    {
        int upper = 0, lower = 0;
        foreach (char c in w)
        {
            if (char.IsUpper(c))
            {
                upper++;
            }
            else if (char.IsLower(c))
            {
                lower++;
            }
        }

        if (upper == 0 && lower == 0)
        {
            return 0;
        }

        if (upper == 0)
        {
            return 1;
        }

        if (lower == 0)
        {
            return 3;
        }

        return char.IsUpper(w[0]) && upper == 1 ? (byte)2 : (byte)4;
    }

    private static ReadOnlySpan<char> Shape(string w, Span<char> buf)
    {
        int k = 0;
        char last = '\0';
        int run = 0;
        foreach (char ch in w)
        {
            char c = char.IsUpper(ch) ? 'X' : char.IsLower(ch) ? 'x' : char.IsDigit(ch) ? 'd' : ch;
            if (c == last)
            {
                run++;
                if (run > 2)
                {
                    continue;
                }
            }
            else
            {
                last = c;
                run = 1;
            }

            if (k == buf.Length)
            {
                break;
            }

            buf[k++] = c;
        }

        return buf[..k];
    }
}
