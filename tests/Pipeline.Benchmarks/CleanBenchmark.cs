using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Pipeline.Cleaning;

/// <summary>
/// The clean stage over the article-extraction dev set, as HTML and as scraped text: F1/precision/recall with the
/// scorer's metric (word 4-gram shingles, averaged per document), pages/s and MB/s on one core, SmartReader beside it;
/// then over the multilingual dev set (its sibling folder) with that evaluation's segment metric.
/// Usage: clean [--data DIR] [--out DIR] [--rounds N] [--worst N] [--only html|text|multilingual] [--ids FILE] [--no-smartreader]
/// </summary>
internal static class CleanBenchmark
{
    private sealed record Page(string Id, byte[] Html, byte[] Text, string Truth, string Url);

    private sealed record Score(double F1, double Precision, double Recall);

    public static int Run(string[] args)
    {
        string? dataDir = null, outDir = null, only = null, idsFile = null;
        int rounds = 3, worst = 0;
        var smartReader = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data": dataDir = args[++i]; break;
                case "--out": outDir = args[++i]; break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--worst": worst = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only": only = args[++i]; break;
                case "--ids": idsFile = args[++i]; break;
                case "--no-smartreader": smartReader = false; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        dataDir ??= FindDataDir();
        if (dataDir is null || !File.Exists(Path.Combine(dataDir, "ground-truth.json")))
        {
            Console.Error.WriteLine("dev set not found: pass --data DIR (the article-extraction-dev folder)");
            return 2;
        }

        var pages = Load(dataDir, idsFile);
        outDir ??= Path.Combine(Path.GetTempPath(), "pipeline-clean-bench");
        Directory.CreateDirectory(outDir);
        Console.WriteLine($"dev set: {dataDir} ({pages.Count} pages); predictions in {outDir}");
        Console.WriteLine($"{"system",-24} {"input",-6} {"F1",6} {"prec",6} {"recall",6} {"pages/s",9} {"MB/s",7} {"fail",5}");

        var cleaner = new ArticleCleaner();
        foreach (var mode in new[] { "html", "text" })
        {
            if (only is not null && only != mode)
            {
                continue;
            }

            Func<Page, byte[]> input = mode == "html" ? p => p.Html : p => p.Text;
            var ext = mode == "html" ? ".html" : ".txt";
            var (predictions, seconds, failures) = Measure(pages, rounds, p =>
            {
                try
                {
                    return cleaner.Clean(input(p), p.Id + ext).Text;
                }
                catch (Pipeline.Contracts.InvalidDocumentException)
                {
                    return null;
                }
            });
            Report("Pipeline.Cleaning", mode, pages, predictions, seconds, input, failures, outDir, worst);

            if (smartReader)
            {
                var (srPredictions, srSeconds, srFailures) = Measure(pages, rounds, p =>
                {
                    try
                    {
                        var html = mode == "html" ? DecodeForSmartReader(p.Html) : TextAsHtml(Encoding.UTF8.GetString(p.Text));
                        var article = new SmartReader.Reader(p.Url, html).GetArticle();
                        return article.IsReadable ? article.TextContent : null;
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        return null;
                    }
                });
                Report("SmartReader 0.11.1", mode, pages, srPredictions, srSeconds, input, srFailures, outDir, 0);
            }
        }

        Console.WriteLine($"check: python3 ../shared/tools/score_articles.py {Path.Combine(dataDir, "ground-truth.json")} {outDir}/*.json");
        var multilingualDir = Path.GetFullPath(Path.Combine(dataDir, "..", "multilingual-dev"));
        if ((only is null || only == "multilingual") && File.Exists(Path.Combine(multilingualDir, "evaldata.json")))
        {
            RunMultilingual(multilingualDir, cleaner, rounds, smartReader, outDir);
        }

        return 0;
    }

    private sealed record SegmentPage(string Id, byte[] Html, string Url, string[] With, string[] Without);

