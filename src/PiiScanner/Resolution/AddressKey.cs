using System.Text;

namespace PiiScanner.Resolution;

/// <summary>
/// Folds a one-line US address into a comparison key: upper case, punctuation dropped, common street words
/// abbreviated the USPS way (<c>Street</c> → <c>ST</c>), ZIP+4 cut to the ZIP.
/// </summary>
internal static class AddressKey
{
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["STREET"] = "ST", ["STR"] = "ST", ["AVENUE"] = "AVE", ["AV"] = "AVE", ["ROAD"] = "RD", ["DRIVE"] = "DR",
        ["LANE"] = "LN", ["BOULEVARD"] = "BLVD", ["COURT"] = "CT", ["PLACE"] = "PL", ["CIRCLE"] = "CIR",
        ["TERRACE"] = "TER", ["HIGHWAY"] = "HWY", ["PARKWAY"] = "PKWY", ["APARTMENT"] = "APT", ["SUITE"] = "STE",
        ["UNIT"] = "APT", ["NORTH"] = "N", ["SOUTH"] = "S", ["EAST"] = "E", ["WEST"] = "W", ["TRAIL"] = "TRL",
        ["SQUARE"] = "SQ", ["WAY"] = "WAY", ["POBOX"] = "PO BOX",
    };

    public static string Of(string address)
    {
        var sb = new StringBuilder(address.Length);
        foreach (var c in address.Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
            else if (c is '.' or '\'')
            {
                // "P.O." = "PO", "O'Neil" = "ONeil"
            }
            else if (char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                sb.Append(' ');
            }
        }

        var tokens = sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        // ZIP+4 → ZIP
        if (tokens.Count >= 2 && tokens[^1].Length == 4 && tokens[^2].Length == 5
            && tokens[^1].All(char.IsAsciiDigit) && tokens[^2].All(char.IsAsciiDigit))
        {
            tokens.RemoveAt(tokens.Count - 1);
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            if (Abbreviations.TryGetValue(tokens[i], out var a))
            {
                tokens[i] = a;
            }
        }

        return string.Join(' ', tokens);
    }
}
