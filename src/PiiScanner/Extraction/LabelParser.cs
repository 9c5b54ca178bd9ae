namespace PiiScanner.Extraction;

/// <summary>
/// Finds the label of a <c>Label: value</c> line (<c>Date of Birth: 03/04/1961</c>, <c>SSN: 123-45-6701</c>).
/// Stateless and thread-safe.
/// </summary>
internal static class LabelParser
{
    /// <summary>Longest label accepted, in characters.</summary>
    public const int MaxLabelChars = 40;

    private const int MaxLabelWords = 6;

    /// <summary>
    /// Returns the trimmed label when <paramref name="line"/> is a short label, a colon and a non-empty value;
    /// else null. Labels start with a letter and hold only letters, digits, spaces and <c>#.-_/()'&amp;</c>; URLs
    /// (<c>https://…</c>) and times (<c>12:30</c>) are not labels.
    /// </summary>
    public static string? TryGetLabel(ReadOnlySpan<char> line)
    {
        var colon = line.IndexOf(':');
        if (colon <= 0)
        {
            return null;
        }

        var label = line[..colon].Trim();
        var value = line[(colon + 1)..];
        if (label.IsEmpty || label.Length > MaxLabelChars || !char.IsLetter(label[0])
            || value.IsWhiteSpace() || value[0] == '/')
        {
            return null;
        }

        var words = 1;
        var previousSpace = false;
        foreach (var c in label)
        {
            if (c == ' ')
            {
                if (!previousSpace && ++words > MaxLabelWords)
                {
                    return null;
                }

                previousSpace = true;
                continue;
            }

            previousSpace = false;
            if (!char.IsLetterOrDigit(c) && c is not ('#' or '.' or '-' or '_' or '/' or '(' or ')' or '\'' or '&'))
            {
                return null;
            }
        }

        return label.ToString();
    }
}