    /// <summary>The multilingual set, scored as <c>score_segments.py</c> does (segments found in the output, counts summed over pages).</summary>
    private static void RunMultilingual(string dir, ArticleCleaner cleaner, int rounds, bool smartReader, string outDir)
    {
        var pages = LoadSegmentPages(dir);
        Console.WriteLine($"multilingual set: {dir} ({pages.Count} pages)");
        Console.WriteLine($"{"system",-24} {"input",-6} {"F1",6} {"prec",6} {"recall",6} {"pages/s",9} {"MB/s",7} {"empty",5}");
        var (predictions, seconds, _) = Measure(pages, rounds, p =>
        {
            try
            {
                return cleaner.Clean(p.Html, p.Id + ".html").Text;
            }
            catch (Pipeline.Contracts.InvalidDocumentException)
            {
                return null;
            }
        });
        ReportSegments("Pipeline.Cleaning", pages, predictions, seconds, outDir);
        if (smartReader)
        {
            var (srPredictions, srSeconds, _) = Measure(pages, rounds, p =>
            {
                try
                {
                    var article = new SmartReader.Reader(p.Url, DecodeForSmartReader(p.Html)).GetArticle();
                    return article.IsReadable ? article.TextContent : null;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    return null;
                }
            });
            ReportSegments("SmartReader 0.11.1", pages, srPredictions, srSeconds, outDir);
        }

        Console.WriteLine($"check: python3 ../shared/tools/score_segments.py {Path.Combine(dir, "evaldata.json")} {outDir}/pipeline-multilingual.jsonl");
    }

    private static void ReportSegments(string system, List<SegmentPage> pages, string?[] predictions, double seconds, string outDir)
    {
        // Counts for the whole set and for each half of the sites (what is tuned on one half should hold on the other).
        long[] tp = new long[3], fp = new long[3], fn = new long[3];
        var empty = 0;
        var lines = new List<string>(pages.Count);
        for (var i = 0; i < pages.Count; i++)
        {
            var output = SegmentNorm(predictions[i] ?? string.Empty);
            empty += output.Length == 0 ? 1 : 0;
            var found = pages[i].With.Count(w => output.Length > 0 && output.Contains(SegmentNorm(w), StringComparison.Ordinal));
            var foundWithout = pages[i].Without.Count(w => output.Length > 0 && output.Contains(SegmentNorm(w), StringComparison.Ordinal));
            foreach (var bucket in new[] { 0, 1 + SiteHalf(pages[i].Url) })
            {
                tp[bucket] += found;
                fn[bucket] += pages[i].With.Length - found;
                fp[bucket] += foundWithout;
            }

            lines.Add(JsonSerializer.Serialize(new Dictionary<string, string> { ["file"] = pages[i].Id + ".html", ["text"] = predictions[i] ?? string.Empty }));
        }

        var (f1, p, r) = SegmentScore(tp[0], fp[0], fn[0]);
        var bytes = pages.Sum(x => (long)x.Html.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{system,-24} {"html",-6} {f1,6:F3} {p,6:F3} {r,6:F3} {pages.Count / seconds,9:F1} {bytes / seconds / 1e6,7:F2} {empty,5}"));
        for (var half = 1; half <= 2; half++)
        {
            var (hf1, hp, hr) = SegmentScore(tp[half], fp[half], fn[half]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    sites {half}/2 {hf1,19:F3} {hp,6:F3} {hr,6:F3}"));
        }

        var name = (system.StartsWith("Pipeline", StringComparison.Ordinal) ? "pipeline" : "smartreader") + "-multilingual.jsonl";
        File.WriteAllLines(Path.Combine(outDir, name), lines);
    }

    private static (double F1, double Precision, double Recall) SegmentScore(long tp, long fp, long fn) =>
        (tp + fp + fn > 0 ? 2.0 * tp / (2 * tp + fp + fn) : 0, tp + fp > 0 ? (double)tp / (tp + fp) : 0, tp + fn > 0 ? (double)tp / (tp + fn) : 0);

    /// <summary>Which half of the sites a page belongs to: parity of the SHA-256 of its URL's host.</summary>
    private static int SiteHalf(string url)
    {
        var host = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : url;
        return System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(host))[^1] & 1;
    }

    /// <summary>Python's <c>re.sub(r"\s+", " ", text).strip()</c>, as the segment scorer normalises.</summary>
    private static string SegmentNorm(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (IsPythonSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static bool IsPythonSpace(char c) =>
        c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\x1c' or '\x1d' or '\x1e' or '\x1f' or '\x85' || char.IsSeparator(c);

    private static List<SegmentPage> LoadSegmentPages(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "evaldata.json")));
        var pages = new List<SegmentPage>();
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            using var gz = new GZipStream(File.OpenRead(Path.Combine(dir, "html", entry.Name + ".html.gz")), CompressionMode.Decompress);
            using var html = new MemoryStream();
            gz.CopyTo(html);
            string[] Segments(string name) => [.. entry.Value.GetProperty(name).EnumerateArray().Select(x => x.GetString() ?? string.Empty)];
            pages.Add(new SegmentPage(entry.Name, html.ToArray(), entry.Value.GetProperty("url").GetString() ?? string.Empty,
                Segments("with"), Segments("without")));
        }

