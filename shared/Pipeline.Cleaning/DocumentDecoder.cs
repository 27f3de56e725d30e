using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Pipeline.Cleaning.Html;
using Pipeline.Contracts;
using UtfUnknown;

namespace Pipeline.Cleaning;

/// <summary>Turns raw bytes into text: BOM, then the charset the page declares, then UTF-8, then a detector.</summary>
internal static class DocumentDecoder
{
    private const int MaxDecompressedBytes = 64 * 1024 * 1024;

    /// <summary>Bytes the charset detector reads: enough to tell, and bounded on a large file.</summary>
    private const int DetectorSampleBytes = 64 * 1024;

    /// <summary>Least confidence of the detector's guess taken; below it, Windows-1252 is as good a guess.</summary>
    private const float MinDetectorConfidence = 0.3f;

    /// <summary>ASCII text with fewer than one high byte in this many is Windows-1252 with a few stray characters.</summary>
    private const int BytesPerStrayHighByte = 50;

    /// <summary>Bytes looked at for UTF-16 without a BOM, and the fewest that tell (four characters).</summary>
    private const int Utf16SampleBytes = 4096;

    private const int MinUtf16SampleBytes = 8;

    /// <summary>UTF-16 of mostly ASCII text: over this share of one byte of each pair is zero...</summary>
    private const double Utf16MinZeroShare = 0.4;

    /// <summary>...and under this share of the other (a zero there is rare in any text).</summary>
    private const double Utf16MaxZeroShare = 0.05;

    /// <summary>Bytes, or characters, checked for control codes: the opening of a file tells binary from text.</summary>
    private const int ControlSampleLength = 8192;

    /// <summary>More than one stray control byte in this many is binary (text has almost none).</summary>
    private const int BytesPerControlByte = 50;

    /// <summary>More than one control or replacement character in this many after decoding is binary or a wrong charset.</summary>
    private const int CharsPerBadChar = 20;

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    public static string Decode(ReadOnlySpan<byte> content, out bool looksLikeHtml) => Decode(content, true, out looksLikeHtml);

    private static string Decode(ReadOnlySpan<byte> content, bool allowGzip, out bool looksLikeHtml)
    {
        looksLikeHtml = false;
        if (content.IsEmpty)
        {
            throw new InvalidDocumentException("empty document");
        }

        if (content.Length > 2 && content[0] == 0x1F && content[1] == 0x8B)
        {
            if (!allowGzip)
            {
                throw new InvalidDocumentException("binary document (nested gzip)");
            }

            return Decode(Gunzip(content).AsSpan(), false, out looksLikeHtml);
        }

        string text;
        var bom = DetectBom(content, out var bomLength);
        if (bom is not null)
        {
            text = bom.GetString(content[bomLength..]);
            looksLikeHtml = HtmlSniffer.LooksLikeHtml(text);
        }
        else if (LooksLikeUtf16WithoutBom(content, out var utf16))
        {
            text = utf16.GetString(content);
            looksLikeHtml = HtmlSniffer.LooksLikeHtml(text);
        }
        else
        {
            RejectBinary(content);
            looksLikeHtml = HtmlSniffer.LooksLikeHtml(content);
            var declared = looksLikeHtml ? HtmlSniffer.DeclaredEncoding(content) : null;
            text = DecodeWithoutBom(content, declared);
        }

        RejectControlHeavy(text);
        return text;
    }

    private static string DecodeWithoutBom(ReadOnlySpan<byte> content, Encoding? declared)
    {
        var isUtf8 = System.Text.Unicode.Utf8.IsValid(content);
        if (declared is not null)
        {
            // A page declaring UTF-8 whose bytes are not UTF-8 is mislabelled: fall through to detection.
            if (declared.CodePage != Encoding.UTF8.CodePage || isUtf8)
            {
                return declared.GetString(content);
            }
        }

        if (isUtf8)
        {
            return Encoding.UTF8.GetString(content);
        }

        if (IsMostlyAscii(content))
        {
            // A few stray high bytes in ASCII text: the usual culprit is Windows-1252.
            return Windows1252.GetString(content);
        }

        var detected = Detect(content);
        return (detected ?? Windows1252).GetString(content);
    }

    private static Encoding? Detect(ReadOnlySpan<byte> content)
    {
        var sample = content.Length > DetectorSampleBytes ? content[..DetectorSampleBytes] : content;
        var result = CharsetDetector.DetectFromBytes(sample.ToArray());
        var best = result.Detected;
        if (best is null || best.Confidence < MinDetectorConfidence || best.Encoding is null)
        {
            return null;
        }

        return best.Encoding.CodePage == Encoding.UTF8.CodePage ? Windows1252 : best.Encoding;
    }

