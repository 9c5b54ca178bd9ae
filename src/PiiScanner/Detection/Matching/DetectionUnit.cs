using PiiScanner.Extraction;

namespace PiiScanner.Detection.Matching;

/// <summary>
/// One piece of text a code detector scans: the segment's text (with its label as header) or one field's value
/// (with its name as header).
/// </summary>
/// <param name="Text">The text to scan.</param>
/// <param name="Header">The column header / key / label that applies to the whole text, or null.</param>
/// <param name="Locator">The locator findings get.</param>
/// <param name="IsField">Whether the text is a structured field's value.</param>
internal readonly record struct DetectionUnit(string Text, string? Header, string Locator, bool IsField)
{
    /// <summary>
    /// Where the value under <see cref="Header"/> starts in <see cref="Text"/>: 0 for a field; for a
    /// <c>Label: value</c> line (the header is the label and the text is the whole line) just after the colon, so a
    /// detector that reads "the value under this header" does not start at the label's own words.
    /// </summary>
    public int ValueStart { get; init; }

    /// <summary>After <c>label:</c> (or <c>label =</c>) when the text starts with the label, else 0.</summary>
    private static int ValueStartOf(string text, string? label)
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

    /// <summary>The segment text (when not empty) followed by each non-empty field.</summary>
    public static IEnumerable<DetectionUnit> Of(Segment segment)
    {
        if (!string.IsNullOrEmpty(segment.Text))
        {
            yield return new DetectionUnit(segment.Text, segment.Label, segment.Locator, false) { ValueStart = ValueStartOf(segment.Text, segment.Label) };
        }

        if (segment.Fields is { } fields)
        {
            foreach (var f in fields)
            {
                if (!string.IsNullOrEmpty(f.Value))
                {
                    yield return new DetectionUnit(f.Value, f.Name, f.Locator ?? segment.Locator, true);
                }
            }
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
        DetectionUnit unit,
        string element,
        string value,
        double confidence,
        Evidence evidence,
        int start,
        int length,
        string? state = null,
        string? code = null,
        string? category = null) => new()
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
            Category = category,
        };
}

/// <summary>Cheap text tests used as prefilters.</summary>
internal static class TextStats
{
    /// <summary>Number of ASCII digits, counting no further than <paramref name="stopAt"/>.</summary>
    public static int CountDigits(ReadOnlySpan<char> text, int stopAt)
    {
        var n = 0;
        var i = text.IndexOfAnyInRange('0', '9');
        while (i >= 0)
        {
            if (++n >= stopAt)
            {
                return n;
            }

            text = text[(i + 1)..];
            i = text.IndexOfAnyInRange('0', '9');
        }

        return n;
    }

    /// <summary>
    /// Whether the text has a run of at least 10 digits with at most two of <c> ()-.+/</c> between neighbours — the
    /// least a valid North American number (<c>(406) 555-0142</c>, <c>+1 217-782-2720</c>) or an international one
    /// with its country code has. Timestamps, versions and ids (<c>10:01:00.123</c>, <c>id=1a2b</c>) are not.
    /// </summary>
    public static bool HasPhoneRun(ReadOnlySpan<char> text)
    {
        var digits = 0;
        var separators = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (++digits >= 10)
                {
                    return true;
                }

                separators = 0;
            }
            else if (c is ' ' or '(' or ')' or '-' or '.' or '+' or '/' && ++separators <= 2)
            {
                continue;
            }
            else
            {
                digits = 0;
                separators = 0;
            }
        }

        return false;
    }

    /// <summary>Whether the text has a run of at least <paramref name="run"/> digits, ignoring single spaces and dashes between them.</summary>
    public static bool HasDigitRun(ReadOnlySpan<char> text, int run)
    {
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (++n >= run)
                {
                    return true;
                }
            }
            else if (!(c is ' ' or '-' && n > 0 && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                n = 0;
            }
        }

        return false;
    }
}
