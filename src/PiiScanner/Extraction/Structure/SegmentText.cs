namespace PiiScanner.Extraction.Structure;

/// <summary>Helpers that emit free text within <see cref="ExtractionLimits.MaxSegmentChars"/>.</summary>
internal static class SegmentText
{
    /// <summary>
    /// Emits <paramref name="text"/> as one segment, or as several with the same locator when it is longer than
    /// the limit (split at a whitespace near the limit so a value is rarely cut in two).
    /// </summary>
    public static void EmitText(ExtractionContext context, string locator, string text, int group, string? label = null)
        => EmitText(context.Emit, context.Limits.MaxSegmentChars, locator, text, group, label);

    /// <summary>As <see cref="EmitText(ExtractionContext, string, string, int, string?)"/>, into <paramref name="emit"/>.</summary>
    public static void EmitText(Action<Segment> emit, int maxChars, string locator, string text, int group, string? label = null)
    {
        var max = Math.Max(256, maxChars);
        if (text.Length <= max)
        {
            emit(new Segment(locator, text) { Group = group, Label = label });
            return;
        }

        var start = 0;
        while (start < text.Length)
        {
            var length = Math.Min(max, text.Length - start);
            if (start + length < text.Length)
            {
                var cut = text.AsSpan(start, length).LastIndexOfAny(' ', '\n', '\t');
                if (cut > max / 2)
                {
                    length = cut + 1;
                }
            }

            emit(new Segment(locator, text.Substring(start, length)) { Group = group, Label = label });
            start += length;
        }
    }

    /// <summary>Collapses runs of whitespace (including non-breaking spaces) into single spaces and trims.</summary>
    public static string Collapse(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var space = false;
        AppendCollapsed(builder, text, ref space);
        return builder.ToString();
    }

    /// <summary>
    /// Appends <paramref name="text"/> as <see cref="Collapse"/> would collapse it, continuing what the builder holds:
    /// <paramref name="space"/> is a space still owed between the builder's text and the next character (set it for a
    /// break between two pieces); none is owed at the start and none is written at the end.
    /// </summary>
    public static void AppendCollapsed(System.Text.StringBuilder builder, ReadOnlySpan<char> text, ref bool space)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }
    }
}
