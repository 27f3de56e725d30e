namespace Pipeline.Extraction.Ner;

/// <summary>
/// The linear-chain CRF of the neural tagger: transition scores between BILOU labels, scores to start and to end a
/// sentence, and Viterbi decoding of per-token emission scores.
/// </summary>
public sealed class Crf
{
    /// <summary>
    /// The score given to a transition BILOU forbids (an I after O, a B after an open B): low enough that no path
    /// takes it, finite so that the training's log-sum-exp stays well defined.
    /// </summary>
    public const float Forbidden = -10_000f;

    public Crf(float[] transitions, float[] start, float[] end)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        if (transitions.Length != Labels.Count * Labels.Count || start.Length != Labels.Count || end.Length != Labels.Count)
        {
            throw new ArgumentException("a CRF over the BILOU labels needs 17×17 transitions and 17 start and end scores");
        }

        Transitions = transitions;
        Start = start;
        End = end;
    }

    /// <summary>Row-major, [previous label × label].</summary>
    public float[] Transitions { get; }

    public float[] Start { get; }

    public float[] End { get; }

    /// <summary>The constraint BILOU puts on transitions: 0 where allowed, <see cref="Forbidden"/> where not.</summary>
    public static float[] TransitionConstraint()
    {
        var mask = new float[Labels.Count * Labels.Count];
        for (int p = 0; p < Labels.Count; p++)
        {
            for (int c = 0; c < Labels.Count; c++)
            {
                mask[(p * Labels.Count) + c] = Labels.Allowed(p, c) ? 0 : Forbidden;
            }
        }

        return mask;
    }

    /// <summary>The constraint on the first label (no I or L) or, with <paramref name="atEnd"/>, the last (no B or I).</summary>
    public static float[] BoundaryConstraint(bool atEnd)
    {
        var mask = new float[Labels.Count];
        for (int l = 0; l < Labels.Count; l++)
        {
            int part = Labels.PartOf(l);
            bool open = atEnd ? part is 0 or 1 : part is 1 or 2;
            mask[l] = open ? Forbidden : 0;
        }

        return mask;
    }

    /// <summary>
    /// The best label sequence for <paramref name="labels"/>.Length tokens whose emission scores are
    /// <paramref name="emissions"/> (row-major, [token × label]).
    /// </summary>
    public void Viterbi(ReadOnlySpan<float> emissions, Span<int> labels)
    {
        const int k = Labels.Count;
        int n = labels.Length;
        if (n == 0)
        {
            return;
        }

        var back = new byte[n * k];
        Span<float> score = stackalloc float[k];
        Span<float> next = stackalloc float[k];
        for (int l = 0; l < k; l++)
        {
            score[l] = Start[l] + emissions[l];
        }

        for (int t = 1; t < n; t++)
        {
            for (int c = 0; c < k; c++)
            {
                float best = float.NegativeInfinity;
                int arg = 0;
                for (int p = 0; p < k; p++)
                {
                    float s = score[p] + Transitions[(p * k) + c];
                    if (s > best)
                    {
                        best = s;
                        arg = p;
                    }
                }

                next[c] = best + emissions[(t * k) + c];
                back[(t * k) + c] = (byte)arg;
            }

            next.CopyTo(score);
        }

        int last = 0;
        float top = float.NegativeInfinity;
        for (int l = 0; l < k; l++)
        {
            float s = score[l] + End[l];
            if (s > top)
            {
                top = s;
                last = l;
            }
        }

        labels[n - 1] = last;
        for (int t = n - 1; t > 0; t--)
        {
            labels[t - 1] = back[(t * k) + labels[t]];
        }
    }
}
