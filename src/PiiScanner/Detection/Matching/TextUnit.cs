using PiiScanner.Extraction;

namespace PiiScanner.Detection.Matching;

/// <summary>
/// One piece of text the detectors scan — the segment's text (with its label as header) or one field's value (with
/// its name as header) — with the engine's one shared pass over it: the words of every declared
/// <see cref="WordList"/>, its digit runs and chains, and which declared <see cref="DigitShapeList"/> shapes it
/// holds. Detectors read these instead of scanning the text again.
/// Read it during <see cref="ISegmentDetector.Detect"/> only.
/// </summary>
public sealed class TextUnit
{
    private readonly KeywordIndex _index;
    private readonly DigitShapeSet _shapeSet;
    private readonly List<WordHit>? _hits;

    internal TextUnit(KeywordIndex index, DigitShapeSet shapes, string text, string? header, Locator locator, bool isField)
        : this(index, shapes, text, header, locator, isField, DigitRuns.Measure(text, shapes), index.Scan(text))
    {
    }

    // With the one pass already run over the text (a line screened before it became a string).
    internal TextUnit(KeywordIndex index, DigitShapeSet shapes, string text, string? header, Locator locator, bool isField, DigitProfile digits, List<WordHit>? hits)
    {
        _index = index;
        _shapeSet = shapes;
        Text = text;
        Header = header;
        Locator = locator;
        IsField = isField;
        ValueStart = isField ? 0 : ValueStartOf(text, header);
        (LongestDigitRun, DigitCount, LongestDigitChain, LongestPhoneChain, Shapes) = (digits.Longest, digits.Count, digits.Chain, digits.PhoneChain, digits.Shapes);
        _hits = hits;
    }

    /// <summary>The text to scan.</summary>
    public string Text { get; }

    /// <summary>The column header / key / label that applies to the whole text, or null.</summary>
    public string? Header { get; }

    /// <summary>The locator findings get.</summary>
    public Locator Locator { get; }

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

    /// <summary>
    /// The most digits in one chain of digit runs joined by at most two of <c> ()-.+/</c>: the least a valid North
    /// American number (<c>(406) 555-0142</c>, <c>+1 217-782-2720</c>) or an international one with its country code
    /// has is 10. Timestamps, versions and ids (<c>10:01:00.123</c>, <c>id=1a2b</c>) chain few.
    /// </summary>
    internal int LongestPhoneChain { get; }

    /// <summary>The engine's digit shapes (<see cref="DigitShapeSet"/>) the text holds, one bit each.</summary>
    internal ulong Shapes { get; }

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

    /// <summary>Whether the text holds a shape of <paramref name="shapes"/> (found in the engine's one digit pass).</summary>
    /// <exception cref="ArgumentException">The list was not declared by a detector of this engine.</exception>
    public bool Has(DigitShapeList shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        return _shapeSet.MaskOf(shapes) is { } mask
            ? DigitShapeSet.Holds(Shapes, mask)
            : throw new ArgumentException($"digit shapes '{shapes.Name}' were not declared in ISegmentDetector.DigitShapes", nameof(shapes));
    }

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

    /// <summary>
    /// Scans a segment's texts with <paramref name="index"/> and <paramref name="shapes"/>; <paramref name="text"/>, when
    /// given, is the segment text's unit, already scanned.
    /// </summary>
    internal static SegmentScan Of(KeywordIndex index, DigitShapeSet shapes, Segment segment, long segmentIndex, TextUnit? text = null)
    {
        var units = new List<TextUnit>((segment.Fields?.Count ?? 0) + 1);
        if (text is not null)
        {
            units.Add(text);
        }
        else if (!string.IsNullOrEmpty(segment.Text))
        {
            units.Add(new TextUnit(index, shapes, segment.Text, segment.Label, segment.Locator, false));
        }

        if (segment.Fields is { } fields)
        {
            foreach (var f in fields)
            {
                if (!string.IsNullOrEmpty(f.Value))
                {
                    units.Add(new TextUnit(index, shapes, f.Value, f.Name, f.Locator is { } own ? Locator.Of(own) : segment.Locator, true));
                }
            }
        }

        return new SegmentScan(segment, segmentIndex, units);
    }
}

