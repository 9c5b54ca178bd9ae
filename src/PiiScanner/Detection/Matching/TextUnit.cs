using PiiScanner.Extraction;

namespace PiiScanner.Detection.Matching;

/// <summary>
/// One piece of text the detectors scan — the segment's text (with its label as header) or one field's value (with
/// its name as header) — with the engine's one shared pass over it: the words of every declared
/// <see cref="WordList"/> and the longest digit run. Detectors read these instead of scanning the text again.
/// Read it during <see cref="ISegmentDetector.Detect"/> only.
/// </summary>
public sealed class TextUnit
{
    private readonly KeywordIndex _index;
    private readonly List<WordHit>? _hits;

    internal TextUnit(KeywordIndex index, string text, string? header, string locator, bool isField)
    {
        _index = index;
        Text = text;
        Header = header;
        Locator = locator;
        IsField = isField;
        ValueStart = isField ? 0 : ValueStartOf(text, header);
        (LongestDigitRun, DigitCount, LongestDigitChain) = DigitRuns.Measure(text);
        _hits = index.Scan(text);
    }

    /// <summary>The text to scan.</summary>
    public string Text { get; }

    /// <summary>The column header / key / label that applies to the whole text, or null.</summary>
    public string? Header { get; }

    /// <summary>The locator findings get.</summary>
    public string Locator { get; }

    /// <summary>Whether the text is a structured field's value.</summary>
    public bool IsField { get; }

    /// <summary>
    /// Where the value under <see cref="Header"/> starts in <see cref="Text"/>: 0 for a field; for a
    /// <c>Label: value</c> line (the header is the label and the text is the whole line) just after the colon, so a
    /// detector that reads "the value under this header" does not start at the label's own words.
    /// </summary>
    public int ValueStart { get; }

    /// <summary>The length of the longest run of ASCII digits in the text (0: no digit).</summary>
    public int LongestDigitRun { get; }

    /// <summary>
    /// The most digits in one chain of digit runs joined by a single <c>-</c> or space: 9 in <c>SSN 123-45-6789</c>
    /// and in <c>123 45 6789</c>, 8 in <c>2024-03-01T22:17</c>. At least <see cref="LongestDigitRun"/>.
    /// </summary>
    public int LongestDigitChain { get; }

    /// <summary>The number of ASCII digits in the text.</summary>
    public int DigitCount { get; }

    /// <summary>Whether any declared word is in the text (most lines of prose hold none).</summary>
    public bool HasWords => _hits is not null;

    /// <summary>Whether the text holds an ASCII digit.</summary>
    public bool HasDigit => LongestDigitRun > 0;

    /// <summary>The hits of <paramref name="list"/> in the text, in order of their end (overlapping ones included).</summary>
    /// <exception cref="ArgumentException">The list was not declared by a detector of this engine.</exception>
    public List<WordHit> Find(WordList list) => _index.Select(Text, _hits, Id(list));

    /// <summary>Whether a word of <paramref name="list"/> is in the text.</summary>
    /// <exception cref="ArgumentException">The list was not declared by a detector of this engine.</exception>
    public bool Has(WordList list) => _index.Any(Text, _hits, Id(list));

    private int Id(WordList list) => _index.IdOf(list) is >= 0 and var id
        ? id
        : throw new ArgumentException($"word list '{list.Name}' was not declared in ISegmentDetector.Words", nameof(list));

    /// <summary>After <c>label:</c> (or <c>label =</c>) when the text starts with the label, else 0.</summary>
    internal static int ValueStartOf(string text, string? label)
    {
        if (string.IsNullOrEmpty(label))
        {
            return 0;
        }

        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (!text.AsSpan(i).StartsWith(label, StringComparison.Ordinal))
        {
            return 0;
        }

        i += label.Length;
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i < text.Length && text[i] is ':' or '=' ? i + 1 : 0;
    }
}

/// <summary>
/// One segment as the detectors see it: the segment, its index in its item, and its texts (<see cref="TextUnit"/>:
/// the segment text first, then each non-empty field) each scanned once by the engine.
/// </summary>
public sealed class SegmentScan
{
    internal SegmentScan(Segment segment, long segmentIndex, IReadOnlyList<TextUnit> units)
    {
        Segment = segment;
        SegmentIndex = segmentIndex;
        Units = units;
    }

    /// <summary>The segment (text and/or fields).</summary>
    public Segment Segment { get; }

    /// <summary>Index of the segment in its item (document order).</summary>
    public long SegmentIndex { get; }

    /// <summary>The segment text (when not empty) followed by each non-empty field.</summary>
    public IReadOnlyList<TextUnit> Units { get; }

    /// <summary>Scans a segment's texts with <paramref name="index"/>.</summary>
    internal static SegmentScan Of(KeywordIndex index, Segment segment, long segmentIndex)
    {
        var units = new List<TextUnit>((segment.Fields?.Count ?? 0) + 1);
        if (!string.IsNullOrEmpty(segment.Text))
        {
            units.Add(new TextUnit(index, segment.Text, segment.Label, segment.Locator, false));
        }

        if (segment.Fields is { } fields)
        {
            foreach (var f in fields)
            {
                if (!string.IsNullOrEmpty(f.Value))
                {
                    units.Add(new TextUnit(index, f.Value, f.Name, f.Locator ?? segment.Locator, true));
                }
            }
        }

        return new SegmentScan(segment, segmentIndex, units);
    }
}

