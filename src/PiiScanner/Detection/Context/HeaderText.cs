using System.Text;

namespace PiiScanner.Detection;

/// <summary>
/// Header / label normalisation: <c>Patient.dateOfBirth</c>, <c>DATE_OF_BIRTH</c> and <c>Date of Birth:</c>
/// all become <c>patient date of birth</c> / <c>date of birth</c>, so rule headers are compared as words.
/// </summary>
internal static class HeaderText
{
    /// <summary>Lower-cases, splits camelCase, and turns everything but letters, digits and <c>#</c> into single spaces.</summary>
    public static string Normalize(string header)
    {
        var sb = new StringBuilder(header.Length + 8);
        var previous = ' ';
        foreach (var c in header)
        {
            char next;
            if (char.IsLetterOrDigit(c) || c == '#')
            {
                if (char.IsUpper(c) && char.IsLower(previous) && sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }

                next = char.ToLowerInvariant(c);
            }
            else
            {
                next = ' ';
            }

            if (next != ' ' || (sb.Length > 0 && sb[^1] != ' '))
            {
                sb.Append(next);
            }

            previous = c;
        }

        return sb.ToString().TrimEnd();
    }

    /// <summary>The last segment of a key path (<c>patient.address.zip</c> → <c>zip</c>), normalised.</summary>
    public static string LastSegment(string header)
    {
        // Array indexes are not names: "address[0].line[0]" ends in "line".
        var span = header.AsSpan().TrimEnd(" :");
        while (span.EndsWith("]") && span.LastIndexOf('[') is var open and >= 0 && span[(open + 1)..^1].IndexOfAnyExceptInRange('0', '9') < 0)
        {
            span = span[..open];
        }

        var cut = span.LastIndexOfAny("./[");
        return Normalize(cut < 0 ? span.ToString() : span[(cut + 1)..].ToString());
    }

    /// <summary>
    /// The first rule header found in a normalised header: as a whole-word phrase (<paramref name="exact"/> false),
    /// or equal to the whole header or its last key-path segment (<paramref name="exact"/> true).
    /// </summary>
    public static string? Match(NormalizedHeader header, string[] phrases, bool exact)
    {
        foreach (var phrase in phrases)
        {
            if (exact)
            {
                if (header.Full == phrase || header.Last == phrase)
                {
                    return phrase;
                }
            }
            else if (ContainsWords(header.Full, phrase))
            {
                return phrase;
            }
        }

        return null;
    }

    private static bool ContainsWords(string text, string phrase)
    {
        var index = 0;
        while ((index = text.IndexOf(phrase, index, StringComparison.Ordinal)) >= 0)
        {
            var end = index + phrase.Length;
            if ((index == 0 || text[index - 1] == ' ') && (end == text.Length || text[end] == ' '))
            {
                return true;
            }

            index++;
        }

        return false;
    }
}

/// <summary>A header normalised once for all rules.</summary>
/// <param name="Raw">The header as given.</param>
/// <param name="Full">The whole header, normalised.</param>
/// <param name="Last">Its last key-path segment, normalised.</param>
internal sealed record NormalizedHeader(string Raw, string Full, string Last)
{
    public static NormalizedHeader? From(string? header) =>
        string.IsNullOrWhiteSpace(header) ? null : new NormalizedHeader(header, HeaderText.Normalize(header), HeaderText.LastSegment(header));
}
