using System.Buffers;
using System.Text;
using System.Text.Unicode;
using UtfUnknown;

namespace PiiScanner.Extraction;

/// <summary>
/// What the first bytes of an item say about it as text: its encoding (from the content, never the extension),
/// how many preamble (BOM) bytes to skip, or that it is binary.
/// </summary>
/// <param name="Encoding">The encoding to decode with (null when <paramref name="IsBinary"/>).</param>
/// <param name="Name">Encoding name recorded in <see cref="ExtractionContext.Detail"/> (<c>utf-8-bom</c>, <c>utf-16le</c>…).</param>
/// <param name="PreambleLength">Number of BOM bytes at the start of the content to skip.</param>
/// <param name="IsBinary">True when the content is not text (NUL bytes outside UTF-16, many control bytes).</param>
internal readonly record struct TextSniff(Encoding? Encoding, string Name, int PreambleLength, bool IsBinary)
{
    /// <summary>True when the encoding is UTF-8 (with or without BOM), so bytes can go to a UTF-8 parser as they are.</summary>
    public bool IsUtf8 => Encoding is UTF8Encoding;
}

/// <summary>
/// Detects the text encoding of content from its head: BOMs, BOM-less UTF-16 by the pattern of zero bytes,
/// UTF-8 validity, and otherwise a legacy charset through UTF.Unknown (Windows-1252 when it cannot tell).
/// Stateless and thread-safe.
/// </summary>
internal static class TextSniffer
{
    // Share of control bytes (other than tab, CR, LF, FF, VT, ESC) above which content is binary.
    private const double MaxControlShare = 0.10;

    private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Windows-1252, the fallback legacy encoding.</summary>
    // Static initialisers run in text order before any static constructor body: register the code-page
    // provider in the initialiser itself, or GetEncoding(1252) throws on a fresh process.
    public static Encoding Windows1252 { get; } = RegisterCodePages();

    /// <summary>The sniff result used for empty content (valid UTF-8, nothing to read).</summary>
    public static TextSniff Empty => new(Utf8NoBom, "utf-8", 0, IsBinary: false);

    private static Encoding RegisterCodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    /// <summary>
    /// The encoding to read an item as text with: <see cref="Sniff"/>'s, or, for content that sniffs as binary but is read
    /// as text anyway (an extractor hint, a layout beside it), UTF-8 with the Windows-1252 fallback.
    /// </summary>
    public static TextSniff SniffForText(ReadOnlySpan<byte> head)
    {
        var sniff = Sniff(head);
        return sniff.IsBinary ? Empty : sniff;
    }

    /// <summary>Classifies <paramref name="head"/> (the first bytes of the content; may end mid-character).</summary>
    public static TextSniff Sniff(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return Empty;
        }

