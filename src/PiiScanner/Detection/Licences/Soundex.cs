using System.Globalization;
using System.Text;

namespace PiiScanner.Detection.Licences;

/// <summary>
/// American Soundex (the National Archives rules that the FL/IL/WI licence numbers use): the first letter,
/// then digits for the following consonants (BFPV 1, CGJKQSXZ 2, DT 3, L 4, MN 5, R 6), adjacent letters with
/// the same digit coded once — also when separated by H or W, but not when separated by a vowel — padded with
/// zeros or cut to four characters.
/// </summary>
internal static class Soundex
{
    /// <summary>
    /// The Soundex code of a name (<c>Ashcraft</c> → <c>A261</c>, <c>Lee</c> → <c>L000</c>). Non-letters are
    /// dropped first (<c>O'Brien</c> = <c>OBRIEN</c>) and accents removed. Returns an empty string when the name
    /// has no letters.
    /// </summary>
    public static string Encode(string name)
    {
        var letters = LettersOnly(name);
        if (letters.Length == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder(4);
        sb.Append(letters[0]);
        var previous = Code(letters[0]);
        for (var i = 1; i < letters.Length && sb.Length < 4; i++)
        {
            var c = letters[i];
            var d = Code(c);
            if (d != '0' && d != previous)
            {
                sb.Append(d);
            }

            // H and W are transparent: the consonants on both sides count as adjacent. Vowels separate.
            if (c is not ('H' or 'W'))
            {
                previous = d;
            }
        }

        return sb.ToString().PadRight(4, '0');
    }

    /// <summary>Upper-case ASCII letters of <paramref name="value"/>, accents removed, everything else dropped.</summary>
    internal static string LettersOnly(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(value.Length);
        foreach (var c in value.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var u = char.ToUpperInvariant(c);
            if (u is >= 'A' and <= 'Z')
            {
                sb.Append(u);
            }
        }

        return sb.ToString();
    }

    private static char Code(char c) => c switch
    {
        'B' or 'F' or 'P' or 'V' => '1',
        'C' or 'G' or 'J' or 'K' or 'Q' or 'S' or 'X' or 'Z' => '2',
        'D' or 'T' => '3',
        'L' => '4',
        'M' or 'N' => '5',
        'R' => '6',
        _ => '0',
    };
}
