using System.Globalization;

namespace PiiScanner.Detection.Names;

/// <summary>
/// Cleans and checks a candidate person name. <c>LAST, FIRST M</c> is reordered to <c>First M Last</c>;
/// an all-capitals name is title-cased; the candidate is cut before the first stop word ("Jane Doe Address");
/// all-lowercase words, digits and stop-word-only names are rejected.
/// </summary>
internal static class PersonName
{
    private const int MaxTokens = 5;

    private static readonly HashSet<string> Honorifics = new(StringComparer.OrdinalIgnoreCase) { "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr" };

    // Generational suffixes, written as they are normalised: "SR" and "Sr." become "Sr", "iii" becomes "III".
    private static readonly Dictionary<string, string> Suffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Jr"] = "Jr", ["Sr"] = "Sr", ["II"] = "II", ["III"] = "III", ["IV"] = "IV",
    };

    /// <summary>Normalises <paramref name="candidate"/>; null when it is not a plausible name.</summary>
    /// <param name="candidate">The matched text.</param>
    /// <param name="stopWords">Words that are never part of a name.</param>
    /// <param name="minTokens">Fewest tokens (1 after an honorific, else 2).</param>
    /// <param name="lastFirst">Set when the candidate was in <c>LAST, FIRST</c> order.</param>
    public static string? Normalize(string candidate, HashSet<string> stopWords, int minTokens, out bool lastFirst)
    {
        lastFirst = false;
        var text = candidate.Trim().TrimEnd(',', ';', ':');
        if (text.Length == 0 || text.AsSpan().ContainsAnyInRange('0', '9'))
        {
            return null;
        }

        List<string> tokens;
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0 && Tokens(text[(comma + 1)..]) is [var only] && Suffix(only) is not null)
        {
            // "Jane Doe, Jr." is a suffix after the name, not LAST, FIRST.
            tokens = [.. Cut(Tokens(text[..comma]), stopWords), only];
        }
        else if (comma > 0)
        {
            var last = Tokens(text[..comma]);
            var rest = Tokens(text[(comma + 1)..]);
            if (last.Count is 0 or > 2 || rest.Count == 0 || rest.Contains(",", StringComparer.Ordinal))
            {
                return null;
            }

            // "DOE, JANE A" → "JANE A DOE"; a suffix after a second comma is not supported.
            tokens = [.. Cut(rest, stopWords), .. last];
            lastFirst = true;
            if (last.Any(stopWords.Contains))
            {
                return null;
            }
        }
        else
        {
            tokens = Cut(Tokens(text), stopWords);
        }

        while (tokens.Count > 0 && Honorifics.Contains(tokens[0].TrimEnd('.')))
        {
            tokens.RemoveAt(0);
        }

        tokens = SuffixLast([.. tokens.Select(t => t.TrimEnd(','))]);

        if (tokens.Count < Math.Max(1, minTokens) || tokens.Count > MaxTokens)
        {
            return null;
        }

        var longWords = 0;
        foreach (var token in tokens)
        {
            if (!IsNameToken(token))
            {
                return null;
            }

            if (token.TrimEnd('.').Length >= 2)
            {
                longWords++;
            }
        }

        // "J. K." is initials, not a name; the last token must be a surname, not an initial.
        var surname = Suffix(tokens[^1]) is not null && tokens.Count > 1 ? tokens[^2] : tokens[^1];
        if (longWords == 0 || surname.TrimEnd('.').Length < 2)
        {
            return null;
        }

        var allCaps = tokens.All(t => Suffix(t) is not null || !t.Any(char.IsLower));
        var cleaned = allCaps ? tokens.Select(TitleCase) : tokens;
        return string.Join(' ', cleaned);
    }

    /// <summary>The generational suffix a token spells (<c>JR.</c> → <c>Jr</c>), or null.</summary>
    public static string? Suffix(string token) => Suffixes.GetValueOrDefault(token.TrimEnd('.', ','));

    // "DOE, JANE A SR", "Doe Jr, Jane" and "Jane Doe, Jr." all put the suffix last: "Jane A Doe Sr".
    private static List<string> SuffixLast(List<string> tokens)
    {
        if (tokens.Count < 3)
        {
            return tokens;
        }

        var suffix = tokens.FindIndex(t => Suffix(t) is not null);
        if (suffix <= 0)
        {
            return tokens;
        }

        var normalised = Suffix(tokens[suffix])!;
        var rest = tokens.Where((_, i) => i != suffix).ToList();
        rest.Add(normalised);
        return rest;
    }

    private static List<string> Tokens(string text) =>
        [.. text.Split([' ', '\t', '\u00A0'], StringSplitOptions.RemoveEmptyEntries)];

    private static List<string> Cut(List<string> tokens, HashSet<string> stopWords)
    {
        var stop = tokens.FindIndex(t => stopWords.Contains(t.TrimEnd('.', ':', ',')));
        return stop < 0 ? tokens : tokens[..stop];
    }

    private static bool IsNameToken(string token)
    {
        if (!char.IsLetter(token[0]) || !char.IsUpper(token[0]))
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!char.IsLetter(c) && c is not ('\'' or '’' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string TitleCase(string token)
    {
        if (token.TrimEnd('.').Length <= 1)
        {
            return token;
        }

        if (Suffix(token) is { } suffix)
        {
            return suffix;
        }

        var lower = token.ToLower(CultureInfo.InvariantCulture).ToCharArray();
        for (var i = 0; i < lower.Length; i++)
        {
            // Capitalise after the start, a hyphen or an apostrophe: O'BRIEN → O'Brien, SMITH-JONES → Smith-Jones.
            if (i == 0 || lower[i - 1] is '-' or '\'' or '’')
            {
                lower[i] = char.ToUpperInvariant(lower[i]);
            }
        }

        return new string(lower);
    }
}