/// <summary>The engine's one digit pass over a text, with vectorised searches from run to run.</summary>
internal static class DigitRuns
{
    /// <summary>
    /// The longest run of ASCII digits in <paramref name="text"/>, how many digits it holds, the most digits in one
    /// chain of runs joined by a single <c>-</c> or space (<see cref="TextUnit.LongestDigitChain"/>) and in one phone
    /// chain (<see cref="TextUnit.LongestPhoneChain"/>), and which of <paramref name="shapes"/> it holds (all of them
    /// when it holds a decimal digit outside ASCII, which a regex <c>\d</c> matches but no run counts).
    /// </summary>
    public static DigitProfile Measure(ReadOnlySpan<char> text, DigitShapeSet shapes)
    {
        var all = shapes.Shapes;
        var everyShape = all.Length == DigitShapeSet.Capacity ? ulong.MaxValue : (1UL << all.Length) - 1;
        var ringMask = shapes.RingMask;
        Span<int> starts = stackalloc int[ringMask + 1];
        Span<int> lengths = stackalloc int[ringMask + 1];
        var found = 0UL;
        var (longest, count, chain, longestChain, phone, longestPhone, runs, previousEnd) = (0, 0, 0, 0, 0, 0, 0, 0);
        var start = text.IndexOfAnyInRange('0', '9');
        while (start >= 0)
        {
            // Runs are short: the end is found one character at a time, the next run with a vectorised search.
            var end = start + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            var length = end - start;
            if (runs > 0)
            {
                var gap = text[previousEnd..start];
                chain = gap is ['-' or ' '] ? chain + length : length;
                phone = IsPhoneGap(gap) ? phone + length : length;
            }
            else
            {
                (chain, phone) = (length, length);
            }

            longest = Math.Max(longest, length);
            count += length;
            longestChain = Math.Max(longestChain, chain);
            longestPhone = Math.Max(longestPhone, phone);
            starts[runs & ringMask] = start;
            lengths[runs & ringMask] = length;
            runs++;
            var candidates = shapes.EndingWith(text, start, length, runs > 1 ? start - previousEnd : start) & ~found;
            for (; candidates != 0; candidates &= candidates - 1)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(candidates);
                if (all[bit].EndsAt(text, starts, lengths, runs, ringMask))
                {
                    found |= 1UL << bit;
                }
            }

            previousEnd = end;
            var next = end < text.Length ? text[end..].IndexOfAnyInRange('0', '9') : -1;
            start = next < 0 ? -1 : end + next;
        }

        if (found != everyShape && HasOtherDecimalDigit(text))
        {
            found = ulong.MaxValue;
        }

        return new DigitProfile(longest, count, longestChain, longestPhone, found);
    }

    // At most two of " ()-.+/" between two runs of a phone number.
    private static bool IsPhoneGap(ReadOnlySpan<char> gap) =>
        gap.Length is 1 or 2 && IsPhoneSeparator(gap[0]) && (gap.Length == 1 || IsPhoneSeparator(gap[1]));

    private static bool IsPhoneSeparator(char c) => c is ' ' or '(' or ')' or '-' or '.' or '+' or '/';

    // A decimal digit outside ASCII (Arabic-Indic, Devanagari, full-width…): rare, and only looked for in text that is
    // not all ASCII.
    private static bool HasOtherDecimalDigit(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyExceptInRange('\0', '\u007F');
        while (i >= 0)
        {
            text = text[i..];
            if (char.IsDigit(text[0]))
            {
                return true;
            }

            text = text[1..];
            i = text.IndexOfAnyExceptInRange('\0', '\u007F');
        }

        return false;
    }
}

/// <summary>What <see cref="DigitRuns.Measure"/> found in a text.</summary>
internal readonly record struct DigitProfile(int Longest, int Count, int Chain, int PhoneChain, ulong Shapes);

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
            Locator = unit.Locator.ToString(),
            SegmentLocator = unit.IsField && unit.Locator != segment.Locator ? segment.Locator.ToString() : null,
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
