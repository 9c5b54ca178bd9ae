namespace PiiScanner.Extraction.Structure;

/// <summary>
/// Recognises "label: value" lines (<c>Date of Birth: 03/04/1961</c>, <c>SSN:  123-45-6701</c>) in free text,
/// so the label can travel with the segment as context. The one label parser of every extractor.
/// </summary>
internal static class LabelValue
{
    private const int MaxLabelChars = 40;
    private const int MaxLabelWords = 6;

    // A label with commas is a form's compound label ("City, State ZIP"), never a clause: a few words only.
    private const int MaxCommaLabelWords = 4;

    /// <summary>Returns the label of a "label: value" line, or null when the line is not one.</summary>
    public static string? FindLabel(ReadOnlySpan<char> line)
    {
        var colon = line.IndexOf(':');
        if (colon <= 0 || colon > MaxLabelChars + 8)
        {
            return null;
        }

        var label = line[..colon].Trim();
        var value = line[(colon + 1)..].Trim();
        if (label.Length == 0 || label.Length > MaxLabelChars || value.IsEmpty)
        {
            return null;
        }

        // "12:30" or "http://…" are not labels: a label starts with a letter and holds mostly letters.
        if (!char.IsLetter(label[0]) || value.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }

        int letters = 0, words = 1, commas = 0;
        var previousSpace = false;
        foreach (var c in label)
        {
            if (c == ' ')
            {
                words += previousSpace ? 0 : 1;
                previousSpace = true;
                continue;
            }

            previousSpace = false;
            if (char.IsLetter(c))
            {
                letters++;
            }
            else if (c == ',')
            {
                commas++;
            }
            else if (!char.IsDigit(c) && c is not ('.' or '\'' or '/' or '#' or '(' or ')' or '&' or '-' or '_'))
            {
                return null;
            }
        }

        return words <= (commas > 0 ? MaxCommaLabelWords : MaxLabelWords) && letters * 2 >= label.Length ? label.ToString() : null;
    }
}
