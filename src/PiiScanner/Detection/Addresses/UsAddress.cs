using System.Globalization;

namespace PiiScanner.Detection.Addresses;

/// <summary>
/// Builds the one-line form of a US address (<c>12 Oak St Apt 4, Helena, MT 59601</c>): street suffixes and
/// unit designators abbreviated the USPS way so the same address written two ways compares equal.
/// </summary>
internal static class UsAddress
{
    private static readonly Dictionary<string, string> Suffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Street"] = "St", ["Avenue"] = "Ave", ["Av"] = "Ave", ["Road"] = "Rd", ["Drive"] = "Dr", ["Lane"] = "Ln",
        ["Boulevard"] = "Blvd", ["Court"] = "Ct", ["Circle"] = "Cir", ["Place"] = "Pl", ["Terrace"] = "Ter",
        ["Highway"] = "Hwy", ["Parkway"] = "Pkwy", ["Square"] = "Sq", ["Trail"] = "Trl", ["Way"] = "Way",
        ["Alley"] = "Aly", ["Crossing"] = "Xing", ["Expressway"] = "Expy", ["Freeway"] = "Fwy", ["Loop"] = "Loop",
        ["Plaza"] = "Plz", ["Point"] = "Pt", ["Ridge"] = "Rdg", ["Run"] = "Run", ["Path"] = "Path", ["Pike"] = "Pike",
        ["Route"] = "Rte", ["Center"] = "Ctr", ["Heights"] = "Hts", ["Hill"] = "Hl", ["Grove"] = "Grv",
        ["Meadow"] = "Mdw", ["Park"] = "Park", ["Row"] = "Row", ["Walk"] = "Walk", ["Cove"] = "Cv",
    };

    private static readonly Dictionary<string, string> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Apartment"] = "Apt", ["Suite"] = "Ste", ["Building"] = "Bldg", ["Floor"] = "Fl", ["Room"] = "Rm",
        ["Department"] = "Dept", ["Space"] = "Spc", ["Lot"] = "Lot", ["Unit"] = "Unit", ["Trailer"] = "Trlr",
    };

    /// <summary>One-line value from the parts; street is "number name suffix [direction]".</summary>
    public static string Format(string street, string? unit, string? city, string state, string? zip)
    {
        var line = CleanStreet(street);
        if (!string.IsNullOrWhiteSpace(unit))
        {
            line += " " + CleanUnit(unit);
        }

        var parts = new List<string> { line };
        if (!string.IsNullOrWhiteSpace(city))
        {
            parts.Add(Capitalise(Collapse(city.Trim().TrimEnd(',', '.'))));
        }

        var tail = state.ToUpperInvariant();
        if (!string.IsNullOrWhiteSpace(zip))
        {
            tail += " " + zip.Trim();
        }

        parts.Add(tail);
        return string.Join(", ", parts);
    }

    private static string CleanStreet(string street)
    {
        var words = Collapse(street.Trim().TrimEnd(',')).Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var bare = words[i].TrimEnd('.', ',');
            words[i] = i > 0 && Suffixes.TryGetValue(bare, out var abbreviation) ? abbreviation : Capitalise(bare);
        }

        return string.Join(' ', words);
    }

    private static string CleanUnit(string unit)
    {
        var words = Collapse(unit.Trim().TrimEnd(',')).Split(' ');
        var first = words[0].TrimEnd('.');
        words[0] = Units.TryGetValue(first, out var abbreviation) ? abbreviation : first.Length > 1 && first.All(char.IsLetter) ? Capitalise(first) : first;
        return string.Join(' ', words);
    }

    private static string Collapse(string text) =>
        string.Join(' ', text.Split([' ', '\t', '\u00A0', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    // Only upper-case text is re-cased (HELENA → Helena); mixed case is kept as written (McMinnville).
    private static string Capitalise(string word)
    {
        if (word.Any(char.IsLower) || word.Length < 2 || !word.Any(char.IsLetter))
        {
            return word;
        }

        return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(word.ToLowerInvariant());
    }
}