        return pages;
    }

    private static (string?[] Predictions, double Seconds, int Failures) Measure<TPage>(List<TPage> pages, int rounds, Func<TPage, string?> run)
    {
        var predictions = new string?[pages.Count];
        for (var i = 0; i < pages.Count; i++)
        {
            predictions[i] = run(pages[i]); // warm-up round, and the predictions that are scored
        }

        var failures = predictions.Count(p => p is null);

        // Warm-up until the JIT has settled (tiered compilation promotes hot methods after a few hundred calls).
        var warm = Stopwatch.StartNew();
        for (var w = 0; w < 20 && (w < 3 || warm.Elapsed < TimeSpan.FromSeconds(1)); w++)
        {
            foreach (var page in pages)
            {
                run(page);
            }
        }

        // CPU time of this process (the work runs on one thread), so that other load on the machine does not count.
        var process = Process.GetCurrentProcess();
        GC.Collect();
        var cpu = process.TotalProcessorTime;
        for (var r = 0; r < rounds; r++)
        {
            foreach (var page in pages)
            {
                run(page);
            }
        }

        process.Refresh();
        return (predictions, (process.TotalProcessorTime - cpu).TotalSeconds / Math.Max(1, rounds), failures);
    }

    private static void Report(string system, string mode, List<Page> pages, string?[] predictions, double seconds,
        Func<Page, byte[]> input, int failures, string outDir, int worst)
    {
        var rows = new List<(string Id, double P, double R, bool HasP, bool HasR)>();
        var json = new Dictionary<string, Dictionary<string, string>>();
        for (var i = 0; i < pages.Count; i++)
        {
            var (tp, fp, fn) = Counts(pages[i].Truth, predictions[i] ?? string.Empty);
            rows.Add((pages[i].Id, Precision(tp, fp, fn), Recall(tp, fp, fn), tp + fp > 0, tp + fn > 0));
            json[pages[i].Id] = new() { ["articleBody"] = predictions[i] ?? string.Empty };
        }

        var ps = rows.Where(r => r.HasP).Select(r => r.P).ToList();
        var rs = rows.Where(r => r.HasR).Select(r => r.R).ToList();
        var p = ps.Count > 0 ? ps.Average() : 0;
        var r = rs.Count > 0 ? rs.Average() : 0;
        var f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
        var bytes = pages.Sum(x => (long)input(x).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{system,-24} {mode,-6} {f1,6:F3} {p,6:F3} {r,6:F3} {pages.Count / seconds,9:F1} {bytes / seconds / 1e6,7:F2} {failures,5}"));

        var name = (system.StartsWith("Pipeline", StringComparison.Ordinal) ? "pipeline" : "smartreader") + "-" + mode + ".json";
        File.WriteAllText(Path.Combine(outDir, name), JsonSerializer.Serialize(json));
        foreach (var row in rows.OrderBy(x => Math.Min(x.P, x.R)).Take(worst))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {row.Id[..12]}  P {row.P:F3}  R {row.R:F3}"));
        }
    }

    private static string DecodeForSmartReader(byte[] html)
    {
        // SmartReader gets the same decoded text our cleaner would see: UTF-8 when valid, else Windows-1252.
        return System.Text.Unicode.Utf8.IsValid(html)
            ? Encoding.UTF8.GetString(html)
            : CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetString(html);
    }

    private static string TextAsHtml(string text)
    {
        var sb = new StringBuilder("<html><body>");
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length > 0)
            {
                sb.Append("<p>").Append(System.Net.WebUtility.HtmlEncode(line.Trim())).Append("</p>\n");
            }
        }

        return sb.Append("</body></html>").ToString();
    }

    // ---- The scorer's metric (score_articles.py), reproduced exactly ----

    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var word = i < text.Length && IsPythonWordChar(text, i);
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                tokens.Add(text[start..i]);
                start = -1;
            }

            if (word && char.IsHighSurrogate(text[i]))
            {
                i++;
            }
        }

        return tokens;
    }

    private static bool IsPythonWordChar(string text, int i)
    {
        var c = text[i];
        if (c < 0x80)
        {
            return char.IsAsciiLetterOrDigit(c) || c == '_';
        }

        var cat = char.IsHighSurrogate(c) && i + 1 < text.Length
            ? CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1]))
            : CharUnicodeInfo.GetUnicodeCategory(c);
        return cat is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
    }

    private static Dictionary<string, int> Shingles(string text, int n = 4)
    {
        var tokens = Tokens(text);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var count = Math.Max(1, tokens.Count - n + 1);
        for (var i = 0; i < count; i++)
        {
            var take = Math.Min(n, tokens.Count - i);
            if (take <= 0)
            {
                continue;
            }

            var key = string.Join('\u0001', tokens.GetRange(i, take));
            result[key] = result.GetValueOrDefault(key) + 1;
        }

        return result;
    }

    private static (double Tp, double Fp, double Fn) Counts(string truth, string prediction)
    {
        var t = Shingles(truth);
        var p = Shingles(prediction);
        long tp = 0, fp = 0, fn = 0;
        foreach (var (k, pc) in p)
        {
            var tc = t.GetValueOrDefault(k);
            tp += Math.Min(tc, pc);
            fp += Math.Max(0, pc - tc);
        }

        foreach (var (k, tc) in t)
        {
            fn += Math.Max(0, tc - p.GetValueOrDefault(k));
        }

        double total = tp + fp + fn;
        return total == 0 ? (0, 0, 0) : (tp / total, fp / total, fn / total);
    }

    private static double Precision(double tp, double fp, double fn) =>
        fp == 0 && fn == 0 ? 1.0 : tp == 0 && fp == 0 ? 0.0 : tp / (tp + fp);

    private static double Recall(double tp, double fp, double fn) =>
        fp == 0 && fn == 0 ? 1.0 : tp == 0 && fn == 0 ? 0.0 : tp / (tp + fn);

    // ---- Data ----

    private static string? FindDataDir()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")) || File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "article-extraction-dev"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }

    private static List<Page> Load(string dataDir, string? idsFile)
    {
        using var truthDoc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dataDir, "ground-truth.json")));
        HashSet<string>? ids = idsFile is null ? null : File.ReadAllLines(idsFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet();
        var pages = new List<Page>();
        foreach (var entry in truthDoc.RootElement.EnumerateObject())
        {
            if (ids is not null && !ids.Contains(entry.Name))
            {
                continue;
            }

            var body = entry.Value.TryGetProperty("articleBody", out var b) ? b.GetString() ?? string.Empty : string.Empty;
            var url = entry.Value.TryGetProperty("url", out var u) ? u.GetString() ?? string.Empty : string.Empty;
            using var gz = new GZipStream(File.OpenRead(Path.Combine(dataDir, "html", entry.Name + ".html.gz")), CompressionMode.Decompress);
            using var html = new MemoryStream();
            gz.CopyTo(html);
            var text = File.ReadAllBytes(Path.Combine(dataDir, "text", entry.Name + ".txt"));
            pages.Add(new Page(entry.Name, html.ToArray(), text, body, url));
        }

        return pages;
    }
}
