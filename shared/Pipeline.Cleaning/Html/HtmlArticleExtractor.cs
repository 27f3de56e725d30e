using System.Text;
using Pipeline.Cleaning.Text;

namespace Pipeline.Cleaning.Html;

internal sealed record HtmlExtraction(string Title, List<string> Paragraphs, PageMetadata Metadata, double Confidence);

/// <summary>
/// Finds the article in an HTML page: readability-style scoring of paragraph containers (text, commas, link density,
/// class vocabulary) picks the main block; its subtree is then rendered with boilerplate subtrees pruned.
/// </summary>
internal static class HtmlArticleExtractor
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.Ordinal)
    {
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
        "blockquote", "pre", "table", "tbody", "thead", "tfoot", "tr", "th", "figure", "figcaption", "header", "footer",
        "aside", "nav", "hr", "address", "center", "form", "fieldset", "details", "summary", "body", "html", "caption",
        "hgroup", "menu", "legend", "noscript",
    };

    private static readonly HashSet<string> SkippedInContent = new(StringComparer.Ordinal)
    {
        "nav", "aside", "footer", "header", "form", "figure", "figcaption", "menu", "time", "address", "caption", "button",
        "label", "fieldset", "legend", "sup",
    };

    public static HtmlExtraction Extract(string html)
    {
        var page = HtmlLiteParser.Parse(html);
        var metadata = PageMetadata.Read(page);
        var root = page.Root;
        var title = metadata.Title ?? string.Empty;

        var top = FindTopCandidate(root);
        var blocks = CollectBlocks(top, root);
        blocks.InsertRange(0, LeadBefore(top, root, blocks));
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            Render(block, paragraphs);
        }

        var candidate = paragraphs;
        paragraphs = PostFilter(paragraphs, title);
        var confidence = ExtractionConfidence.Clear;
        var flat = new List<string>();
        if (paragraphs.Sum(p => p.Length) < MinDomArticleChars && top.Score < MinArticleScore)
        {
            // The DOM gave (almost) nothing and no block looks like an article: read the whole page as scraped text instead.
            Render(root, flat, prune: false);
            var fromText = ScrapedTextCleaner.Clean(string.Join('\n', flat)).Paragraphs;
            if (IsClearlyLonger(fromText, paragraphs.Sum(p => p.Length)))
            {
                paragraphs = fromText;
                confidence = ExtractionConfidence.FromPageText;
            }
        }

        if (metadata.ArticleBody is { Length: > MinArticleBodyChars } body)
        {
            // The page's own JSON-LD articleBody stands in when the DOM yielded much less (a script-rendered page).
            var domLength = paragraphs.Sum(p => p.Length);
            if (domLength * ArticleBodyGain < body.Length)
            {
                paragraphs = [.. body.Split('\n').Select(x => TextTools.CollapseWhitespace(x)).Where(x => x.Length > 0)];
                confidence = ExtractionConfidence.Clear;
            }
        }

        var domChars = paragraphs.Sum(p => p.Length);
        if (domChars < MaxScriptDataFallbackChars && ScriptDataParagraphs(html) is { } fromData && IsClearlyLonger(fromData, domChars))
        {
            // Little text in the DOM but more in the page's script data: a page its scripts render from a state blob.
            paragraphs = fromData;
            confidence = ExtractionConfidence.FromPageText;
        }

        if (paragraphs.Count == 0)
        {
            // No block is clearly the article: the best candidate anyway, else every line of the page, flagged as a guess.
            if (candidate.Count == 0 && flat.Count == 0)
            {
                Render(root, flat, prune: false);
            }

            (paragraphs, confidence) = candidate.Count > 0
                ? (candidate, ExtractionConfidence.BestCandidate)
                : (flat, ExtractionConfidence.AllText);
        }

        if (metadata.Description is { } description && DescribedLead(root, description) is { } lead)
        {
            AddLead(lead, paragraphs);
        }

        AddMissingRecipeLines(metadata.RecipeLines, paragraphs);

        return new HtmlExtraction(title, paragraphs, metadata, confidence);
    }

    /// <summary>
    /// Least score of a block that is an article, however short (a few lines of prose under a content class): its text
    /// is kept rather than the whole page's, which would bring the sidebar along.
    /// </summary>
    private const double MinArticleScore = 10;

    /// <summary>Most text of a DOM extraction for which script data is still looked at (more is clearly the article).</summary>
    private const int MaxScriptDataFallbackChars = 1000;

    /// <summary>Less text than this (a few sentences) from a block that scores as no article sends us to the page's text.</summary>
    private const int MinDomArticleChars = 250;

    /// <summary>Shortest JSON-LD articleBody taken for the article (shorter ones are teasers or descriptions).</summary>
    private const int MinArticleBodyChars = 500;

    /// <summary>How many times the DOM's text the articleBody must be to replace it (the DOM drops captions and asides).</summary>
    private const int ArticleBodyGain = 3;

    /// <summary>
    /// A fallback replaces the DOM's text only when it has more than twice as much, and a few sentences more: a small gain
    /// is more likely chrome the fallback let through than story the DOM missed.
    /// </summary>
    private const int FallbackGain = 2;

    private const int FallbackMarginChars = 200;

    private static bool IsClearlyLonger(List<string> fallback, int domChars) =>
        fallback.Sum(p => p.Length) > (FallbackGain * domChars) + FallbackMarginChars;

    /// <summary>The paragraphs of the marked-up text in the page's script data, filtered as the DOM's are.</summary>
    private static List<string> ScriptDataParagraphs(string html)
    {
        var paragraphs = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fragment in ScriptData.Fragments(html))
        {
            var rendered = new List<string>();
            Render(HtmlLiteParser.Parse(fragment).Root, rendered);
            paragraphs.AddRange(rendered.Where(p => keys.Add(TextTools.Key(p))));
        }

        return PostFilter(paragraphs, string.Empty);
    }

    /// <summary>Paragraphs at each end of the text where bylines and captions sit (inside it, such lines are story).</summary>
    private const int EdgeParagraphs = 2;

    private static List<string> PostFilter(List<string> paragraphs, string title)
    {
        var titleKey = TextTools.Key(title);
        var result = new List<string>(paragraphs.Count);
        for (var i = 0; i < paragraphs.Count; i++)
        {
            var p = paragraphs[i];
            var key = TextTools.Key(p);
            if (key.Length == 0 || (titleKey.Length > 0 && key == titleKey))
            {
                continue;
            }

            if (ScrapedTextCleaner.IsBoilerplateParagraph(p, i < EdgeParagraphs || i >= paragraphs.Count - EdgeParagraphs))
            {
                continue;
            }

            result.Add(p);
        }

        return result;
    }

    /// <summary>Shortest paragraph, in word characters, that scores (Readability's: shorter ones are labels and links).</summary>
    private const int MinScoredParagraphChars = 25;

    /// <summary>A paragraph scores a point per this many characters, up to <see cref="MaxLengthPoints"/> (Readability's).</summary>
    private const int CharsPerLengthPoint = 100;

    private const int MaxLengthPoints = 3;

    /// <summary>Ancestor levels a paragraph's score goes to (Readability's).</summary>
    private const int ScoredAncestorLevels = 5;

    /// <summary>A candidate within this share of the best's score is a part of the same article, not a rival.</summary>
    private const double StrongCandidateShare = 0.75;

    /// <summary>How many strong candidates are looked at for a common parent (more are the page's teasers).</summary>
    private const int MaxStrongCandidates = 5;

    /// <summary>
    /// Readability's division of a paragraph's score up its ancestors: the parent gets it whole, the grandparent half,
    /// each level above a third per level.
    /// </summary>
    private const double GrandparentDivider = 2.0;

    private const double LevelDivider = 3.0;

    /// <summary>An unlikely-looking node is skipped only under 1/this of the page (more is the page's body, whatever its name).</summary>
    private const int SkippedPageFraction = 2;

    /// <summary>Fewest strong candidates, and of them under one ancestor, that make an article split into parts.</summary>
    private const int MinSplitParts = 2;

    /// <summary>Readability's scoring: paragraphs give their ancestors points; the best candidate, or the parent of its parts.</summary>
    private static PageNode FindTopCandidate(PageNode root)
    {
        var candidates = new List<PageNode>();
        var stack = new Stack<PageNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node != root && node.Chars * SkippedPageFraction < root.Chars && (IsUnlikelyCandidate(node) || IsTeaserList(node)))
            {
                continue;
            }

            foreach (var child in node.Children)
            {
                if (!child.IsText)
                {
                    stack.Push(child);
                }
            }

            if (!IsParagraphLike(node, out var length, out var commas))
            {
                continue;
            }

            if (length < MinScoredParagraphChars)
            {
                continue;
            }

            var score = 1.0 + commas + Math.Min(length / CharsPerLengthPoint, MaxLengthPoints);
            var ancestor = node.Parent;
            for (var level = 0; level < ScoredAncestorLevels && ancestor is not null; level++, ancestor = ancestor.Parent)
            {
                if (!ancestor.IsCandidate)
                {
                    ancestor.IsCandidate = true;
                    ancestor.Score = InitialScore(ancestor);
                    candidates.Add(ancestor);
                }

                var divider = level switch { 0 => 1.0, 1 => GrandparentDivider, _ => level * LevelDivider };
                ancestor.Score += score / divider;
            }
        }

        PageNode? best = null;
        foreach (var c in candidates)
        {
            c.Score *= 1 - LinkDensity(c);
            if (best is null || c.Score > best.Score)
            {
                best = c;
            }
        }

        if (best is null)
        {
            return root;
        }

        // Several strong candidates under one ancestor: the article is split into parts, take their common parent.
        var strong = candidates.Where(c => c != best && c.Score >= best.Score * StrongCandidateShare).Take(MaxStrongCandidates).ToList();
        if (strong.Count >= MinSplitParts)
        {
            var parent = best.Parent;
            while (parent is not null && parent != root)
            {
                var contained = strong.Count(s => IsAncestor(parent, s));
                if (contained >= MinSplitParts)
                {
                    best = parent;
                    break;
                }

                parent = parent.Parent;
            }
        }

        return ProseAncestor(RisingAncestor(best, root), root);
    }

    /// <summary>An ancestor scoring under 1/this of the best ends the walk up (Readability's: it is the page, not the article).</summary>
    private const double RisingAncestorFloor = 3;

    /// <summary>
    /// Readability's walk up from the best candidate: an ancestor whose score rises above the level below it gathers more
    /// of the article than the best alone (parts split into boxes of their own); a fall below a third of the best stops it.
    /// </summary>
    private static PageNode RisingAncestor(PageNode best, PageNode root)
    {
        var lastScore = best.Score;
        var threshold = best.Score / RisingAncestorFloor;
        for (var parent = best.Parent; parent is not null && parent != root; parent = parent.Parent)
        {
            if (!parent.IsCandidate)
            {
                continue;
            }

            if (parent.Score < threshold)
            {
                break;
            }

            if (parent.Score > lastScore)
            {
                return parent;
            }

            lastScore = parent.Score;
        }

        return best;
    }

    /// <summary>Ancestor levels above the top candidate searched for more of the article's prose.</summary>
    private const int ProseLevels = 3;

    /// <summary>How much more prose an ancestor must hold than the top candidate to be taken instead (half as much again).</summary>
    private const double ProseGain = 1.5;

    /// <summary>Link density above which an ancestor is the page's frame (menus, teaser lists), not the article.</summary>
    private const double ProseMaxLinkDensity = 0.2;

    /// <summary>
    /// The nearest ancestors hold the rest of an article that its markup splits into sections, rows or columns of their
    /// own, which scoring rates one by one: the highest of them with half as much prose again as the top is taken, up to
    /// one whose name or links say it is chrome.
    /// </summary>
    private static PageNode ProseAncestor(PageNode top, PageNode root)
    {
        var prose = ProseChars(top);
        var result = top;
        var ancestor = top.Parent;
        for (var level = 0; level < ProseLevels && ancestor is not null && ancestor != root && ancestor.Tag != "body"; level++, ancestor = ancestor.Parent)
        {
            if (Hints.IsNegative(ancestor.Hints) || LinkDensity(ancestor) > ProseMaxLinkDensity)
            {
                break;
            }

            if (ProseChars(ancestor) is var more && more > prose && more >= prose * ProseGain)
            {
                result = ancestor;
            }
        }

        return result;
    }

    /// <summary>Least length of a paragraph counted as prose, in word characters (shorter is a label, a caption or a link).</summary>
    private const int MinProseParagraphChars = 80;

    /// <summary>Link density from which a paragraph is a link list or a teaser rather than prose.</summary>
    private const double ParagraphMaxLinkDensity = 0.3;

    /// <summary>Characters of the prose paragraphs in a subtree, outside chrome (by tag, name or Readability's vocabulary).</summary>
    private static int ProseChars(PageNode node)
    {
        var total = 0;
        var stack = new Stack<PageNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n != node && (IsUnlikelyCandidate(n) || SkippedInContent.Contains(n.Tag) || (n.Hints.Length > 0 && Hints.IsNegative(n.Hints))))
            {
                continue;
            }

            if (n.Tag == "p")
            {
                if (n.Chars >= MinProseParagraphChars && LinkDensity(n) < ParagraphMaxLinkDensity)
                {
                    total += n.Chars;
                }

                continue;
            }

            foreach (var child in n.Children)
            {
                if (!child.IsText)
                {
                    stack.Push(child);
                }
            }
        }

        return total;
    }

    /// <summary>Longest teaser, in word characters: a title link and a summary of a few lines.</summary>
    private const int TeaserMaxChars = 500;

    /// <summary>Least link density of a teaser (its title is a link); a paragraph of prose with a link or two has less.</summary>
    private const double TeaserMinLinkDensity = 0.15;

    /// <summary>Fewest items of a teaser list (two are a pair of blocks).</summary>
    private const int MinTeaserListItems = 3;

    /// <summary>"Mostly" in a teaser list: <see cref="MostlyParts"/> items in <see cref="MostlyOf"/> alike, and as many teasers.</summary>
    private const int MostlyParts = 2;

    private const int MostlyOf = 3;

    /// <summary>
    /// A list of teasers of other pages (a listing, a "latest posts" box): three or more items, mostly alike in tag and
    /// class (numbers aside) and mostly a title link with a short summary, whose summaries would otherwise score as prose.
    /// </summary>
    private static bool IsTeaserList(PageNode node)
    {
        var items = 0;
        var teasers = 0;
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var child in node.Children)
        {
            if (child.IsText || child.Chars == 0)
            {
                continue;
            }

            items++;
            var kind = child.Tag + ":" + string.Concat(child.Hints.Where(c => !char.IsAsciiDigit(c)));
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            if (child.Tag != "p" && child.LinkChars > 0 && child.Chars < TeaserMaxChars && LinkDensity(child) >= TeaserMinLinkDensity)
            {
                teasers++;
            }
        }

        return items >= MinTeaserListItems && kinds.Values.Max() * MostlyOf >= items * MostlyParts && teasers * MostlyOf >= items * MostlyParts;
    }

    /// <summary>Readability's "unlikely candidates": chrome by tag or by name, unless the name also sounds like content.</summary>
    private static bool IsUnlikelyCandidate(PageNode node)
    {
        if (node.Tag is "nav" or "aside" or "footer")
        {
            return true;
        }

        return !InlineTags.Contains(node.Tag) && Hints.IsUnlikely(node.Hints);
    }

    private static readonly HashSet<string> InlineTags = new(StringComparer.Ordinal)
    {
        "a", "span", "strong", "em", "b", "i", "u", "small", "abbr", "cite", "q", "mark", "font", "sub", "code", "s", "del", "ins",
        "big", "tt", "var", "kbd", "samp", "bdi", "bdo", "data", "dfn",
    };

    private static bool IsAncestor(PageNode ancestor, PageNode node)
    {
        for (var n = node.Parent; n is not null; n = n.Parent)
        {
            if (n == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Readability's start score of a div or a section: the usual container of an article's paragraphs.</summary>
    private const int ContainerTagScore = 5;

    /// <summary>Readability's start score of pre, td and blockquote: blocks of text, sometimes the article's own.</summary>
    private const int TextBlockTagScore = 3;

    /// <summary>Readability's start score of lists, forms and addresses: they hold items and fields, rarely an article.</summary>
    private const int ListTagScore = -3;

    /// <summary>Readability's start score of headings and table headers: labels, never an article's container.</summary>
    private const int HeadingTagScore = -5;

    /// <summary>More start score for article and main, the elements a page marks its content with.</summary>
    private const int ArticleTagBonus = 10;

    private static double InitialScore(PageNode node)
    {
        var score = (double)Hints.Weight(node.Hints);
        score += node.Tag switch
        {
            "div" or "article" or "main" or "section" => ContainerTagScore,
            "pre" or "td" or "blockquote" => TextBlockTagScore,
            "address" or "ol" or "ul" or "dl" or "dd" or "dt" or "li" or "form" => ListTagScore,
            "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "th" => HeadingTagScore,
            _ => 0,
        };
        if (node.Tag is "article" or "main")
        {
            score += ArticleTagBonus;
        }

        return score;
    }

    private static double LinkDensity(PageNode node) => node.Chars == 0 ? 0 : (double)node.LinkChars / node.Chars;

    /// <summary>A paragraph's links count for 1/this of their length (Readability's: a link or two leaves it prose).</summary>
    private const int ParagraphLinkDivisor = 2;

    /// <summary>p, pre and td, or any element whose own inline content (text not inside block children) is a paragraph.</summary>
    private static bool IsParagraphLike(PageNode node, out int length, out int commas)
    {
        length = 0;
        commas = 0;
        if (node.Tag is "p" or "pre" or "td" or "blockquote")
        {
            length = node.Chars - node.LinkChars / ParagraphLinkDivisor;
            commas = node.Commas;
            return true;
        }

        foreach (var child in node.Children)
        {
            if (child.IsText || !BlockTags.Contains(child.Tag))
            {
                length += child.IsText ? child.Chars : child.Chars - child.LinkChars;
                commas += child.Commas;
            }
        }

        return length > 0;
    }

    /// <summary>Readability's least score of a sibling that is more of the article: this, or a share of the top's.</summary>
    private const double MinSiblingScore = 10;

    private const double SiblingScoreShare = 0.2;

    /// <summary>Readability's bonus, as a share of the top's score, of a sibling with the top's class (another part of it).</summary>
    private const double SameClassBonusShare = 0.2;

    /// <summary>
    /// Readability's: a sibling paragraph longer than this, and under <see cref="SiblingMaxLinkDensity"/>, is more of the
    /// article; a shorter one must have no links and end a sentence.
    /// </summary>
    private const int SiblingParagraphChars = 80;

    private const double SiblingMaxLinkDensity = 0.25;

    /// <summary>The top candidate plus siblings that look like more of the article.</summary>
    private static List<PageNode> CollectBlocks(PageNode top, PageNode root)
    {
        if (top == root)
        {
            return [top];
        }

        var threshold = Math.Max(MinSiblingScore, top.Score * SiblingScoreShare);
        var sameClassBonus = top.Score * SameClassBonusShare;

        // Wrappers around the top alone (a field in an item in a list of fields) hide the siblings that continue it.
        while (top.Parent is { } wrapper && wrapper != root && wrapper.Tag != "body" && wrapper.Chars == top.Chars
            && wrapper.Children.Count(c => !c.IsText) == 1 && !Hints.IsNegative(wrapper.Hints))
        {
            top = wrapper;
        }

        var parent = top.Parent;
        if (parent is null)
        {
            return [top];
        }

        var blocks = new List<PageNode>();
        foreach (var sibling in parent.Children)
        {
            if (sibling == top)
            {
                blocks.Add(sibling);
                continue;
            }

            if (sibling.IsText || Hints.IsNegative(sibling.Hints))
            {
                continue;
            }

            var bonus = sibling.Hints.Length > 0 && sibling.Hints == top.Hints ? sameClassBonus : 0;
            if (sibling.IsCandidate && sibling.Score + bonus >= threshold)
            {
                blocks.Add(sibling);
            }
            else if (sibling.Tag != "p" && IsParagraphLike(sibling, out var ownLength, out _) && ownLength > SiblingParagraphChars
                && LinkDensity(sibling) < SiblingMaxLinkDensity && EndsSentence(sibling))
            {
                blocks.Add(sibling); // a lead or standfirst set beside the body
            }
            else if (sibling.Tag == "p")
            {
                var ld = LinkDensity(sibling);
                if ((sibling.Chars > SiblingParagraphChars && ld < SiblingMaxLinkDensity)
                    || (sibling.Chars > 0 && ld == 0 && sibling.Commas + 1 > 0 && sibling.Chars < SiblingParagraphChars && EndsSentence(sibling)))
                {
                    blocks.Add(sibling);
                }
            }
        }

        return WithSectionHeadings(blocks, parent);
    }

    /// <summary>The blocks, each with the heading set right before it among the siblings (a section title of the text).</summary>
    private static List<PageNode> WithSectionHeadings(List<PageNode> blocks, PageNode parent)
    {
        var result = new List<PageNode>(blocks.Count);
        PageNode? heading = null;
        foreach (var sibling in parent.Children)
        {
            if (sibling.IsText)
            {
                continue;
            }

            if (blocks.Contains(sibling))
            {
                if (heading is not null)
                {
                    result.Add(heading);
                }

                result.Add(sibling);
            }

            heading = sibling.Chars > 0 && IsPlainHeading(sibling) ? sibling : null;
        }

        return result;
    }

    /// <summary>Ancestor levels searched for a lead set apart from the body (in the article's header, a teaser or intro box).</summary>
    private const int LeadLevels = 3;

    /// <summary>
    /// Prose paragraphs before the body inside the same article: a lead or standfirst that the page puts in the article's
    /// header or a box of its own, up to the nearest article or main element. Shorter than the body, never links or chrome.
    /// </summary>
    private static List<PageNode> LeadBefore(PageNode top, PageNode root, List<PageNode> blocks)
    {
        var leads = new List<PageNode>();
        var node = top;
        for (var level = 0; level < LeadLevels && node.Parent is { } parent && parent != root && parent.Tag != "body"; level++, node = parent)
        {
            var found = new List<PageNode>();
            foreach (var sibling in parent.Children)
            {
                if (sibling == node)
                {
                    break;
                }

                if (!sibling.IsText && !blocks.Contains(sibling))
                {
                    CollectLeadParagraphs(sibling, found);
                }
            }

            leads.InsertRange(0, found);
            if (parent.Tag is "article" or "main")
            {
                break;
            }
        }

        return leads.Sum(l => l.Chars) < top.Chars ? leads : [];
    }

    /// <summary>Shortest summary, in characters of its key, that is evidence enough to recognise a lead by.</summary>
    private const int MinDescribedLeadChars = 40;

    /// <summary>A described lead is at most this many times the description's length (a longer block is the body).</summary>
    private const int MaxLeadToDescription = 3;

    /// <summary>
    /// The first paragraph of the page that the page's own description repeats (the one may be cut short or run on longer
    /// than the other): a standfirst or lead, often set apart from the body in a header that scoring skips or prunes.
    /// </summary>
    private static PageNode? DescribedLead(PageNode root, string description)
    {
        var descriptionKey = TextTools.Key(description);
        if (descriptionKey.Length < MinDescribedLeadChars)
        {
            return null;
        }

        var stack = new Stack<PageNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.Tag is "nav" or "aside" or "footer" or "form" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "a")
            {
                continue;
            }

            if (IsParagraphLike(node, out var length, out _) && length >= MinDescribedLeadChars && LinkDensity(node) < ParagraphMaxLinkDensity
                && node.Chars <= MaxLeadToDescription * descriptionKey.Length && SharesOpening(descriptionKey, TextTools.Key(PageTree.TextOf(node))))
            {
                return node;
            }

            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                if (!node.Children[i].IsText)
                {
                    stack.Push(node.Children[i]);
                }
            }
        }

        return null;
    }

    /// <summary>Does one text open with the other, but for the other's last word (where a summary is cut off)?</summary>
    private static bool SharesOpening(string key, string otherKey)
    {
        var (shorter, longer) = key.Length <= otherKey.Length ? (key, otherKey) : (otherKey, key);
        var lastSpace = shorter.LastIndexOf(' ');
        var opening = lastSpace > 0 ? shorter[..lastSpace] : shorter;
        return opening.Length >= MinDescribedLeadChars && longer.StartsWith(opening, StringComparison.Ordinal);
    }

    /// <summary>Puts the lead's text first, unless the article already has it.</summary>
    private static void AddLead(PageNode lead, List<string> paragraphs)
    {
        var leadParagraphs = new List<string>();
        Render(lead, leadParagraphs);
        var articleKey = TextTools.Key(string.Join(' ', paragraphs));
        if (!leadParagraphs.TrueForAll(p => articleKey.Contains(TextTools.Key(p), StringComparison.Ordinal)))
        {
            paragraphs.InsertRange(0, leadParagraphs);
        }
    }

    /// <summary>
    /// The ingredients and steps the page declares for its recipe that the text lacks (a recipe card drawn by script, or
    /// one set apart from the story around it) go after the text.
    /// </summary>
    private static void AddMissingRecipeLines(List<string> recipeLines, List<string> paragraphs)
    {
        if (recipeLines.Count == 0)
        {
            return;
        }

        var articleKey = TextTools.Key(string.Join(' ', paragraphs));
        paragraphs.AddRange(recipeLines.Where(line => !articleKey.Contains(TextTools.Key(line), StringComparison.Ordinal)));
    }

    /// <summary>Link density above which a block before the body is a menu or teasers, not the article's lead.</summary>
    private const double LeadMaxLinkDensity = 0.2;

    /// <summary>A lead paragraph this long needs no final stop (a shorter one without it is a label or a deck line).</summary>
    private const int MinUnpunctuatedLeadChars = 150;

    private static void CollectLeadParagraphs(PageNode node, List<PageNode> leads)
    {
        if (node.Tag is "nav" or "aside" or "footer" or "form" or "figure" or "figcaption" or "ul" or "ol" or "table"
            || (IsUnlikelyCandidate(node) && !IsArticleHeader(node)) || (node.Hints.Length > 0 && Hints.IsStrongNegative(node.Hints)) || LinkDensity(node) > LeadMaxLinkDensity)
        {
            return;
        }

        if (IsParagraphLike(node, out var length, out _) && length >= MinProseParagraphChars && (length >= MinUnpunctuatedLeadChars || EndsSentence(node)))
        {
            leads.Add(node);
            return;
        }

        foreach (var child in node.Children)
        {
            if (!child.IsText)
            {
                CollectLeadParagraphs(child, leads);
            }
        }
    }

    /// <summary>The header of the article (its headline, standfirst and byline), whose name only says where it sits.</summary>
    private static bool IsArticleHeader(PageNode node) =>
        (node.Tag == "header" || node.Hints.Contains("header", StringComparison.Ordinal)) && !Hints.IsNegative(node.Hints.Replace("header", " ", StringComparison.Ordinal));

    private static bool EndsSentence(PageNode node)
    {
        var sb = new StringBuilder();
        AppendText(node, sb);
        return TextTools.EndsLikeSentence(sb.ToString());
    }

    private static void AppendText(PageNode node, StringBuilder sb)
    {
        var stack = new Stack<PageNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n.IsText)
            {
                sb.Append(n.Text);
                continue;
            }

            for (var i = n.Children.Count - 1; i >= 0; i--)
            {
                stack.Push(n.Children[i]);
            }
        }
    }

    /// <summary>A block named for both chrome and content is pruned under 1/this of the container (more is the article).</summary>
    private const int MixedHintsContainerFraction = 2;

    /// <summary>
    /// A block with more than this link density is a link list when short (under <see cref="LinkListMaxChars"/>), and
    /// above <see cref="LinkListSureDensity"/> at any length.
    /// </summary>
    private const double LinkListMinDensity = 0.5;

    private const int LinkListMaxChars = 600;

    private const double LinkListSureDensity = 0.7;

    /// <summary>Is this element chrome inside the article (share bar, related list, caption, link list)?</summary>
    private static bool IsBoilerplate(PageNode node, PageNode container)
    {
        if (SkippedInContent.Contains(node.Tag))
        {
            return true;
        }

        if (node.Hints.Contains("embed", StringComparison.Ordinal) || node.Hints.Contains("tweet", StringComparison.Ordinal))
        {
            return false; // an embedded post (tweet, Instagram) is quoted content of the story
        }

        if (InlineTags.Contains(node.Tag))
        {
            return node.Hints.Length > 0 && (Hints.IsStrongNegative(node.Hints) || node.Hints.Contains("caption", StringComparison.Ordinal));
        }

        if (node.Hints.Length > 0 && Hints.IsNegative(node.Hints) && !IsLongProse(node) && !IsPlainHeading(node))
        {
            if (!Hints.IsPositive(node.Hints) || node.Chars * MixedHintsContainerFraction < container.Chars)
            {
                return true;
            }
        }

        if (BlockTags.Contains(node.Tag) && node.Chars > 0)
        {
            var ld = LinkDensity(node);
            if (node.Tag is "ul" or "ol" or "dl" or "table" or "div" or "section" or "li" or "p")
            {
                if (ld > LinkListMinDensity && (node.Chars < LinkListMaxChars || ld > LinkListSureDensity))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Link density from which a heading is a link (a teaser's title), not a subheading of the text.</summary>
    private const double HeadingMaxLinkDensity = 0.5;

    /// <summary>
    /// A subheading of the text: h2 to h6, not mostly a link, and named for chrome by nothing but a headline or subtitle
    /// class, which on a block marks a teaser but on a heading says what it is.
    /// </summary>
    private static bool IsPlainHeading(PageNode node) =>
        node.Tag is "h2" or "h3" or "h4" or "h5" or "h6" && LinkDensity(node) < HeadingMaxLinkDensity && !Hints.IsNegative(Hints.WithoutHeadingNames(node.Hints));

    /// <summary>Text this long without links outweighs a chrome-sounding class name ("header-align-left" on a recipe card).</summary>
    private const int LongProseChars = 1000;

    /// <summary>Link density of long prose: a few links in a long text; more is a link-heavy box that is chrome.</summary>
    private const double LongProseMaxLinkDensity = 0.1;

    private static bool IsLongProse(PageNode node) =>
        node.Chars >= LongProseChars && LinkDensity(node) < LongProseMaxLinkDensity && !Hints.IsCommentThread(node.Hints);

    /// <summary>Writes the text of a subtree as paragraphs, skipping boilerplate. Iterative (no deep recursion).</summary>
    private static void Render(PageNode container, List<string> paragraphs, bool prune = true)
    {
        var current = new StringBuilder();
        var paragraphsAtLastPrune = 0; // a line drops only with the first of several lists pruned in a row
        var stack = new Stack<(PageNode Node, bool Exit)>();
        stack.Push((container, false));
        while (stack.Count > 0)
        {
            var (node, exit) = stack.Pop();
            if (node.IsText)
            {
                current.Append(node.Text);
                continue;
            }

            var block = BlockTags.Contains(node.Tag);
            if (exit)
            {
                if (block)
                {
                    Flush(current, paragraphs);
                }
                else if (node.Tag is "td" or "th")
                {
                    current.Append(' ');
                }
                else if (!IsRubyBase(node))
                {
                    current.Append(InlineBoundary);
                }

                continue;
            }

            if (node != container && prune && IsBoilerplate(node, container))
            {
                if (BlockTags.Contains(node.Tag) && node.Chars >= MinListChars && paragraphs.Count > paragraphsAtLastPrune
                    && (LinkDensity(node) > LinkListMinDensity || Hints.IsStrongNegative(node.Hints)))
                {
                    DropIntroLine(current, paragraphs);
                }

                paragraphsAtLastPrune = paragraphs.Count;

                continue;
            }

            if (node.Tag == "br")
            {
                current.Append('\u0001');
                continue;
            }

            if (block)
            {
                Flush(current, paragraphs);
            }
            else if (!IsRubyBase(node))
            {
                current.Append(InlineBoundary);
            }

            stack.Push((node, true));
            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push((node.Children[i], false));
            }
        }

        Flush(current, paragraphs);
    }

    /// <summary>Least text of a pruned list whose heading goes with it (one stray link has none).</summary>
    private const int MinListChars = 40;

    /// <summary>Longest line, in words, taken for the heading of a list ("See also:", "More on this topic").</summary>
    private const int IntroLineWords = 8;

    /// <summary>
    /// A link list or share bar was pruned: the short heading line right before it ("Read also", "More topics:") only
    /// introduced it, and would be left dangling in the text.
    /// </summary>
    private static void DropIntroLine(StringBuilder current, List<string> paragraphs)
    {
        if (paragraphs.Count == 0 || current.ToString().Any(TextTools.IsWordChar))
        {
            return;
        }

        var last = paragraphs[^1];
        if (TextTools.CountWords(last) <= IntroLineWords && last[^1] is not ('.' or '!' or '。' or '！'))
        {
            paragraphs.RemoveAt(paragraphs.Count - 1);
        }
    }

    /// <summary>Ruby base text (its annotations are dropped) is part of the word around it, also in CJK text.</summary>
    private static bool IsRubyBase(PageNode node) => node.Tag is "ruby" or "rb";

    /// <summary>Marks where an inline element starts or ends.</summary>
    private const char InlineBoundary = '\u0002';

    /// <summary>
    /// In scripts written without spaces, an element boundary next to a CJK letter becomes a space ("ソフト<a>KeePass</a>の"
    /// reads as separate words, as text extraction tools render it); elsewhere boundaries vanish ("<b>W</b>hile" stays one word).
    /// </summary>
    private static string ResolveInlineBoundaries(StringBuilder text)
    {
        var sb = new StringBuilder(text.Length);
        var pending = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == InlineBoundary)
            {
                pending = true;
                continue;
            }

            if (pending && sb.Length > 0 && TextTools.IsWordChar(sb[^1]) && TextTools.IsWordChar(c)
                && TextTools.IsCjk(sb[^1]) != TextTools.IsCjk(c))
            {
                sb.Append(' ');
            }

            pending = false;
            sb.Append(c);
        }

        return sb.ToString();
    }

    private static void Flush(StringBuilder current, List<string> paragraphs)
    {
        if (current.Length == 0)
        {
            return;
        }

        // Line breaks (<br>) split a block into paragraphs of their own.
        foreach (var piece in ResolveInlineBoundaries(current).Split('\u0001'))
        {
            var text = TextTools.CollapseWhitespace(piece);
            if (text.Length > 0)
            {
                paragraphs.Add(text);
            }
        }

        current.Clear();
    }
}
