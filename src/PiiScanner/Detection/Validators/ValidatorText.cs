using System.Text;

namespace PiiScanner.Detection.Validators;

/// <summary>Small string helpers shared by the validators.</summary>
internal static class ValidatorText
{
    /// <summary>
    /// The ASCII digits of <paramref name="candidate"/>, or null when it holds anything else
    /// (spaces and dashes are skipped when <paramref name="allowSeparators"/>).
    /// </summary>
    public static string? DigitsOnly(string? candidate, bool allowSeparators)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return null;
        }

        var sb = new StringBuilder(candidate.Length);
        foreach (var c in candidate.AsSpan().Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                sb.Append(c);
            }
            else if (!(allowSeparators && c is ' ' or '-'))
            {
                return null;
            }
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>Upper-cased ASCII letters and digits of <paramref name="candidate"/>, skipping spaces and dashes; null on anything else.</summary>
    public static string? AlphanumericUpper(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return null;
        }

        var sb = new StringBuilder(candidate.Length);
        foreach (var c in candidate.AsSpan().Trim())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
            else if (c is not (' ' or '-'))
            {
                return null;
            }
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>Whether every character is the same (000000000, 1111…).</summary>
    public static bool AllSame(ReadOnlySpan<char> s)
    {
        for (var i = 1; i < s.Length; i++)
        {
            if (s[i] != s[0])
            {
                return false;
            }
        }

        return true;
    }
}
