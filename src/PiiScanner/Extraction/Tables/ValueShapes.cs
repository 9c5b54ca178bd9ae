using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PiiScanner.Extraction.Tables;

/// <summary>What a single cell of a table looks like, for inferring what its column holds.</summary>
internal enum ValueShape
{
    Other,
    SsnDashed,
    NineDigits,
    Date,
    Phone,
    Email,
    Zip,
    Zip4,
    State,
    Street,
    Address,
    FullName,
    Initial,
    Licence,
    Word,
}

/// <summary>Cheap shape tests for table cells (SSN, date, phone, ZIP, state code, street line…). Stateless.</summary>
internal static partial class ValueShapes
{
    private static readonly SearchValues<string> States = SearchValues.Create(
        [
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
            "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
            "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "VI", "GU", "AS", "MP",
        ],
        StringComparison.Ordinal);

    /// <summary>True for a USPS state, DC or territory code, upper case.</summary>
    public static bool IsState(ReadOnlySpan<char> value)
        => value.Length == 2 && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]) && States.Contains(value.ToString());

    /// <summary>The shape of one cell; <paramref name="year"/> is set for <see cref="ValueShape.Date"/>.</summary>
    public static ValueShape Classify(string value, NameVocabulary names, out int year)
    {
        year = 0;
        if (value.Length == 0)
        {
            return ValueShape.Other;
        }

        if (char.IsAsciiDigit(value[0]))
        {
            if (SsnDashedRegex().IsMatch(value))
            {
                return IsValidSsn(value.Replace("-", string.Empty, StringComparison.Ordinal)) ? ValueShape.SsnDashed : ValueShape.Other;
            }

            if (TryDate(value, out year))
            {
                return ValueShape.Date;
            }

            if (value.Length == 9 && IsAllDigits(value))
            {
                return IsValidSsn(value) ? ValueShape.NineDigits : ValueShape.Other;
            }

            if (ZipRegex().IsMatch(value))
            {
                return value.Length == 5 ? ValueShape.Zip : ValueShape.Zip4;
            }

            if (PhoneRegex().IsMatch(value))
            {
                return ValueShape.Phone;
            }

            if (StreetRegex().IsMatch(value))
            {
                return ValueShape.Street;
            }

            return AddressRegex().IsMatch(value) ? ValueShape.Address : ValueShape.Other;
        }

        if (value[0] is '(' or '+' && PhoneRegex().IsMatch(value))
        {
            return ValueShape.Phone;
        }

        if (value.Contains('@', StringComparison.Ordinal))
        {
            return EmailRegex().IsMatch(value) ? ValueShape.Email : ValueShape.Other;
        }

        if (IsState(value))
        {
            return ValueShape.State;
        }

        if (LicenceRegex().IsMatch(value))
        {
            return ValueShape.Licence;
        }

        if (InitialRegex().IsMatch(value))
        {
            return ValueShape.Initial;
        }

        if (!WordsRegex().IsMatch(value))
        {
            return ValueShape.Other;
        }

        return IsFullName(value, names) ? ValueShape.FullName : ValueShape.Word;
    }

    /// <summary>One or two words without a comma: what a given-name or surname cell looks like.</summary>
    public static bool IsShortName(string value)
        => value.Length > 1 && value.AsSpan().IndexOf(',') < 0 && value.AsSpan().Count(' ') <= 1;

    /// <summary>Removes diacritics (<c>Lucía</c> → <c>Lucia</c>) for vocabulary look-ups.</summary>
    public static string Fold(string value)
    {
        if (System.Text.Ascii.IsValid(value))
        {
            return value;
        }

        var decomposed = value.Normalize(System.Text.NormalizationForm.FormD);
        var sb = new System.Text.StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>True when the date-like value is a date; <paramref name="year"/> is its year.</summary>
    public static bool TryDate(string value, out int year)
    {
        year = 0;
        var m = DateRegex().Match(value);
        if (!m.Success)
        {
            return false;
        }

        int y, mo, d;
        if (m.Groups["y1"].Success)
        {
            y = Int(m.Groups["y1"].ValueSpan);
            mo = Int(m.Groups["m1"].ValueSpan);
            d = Int(m.Groups["d1"].ValueSpan);
        }
        else if (m.Groups["y2"].Success)
        {
            y = Int(m.Groups["y2"].ValueSpan);
            mo = Int(m.Groups["m2"].ValueSpan);
            d = Int(m.Groups["d2"].ValueSpan);
            if (mo > 12 && d <= 12)
            {
                (mo, d) = (d, mo);
            }
        }
        else
        {
            y = Int(m.Groups["y3"].ValueSpan);
            mo = Int(m.Groups["m3"].ValueSpan);
            d = Int(m.Groups["d3"].ValueSpan);
        }

        if (y is < 1880 or > 2100 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo))
        {
            return false;
        }

        year = y;
        return true;
    }

    // Area 000, 666 and 900-999, group 00 and serial 0000 were never issued.
    private static bool IsValidSsn(string digits)
        => digits.Length == 9
            && digits[..3] is not ("000" or "666")
            && digits[0] != '9'
            && digits.Substring(3, 2) != "00"
            && digits.Substring(5, 4) != "0000";

    private static bool IsFullName(string value, NameVocabulary names)
    {
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0)
        {
            // LAST, FIRST [M]
            var last = value.AsSpan(0, comma).Trim();
            var rest = value.AsSpan(comma + 1).Trim();
            var space = rest.IndexOf(' ');
            var first = space < 0 ? rest : rest[..space];
            return names.IsSurname(last) && names.IsGiven(first);
        }

        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length is >= 2 and <= 4 && names.IsGiven(parts[0]) && names.IsSurname(parts[^1]);
    }

    private static bool IsAllDigits(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int Int(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{3}-\d{2}-\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex SsnDashedRegex();

    [GeneratedRegex(
        @"^(?:(?<y1>\d{4})-(?<m1>\d{1,2})-(?<d1>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?|(?<m2>\d{1,2})[/.-](?<d2>\d{1,2})[/.-](?<y2>\d{4})|(?<y3>(?:18|19|20)\d{2})(?<m3>\d{2})(?<d3>\d{2}))$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"^\d{5}(?:-\d{4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex ZipRegex();

    [GeneratedRegex(@"^(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    private const string Suffix =
        "st|street|ave|av|avenue|rd|road|dr|drive|ln|lane|blvd|boulevard|ct|court|way|pl|place|cir|circle|ter|terrace|pkwy|parkway|hwy|highway|trl|trail|loop|sq|square|pike|row|run|path|xing|crossing|aly|alley";

    [GeneratedRegex(
        @"^\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Za-z0-9'.-]+\s+){0,4}(?:" + Suffix + @")\.?(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\.?)?(?:\s*,?\s*(?:apt|unit|ste|suite|#)\.?\s*#?[\w-]+)?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex StreetRegex();

    [GeneratedRegex(@"^\d{1,6}[A-Za-z]?\s+[^,]+,(?:[^,]+,)*\s*[A-Za-z .'-]+,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex AddressRegex();

    [GeneratedRegex(@"^(?:[A-Za-z]{1,2}\d{5,14}|[A-Za-z]\d{3}-\d{3,4}-\d{3,4}(?:-\d{1,4})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex LicenceRegex();

    [GeneratedRegex(@"^[A-Z]\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex InitialRegex();

    [GeneratedRegex(@"^[\p{L}][\p{L}'.-]*(?:,? [\p{L}][\p{L}'.-]*){0,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex WordsRegex();
}