        // BOMs first; UTF-32 LE must be tested before UTF-16 LE (same first two bytes).
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return Utf16Or32Check(head[4..], new UTF32Encoding(bigEndian: false, byteOrderMark: false), "utf-32le", 4, 4, bigEndian: false);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return Utf16Or32Check(head[4..], new UTF32Encoding(bigEndian: true, byteOrderMark: false), "utf-32be", 4, 4, bigEndian: true);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            var body = head[3..];
            return HasBinaryBytes(body)
                ? Binary
                : new TextSniff(Utf8NoBom, "utf-8-bom", 3, IsBinary: false);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Utf16Or32Check(head[2..], new UnicodeEncoding(bigEndian: false, byteOrderMark: false), "utf-16le", 2, 2, bigEndian: false);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Utf16Or32Check(head[2..], new UnicodeEncoding(bigEndian: true, byteOrderMark: false), "utf-16be", 2, 2, bigEndian: true);
        }

        var bomless = DetectBomlessUtf16(head);
        if (bomless is { } bigEndian)
        {
            return Utf16Or32Check(
                head,
                new UnicodeEncoding(bigEndian, byteOrderMark: false),
                bigEndian ? "utf-16be" : "utf-16le",
                0,
                2,
                bigEndian);
        }

        if (HasBinaryBytes(head))
        {
            return Binary;
        }

        if (Utf8.IsValid(TrimIncompleteUtf8(head)))
        {
            return new TextSniff(Utf8NoBom, "utf-8", 0, IsBinary: false);
        }

        var legacy = DetectLegacy(head);
        return new TextSniff(legacy, legacy.WebName.ToLowerInvariant(), 0, IsBinary: false);
    }

    /// <summary>
    /// Decodes the head for structure sniffing (delimiters, JSON). A character cut at the end becomes U+FFFD.
    /// </summary>
    public static string DecodeHead(ReadOnlySpan<byte> head, in TextSniff sniff)
        => sniff.Encoding is null ? string.Empty : sniff.Encoding.GetString(head[Math.Min(sniff.PreambleLength, head.Length)..]);

    /// <summary>
    /// Creates the decoder for a whole item. UTF-8 gets a fallback that reads stray invalid bytes as Windows-1252
    /// (an ASCII head followed by a legacy-encoded name deep in the file); <paramref name="fallback"/> counts them.
    /// </summary>
    public static Encoding CreateDecodingEncoding(in TextSniff sniff, out Utf8LegacyFallback? fallback)
    {
        if (sniff.Encoding is null or UTF8Encoding)
        {
            fallback = new Utf8LegacyFallback();
            return Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, fallback);
        }

        fallback = null;
        return sniff.Encoding;
    }

    private static TextSniff Binary => new(null, "binary", 0, IsBinary: true);

    private static TextSniff Utf16Or32Check(
        ReadOnlySpan<byte> body, Encoding encoding, string name, int preamble, int unitSize, bool bigEndian)
    {
        // A wide encoding still has to look like text: few control characters among its code units.
        var units = body.Length / unitSize;
        if (units == 0)
        {
            return new TextSniff(encoding, name, preamble, IsBinary: false);
        }

        var control = 0;
        for (var i = 0; i + unitSize <= body.Length; i += unitSize)
        {
            uint unit = unitSize == 2
                ? (bigEndian ? (uint)((body[i] << 8) | body[i + 1]) : (uint)((body[i + 1] << 8) | body[i]))
                : (bigEndian
                    ? (uint)((body[i] << 24) | (body[i + 1] << 16) | (body[i + 2] << 8) | body[i + 3])
                    : (uint)((body[i + 3] << 24) | (body[i + 2] << 16) | (body[i + 1] << 8) | body[i]));
            if (IsControl(unit) || unit is 0xFFFE or 0xFFFF || unit > 0x10FFFF)
            {
                control++;
            }
        }

        return control > units * MaxControlShare
            ? Binary
            : new TextSniff(encoding, name, preamble, IsBinary: false);
    }

    /// <summary>
    /// BOM-less UTF-16: text made mostly of ASCII/Latin characters has a zero in every other byte, always at the
    /// same parity, and (almost) never at the other parity. Returns true for big-endian, false for little-endian.
    /// </summary>
    private static bool? DetectBomlessUtf16(ReadOnlySpan<byte> head)
    {
        // Most heads hold no zero byte at all: one vectorised search tells, before counting by parity.
        var pairs = head.Length / 2;
        if (pairs < 2 || !head.Contains((byte)0))
        {
            return null;
        }

        int zeroEven = 0, zeroOdd = 0;
        for (var i = 0; i + 1 < head.Length; i += 2)
        {
            if (head[i] == 0)
            {
                zeroEven++;
            }

            if (head[i + 1] == 0)
            {
                zeroOdd++;
            }
        }

        if (zeroOdd >= pairs * 0.4 && zeroEven <= pairs * 0.02)
        {
            return false;
        }

        if (zeroEven >= pairs * 0.4 && zeroOdd <= pairs * 0.02)
        {
            return true;
        }

        return null;
    }

    private static bool HasBinaryBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)0))
        {
            return true;
        }

        // Text holds few control bytes: one vectorised search per control byte found.
        var control = 0;
        var rest = bytes;
        for (var i = rest.IndexOfAny(ControlBytes); i >= 0; i = rest.IndexOfAny(ControlBytes))
        {
            control++;
            rest = rest[(i + 1)..];
        }

        return control > bytes.Length * MaxControlShare;
    }

    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [.. Enumerable.Range(0, 0x80).Where(b => IsControl((uint)b)).Select(b => (byte)b)]);

    private static bool IsControl(uint c)
        => (c < 0x20 && c is not ('\t' or '\n' or '\r' or '\f' or '\v' or 0x1B)) || c == 0x7F;

    /// <summary>Drops a multi-byte sequence cut off by the end of the head.</summary>
    private static ReadOnlySpan<byte> TrimIncompleteUtf8(ReadOnlySpan<byte> head)
    {
        for (var i = head.Length - 1; i >= 0 && i >= head.Length - 4; i--)
        {
            var b = head[i];
            if (b < 0x80)
            {
                break;
            }

            if (b >= 0xC0)
            {
                var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return head.Length - i < needed ? head[..i] : head;
            }
        }

        return head;
    }

    private static Encoding DetectLegacy(ReadOnlySpan<byte> head)
    {
        DetectionDetail? detected;
        try
        {
            detected = CharsetDetector.DetectFromBytes(head).Detected;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or IndexOutOfRangeException)
        {
            detected = null;
        }

        var encoding = detected is { Confidence: >= 0.5f } ? detected.Encoding : null;

        // Latin-1 labels in the wild are nearly always Windows-1252 (its superset for printable text);
        // UTF-8/ASCII answers cannot be right here since the bytes are not valid UTF-8.
        return encoding is null
            || encoding.CodePage is 28591 or 20127 or 65001 or 1200 or 1201 or 12000 or 12001
            ? Windows1252
            : encoding;
    }
}