/// <summary>Digit runs, found with vectorised searches.</summary>
internal static class DigitRuns
{
    /// <summary>
    /// The length of the longest run of ASCII digits in <paramref name="span"/>, how many digits it holds, and the
    /// most digits in one chain of runs joined by a single <c>-</c> or space (<see cref="TextUnit.LongestDigitChain"/>).
    /// </summary>
    public static (int Longest, int Count, int Chain) Measure(ReadOnlySpan<char> span)
    {
        var longest = 0;
        var count = 0;
        var chain = 0;
        var longestChain = 0;
        var joinable = false; // the previous run ended just before one '-' or ' '
        while (true)
        {
            var start = span.IndexOfAnyInRange('0', '9');
            if (start < 0)
            {
                return (longest, count, longestChain);
            }

            if (!(joinable && start == 1))
            {
                chain = 0;
            }

            span = span[start..];
            var end = span.IndexOfAnyExceptInRange('0', '9');
            var length = end < 0 ? span.Length : end;
            longest = Math.Max(longest, length);
            count += length;
            chain += length;
            longestChain = Math.Max(longestChain, chain);
            if (end < 0)
            {
                return (longest, count, longestChain);
            }

            span = span[end..];
            joinable = span[0] is '-' or ' ';
        }
    }
}

/// <summary>Builds findings with the segment-level fields filled in.</summary>
internal static class FindingFactory
{
    /// <summary>A finding for a match in <paramref name="unit"/> of <paramref name="segment"/>.</summary>
    public static Finding Create(
        Segment segment,
        long segmentIndex,
        TextUnit unit,
        string element,
        string value,
        double confidence,
        Evidence evidence,
        int start,
        int length,
        string? state = null,
        string? code = null,
        FindingQualifiers? qualifiers = null) => new()
        {
            Element = element,
            Value = value,
            Locator = unit.Locator,
            SegmentLocator = unit.IsField && !string.Equals(unit.Locator, segment.Locator, StringComparison.Ordinal) ? segment.Locator : null,
            Confidence = Math.Clamp(confidence, 0, 1),
            Evidence = segment.InferredHeader && unit.IsField ? evidence with { InferredHeader = true } : evidence,
            Start = start,
            Length = length,
            Group = segment.Group,
            GroupKind = segment.GroupKind,
            ParentGroup = segment.ParentGroup,
            SegmentIndex = segmentIndex,
            // Raw byte scans decode one byte per character, so the character offset is the byte offset.
            ByteOffset = !unit.IsField && segment.ByteOffset is { } b ? b + start : null,
            State = state,
            Code = code,
            Qualifiers = qualifiers ?? FindingQualifiers.None,
        };
}

/// <summary>Cheap text tests used as prefilters.</summary>
internal static class TextStats
{
    /// <summary>
    /// Whether the text has a run of at least 10 digits with at most two of <c> ()-.+/</c> between neighbours — the
    /// least a valid North American number (<c>(406) 555-0142</c>, <c>+1 217-782-2720</c>) or an international one
    /// with its country code has. Timestamps, versions and ids (<c>10:01:00.123</c>, <c>id=1a2b</c>) are not.
    /// </summary>
    public static bool HasPhoneRun(ReadOnlySpan<char> text) => HasRun(text, 10, PhoneGap);

    /// <summary>Whether the text has a run of at least <paramref name="run"/> digits, ignoring single spaces and dashes between them.</summary>
    public static bool HasDigitRun(ReadOnlySpan<char> text, int run) => HasRun(text, run, DigitGap);

    private static bool PhoneGap(ReadOnlySpan<char> gap)
    {
        if (gap.Length > 2)
        {
            return false;
        }

        foreach (var c in gap)
        {
            if (c is not (' ' or '(' or ')' or '-' or '.' or '+' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool DigitGap(ReadOnlySpan<char> gap) => gap.Length == 1 && gap[0] is ' ' or '-';

    // Jumps from digit to digit with vectorised searches (prose is mostly letters): a run goes on while the gap
    // between neighbouring digits is one the caller allows.
    private static bool HasRun(ReadOnlySpan<char> text, int run, Func<ReadOnlySpan<char>, bool> gapAllowed)
    {
        var n = 0;
        var i = text.IndexOfAnyInRange('0', '9');
        while (i >= 0)
        {
            var end = text[i..].IndexOfAnyExceptInRange('0', '9');
            var length = end < 0 ? text.Length - i : end;
            n += length;
            if (n >= run)
            {
                return true;
            }

            if (end < 0)
            {
                return false;
            }

            var after = i + length;
            var next = text[after..].IndexOfAnyInRange('0', '9');
            if (next < 0)
            {
                return false;
            }

            if (!gapAllowed(text.Slice(after, next)))
            {
                n = 0;
            }

            i = after + next;
        }

        return false;
    }
}