    private static bool IsMostlyAscii(ReadOnlySpan<byte> content)
    {
        var high = 0;
        foreach (var b in content)
        {
            if (b >= 0x80)
            {
                high++;
            }
        }

        return high * BytesPerStrayHighByte < content.Length;
    }

    private static Encoding? DetectBom(ReadOnlySpan<byte> content, out int length)
    {
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            length = 3;
            return Encoding.UTF8;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            length = 4;
            return Encoding.UTF32;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            length = 4;
            return new UTF32Encoding(true, false);
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            length = 2;
            return Encoding.Unicode;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            length = 2;
            return Encoding.BigEndianUnicode;
        }

        length = 0;
        return null;
    }

    /// <summary>UTF-16 text saved without a BOM: most ASCII characters leave a zero byte in every other position.</summary>
    private static bool LooksLikeUtf16WithoutBom(ReadOnlySpan<byte> content, out Encoding encoding)
    {
        encoding = Encoding.Unicode;
        var n = Math.Min(content.Length & ~1, Utf16SampleBytes);
        if (n < MinUtf16SampleBytes)
        {
            return false;
        }

        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i < n; i += 2)
        {
            if (content[i] == 0)
            {
                evenZeros++;
            }

            if (content[i + 1] == 0)
            {
                oddZeros++;
            }
        }

        var pairs = n / 2;
        if (oddZeros > pairs * Utf16MinZeroShare && evenZeros < pairs * Utf16MaxZeroShare)
        {
            encoding = Encoding.Unicode;
            return true;
        }

        if (evenZeros > pairs * Utf16MinZeroShare && oddZeros < pairs * Utf16MaxZeroShare)
        {
            encoding = Encoding.BigEndianUnicode;
            return true;
        }

        return false;
    }

    /// <summary>The decompressed size the gzip trailer states, within what the input can expand to and the limit.</summary>
    private static int GzipSizeHint(ReadOnlySpan<byte> content)
    {
        if (content.Length < MinGzipBytes)
        {
            return 0;
        }

        var stated = BinaryPrimitives.ReadUInt32LittleEndian(content[^4..]);
        return (int)Math.Min(stated, Math.Min((long)content.Length * MaxDeflateRatio, MaxDecompressedBytes + 1L));
    }

    private static void RejectBinary(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("%PDF"u8) || content.StartsWith("PK\u0003\u0004"u8) || content.StartsWith("\u0089PNG"u8)
            || content.StartsWith("GIF8"u8) || content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            throw new InvalidDocumentException("binary document (not text or HTML)");
        }

        // Text in any single- or multi-byte charset has almost no C0 control bytes besides tab, line breaks and form feed.
        var sample = content.Length > ControlSampleLength ? content[..ControlSampleLength] : content;
        var controls = 0;
        foreach (var b in sample)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B))
            {
                controls++;
            }
        }

        if (controls * BytesPerControlByte > sample.Length)
        {
            throw new InvalidDocumentException("binary document (not text or HTML)");
        }
    }

    private static void RejectControlHeavy(string text)
    {
        var span = text.AsSpan(0, Math.Min(text.Length, ControlSampleLength));
        var bad = 0;
        foreach (var c in span)
        {
            if ((c < 0x20 && c is not ('\n' or '\r' or '\t' or '\f')) || c == '\uFFFD')
            {
                bad++;
            }
        }

        if (bad * CharsPerBadChar > span.Length)
        {
            throw new InvalidDocumentException("binary document (not text or HTML)");
        }
    }

    /// <summary>Most a deflate stream expands (about 1032 to 1): bounds the size a gzip trailer may claim.</summary>
    private const int MaxDeflateRatio = 1032;

    /// <summary>Smallest gzip file: a 10-byte header, an empty deflate block and the 8-byte trailer.</summary>
    private const int MinGzipBytes = 18;

    /// <summary>
    /// The decompressed bytes, in the output buffer itself: sized at the start from the size the gzip trailer states (the
    /// last member's, modulo 4 GB, so only a first guess), the buffer neither doubles as it fills nor is copied out.
    /// </summary>
    private static ArraySegment<byte> Gunzip(ReadOnlySpan<byte> content)
    {
        try
        {
            using var input = new MemoryStream(content.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(GzipSizeHint(content));
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > MaxDecompressedBytes)
                {
                    throw new InvalidDocumentException("compressed document too large");
                }
            }

            return new ArraySegment<byte>(output.GetBuffer(), 0, (int)output.Length);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDocumentException("corrupt gzip document", ex);
        }
    }
}
