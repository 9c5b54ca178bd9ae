using System.Globalization;
using PiiScanner.Detection.Identifiers;

namespace PiiScanner.Detection.Licences;

/// <summary>
/// Checks licence numbers that states derive from the holder's name and date of birth. Stateless and
/// thread-safe. Schemes (see <c>rules/README.md, "Driver's licence data"</c> for sources and how sure each one is):
/// <list type="bullet">
/// <item>FL <c>SSSS-FFF-YY-DDD-N</c>, IL <c>SSSS-FFFY-YDDD</c>, WI <c>SSSS-FFFY-YDDD-NN</c>: Soundex of the surname,
/// first-name code + middle-initial code, two-digit birth year, day code — FL/WI (month−1)·40+day (+500 female),
/// IL (month−1)·31+day (+600 female).</item>
/// <item>MD, MI, MN (letter + 12 digits): Soundex of the surname only (the first-name/birth coding is not published
/// reliably); a MI/MN Soundex mismatch is not counted as evidence.</item>
/// <item>NH (before the <c>NH</c>-prefixed numbers): <c>MM L L F YY DD N</c> — birth month, first and last letter of
/// the surname, first initial, birth year, birth day.</item>
/// <item>NJ: surname initial, …, birth month (+50 female), two-digit birth year.</item>
/// <item>WA (before 2018): <c>LLLLL F M YY C m d</c> — surname (padded with <c>*</c>), initials, 100 − birth year,
/// checksum, month and day codes.</item>
/// <item>MT (13-digit numbers): <c>MM xxx YYYY 41 DD</c> — the birth date only.</item>
/// </list>
/// </summary>
internal static class LicenceEncodings
{
    private static readonly string[] Supported = ["FL", "IL", "WI", "MD", "MI", "MN", "NH", "NJ", "WA", "MT"];

    // Washington month codes (primary, then the alternative used for duplicates) and day codes.
    private const string WaMonths = "BCDJKLMNOPQR";
    private const string WaMonthsAlt = "STU123456789";
    private const string WaDays = "ABCDEFGHZSJKLMNWPQR0123456789TU";

    /// <summary>States with an encoding this class can check.</summary>
    public static IReadOnlyList<string> States => Supported;

    /// <summary>Whether <paramref name="state"/> has an encoding here.</summary>
    public static bool HasEncoding(string? state) => state is not null && Supported.Contains(state.ToUpperInvariant());

    /// <summary>
    /// The encoded states whose encoded layout the number fits (used when a licence's state is unknown:
    /// <c>[A-Z]\d{12}</c> fits FL, MD, MI and MN).
    /// </summary>
    public static IReadOnlyList<string> StatesFitting(string number)
    {
        var n = DriversLicenseRules.Normalize(number ?? string.Empty);
        return [.. Supported.Where(s => Layout(s, n))];
    }

    /// <summary>
    /// Compares a licence number with a person's name and date of birth under the issuing state's encoding.
    /// Never throws for bad input: an unknown state, an empty name or a number outside the encoded layout gives
    /// <see cref="LicenceCheckOutcome.NotApplicable"/>. Sex is not an input: where the day code carries a female
    /// offset, both are tried and the one that fits is reported as the informational <c>sex</c> part.
    /// </summary>
    /// <param name="state">Two-letter state code.</param>
    /// <param name="number">The licence number, separators allowed.</param>
    /// <param name="firstName">First name.</param>
    /// <param name="middleName">Middle name or initial, or null when unknown (middle parts are then not compared).</param>
    /// <param name="lastName">Surname.</param>
    /// <param name="dob">Date of birth.</param>
    public static LicenceCheck Check(string state, string number, string firstName, string? middleName, string lastName, DateOnly dob)
    {
        state = (state ?? string.Empty).Trim().ToUpperInvariant();
        var n = DriversLicenseRules.Normalize(number ?? string.Empty);
        var first = Soundex.LettersOnly(firstName);
        var last = Soundex.LettersOnly(lastName);
        var middle = Soundex.LettersOnly(middleName);
        if (!HasEncoding(state) || !Layout(state, n) || first.Length == 0 || last.Length == 0)
        {
            return LicenceCheck.NotApplicable(state);
        }

        char? middleInitial = middle.Length > 0 ? middle[0] : null;
        return state switch
        {
            "FL" => SoundexFamily(state, "soundex-fl", n, first, middleInitial, last, dob, dayWidth: 40, femaleOffset: 500),
            "WI" => SoundexFamily(state, "soundex-wi", n, first, middleInitial, last, dob, dayWidth: 40, femaleOffset: 500),
            "IL" => SoundexFamily(state, "soundex-il", n, first, middleInitial, last, dob, dayWidth: 31, femaleOffset: 600),
            "MD" or "MI" or "MN" => SurnameOnly(state, n, last),
            "NH" => NewHampshire(n, first, last, dob),
            "NJ" => NewJersey(n, last, dob),
            "WA" => Washington(n, first, middleInitial, middleName is not null, last, dob),
            "MT" => Montana(n, dob),
            _ => LicenceCheck.NotApplicable(state),
        };
    }

    /// <summary>The Washington (pre-2018) checksum character for the other eleven characters of a number.</summary>
    internal static char WashingtonChecksum(string n)
    {
        var sum = 0;
        var sign = 1;
        for (var i = 0; i < 12; i++)
        {
            if (i == 9)
            {
                continue;
            }

            sum += sign * WaValue(n[i]);
            sign = -sign;
        }

        // The published rule takes the last digit of the sum ignoring its sign (-6, 6 and 16 all give 6).
        return (char)('0' + (Math.Abs(sum) % 10));
    }

    private static bool Layout(string state, string n) => state switch
    {
        "FL" or "MD" or "MN" => n.Length == 13 && IsLetterThenDigits(n),
        "MI" => n.Length is 13 or 11 && IsLetterThenDigits(n),
        "IL" => n.Length == 12 && IsLetterThenDigits(n),
        "WI" => n.Length == 14 && IsLetterThenDigits(n),
        "NJ" => n.Length == 15 && IsLetterThenDigits(n),
        "NH" => n.Length == 10 && Digits(n, 0, 2) && char.IsAsciiLetterUpper(n[2]) && char.IsAsciiLetterUpper(n[3]) &&
                char.IsAsciiLetterUpper(n[4]) && Digits(n, 5, 5),
        "WA" => n.Length == 12 && !n.StartsWith("WDL", StringComparison.Ordinal) && char.IsAsciiLetterUpper(n[0]) &&
                n[1..5].All(c => char.IsAsciiLetterUpper(c) || c == '*') && char.IsAsciiLetterUpper(n[5]) &&
                (char.IsAsciiLetterUpper(n[6]) || n[6] == '*') && Digits(n, 7, 3) &&
                char.IsAsciiLetterOrDigit(n[10]) && char.IsAsciiLetterOrDigit(n[11]),
        "MT" => n.Length == 13 && Digits(n, 0, 13) && n[9..11] == "41",
        _ => false,
    };

    private static LicenceCheck SoundexFamily(
        string state, string scheme, string n, string first, char? middleInitial, string last, DateOnly dob, int dayWidth, int femaleOffset)
    {
        var parts = new List<LicencePart>();
        var soundex = Soundex.Encode(last);
        parts.Add(new LicencePart("surname", soundex, n[..4], soundex == n[..4]));

        var fff = int.Parse(n.AsSpan(4, 3), CultureInfo.InvariantCulture);
        var firstCode = FirstNameCodes.First(first);
        parts.Add(new LicencePart("firstName", Pad(firstCode), Pad(fff / 20 * 20), firstCode == fff / 20 * 20));
        if (middleInitial is not null)
        {
            var middleCode = FirstNameCodes.Middle(middleInitial);
            parts.Add(new LicencePart("middleInitial", Pad(middleCode, 2), Pad(fff % 20, 2), middleCode == fff % 20));
        }

        var yy = (dob.Year % 100).ToString("00", CultureInfo.InvariantCulture);
        parts.Add(new LicencePart("birthYear", yy, n[7..9], yy == n[7..9]));

        var ddd = int.Parse(n.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var male = ((dob.Month - 1) * dayWidth) + dob.Day;
        var female = male + femaleOffset;
        parts.Add(new LicencePart("birthDate", $"{Pad(male)}|{Pad(female)}", Pad(ddd), ddd == male || ddd == female));
        if (ddd == male || ddd == female)
        {
            parts.Add(new LicencePart("sex", ddd == female ? "F" : "M", Pad(ddd), true, Decisive: false));
        }

        return Verdict(state, scheme, parts, identityParts: ["surname", "birthYear", "birthDate"], complete: true);
    }

    private static LicenceCheck SurnameOnly(string state, string n, string last)
    {
        var soundex = Soundex.Encode(last);
        var part = new LicencePart("surname", soundex, n[..4], soundex == n[..4]);
        var scheme = $"soundex-surname-{state.ToLowerInvariant()}";
        if (part.Matched)
        {
            return new LicenceCheck(state, LicenceCheckOutcome.PartialMatch, scheme, [part]);
        }

        // Maryland's Soundex prefix is well attested; for Michigan and Minnesota it is not, so no penalty there.
        return state == "MD"
            ? new LicenceCheck(state, LicenceCheckOutcome.Mismatch, scheme, [part])
            : LicenceCheck.NotApplicable(state, scheme, [part]);
    }

    private static LicenceCheck NewHampshire(string n, string first, string last, DateOnly dob)
    {
        var mm = dob.Month.ToString("00", CultureInfo.InvariantCulture);
        var yy = (dob.Year % 100).ToString("00", CultureInfo.InvariantCulture);
        var dd = dob.Day.ToString("00", CultureInfo.InvariantCulture);
        List<LicencePart> parts =
        [
            new("birthMonth", mm, n[..2], mm == n[..2]),
            new("surname", $"{last[0]}{last[^1]}", n[2..4], last[0] == n[2] && last[^1] == n[3]),
            new("firstName", first[..1], n[4..5], first[0] == n[4]),
            new("birthYear", yy, n[5..7], yy == n[5..7]),
            new("birthDay", dd, n[7..9], dd == n[7..9]),
        ];
        return Verdict("NH", "nh-mm-llf-yy-dd", parts, ["birthMonth", "surname", "birthYear", "birthDay"], complete: true);
    }

    private static LicenceCheck NewJersey(string n, string last, DateOnly dob)
    {
        var month = int.Parse(n.AsSpan(10, 2), CultureInfo.InvariantCulture);
        var yy = (dob.Year % 100).ToString("00", CultureInfo.InvariantCulture);
        var monthOk = month == dob.Month || month == dob.Month + 50;
        List<LicencePart> parts =
        [
            new("surname", last[..1], n[..1], last[0] == n[0]),
            new("birthMonth", $"{dob.Month:00}|{dob.Month + 50:00}", n[10..12], monthOk),
            new("birthYear", yy, n[12..14], yy == n[12..14]),
        ];
        if (monthOk)
        {
            parts.Add(new LicencePart("sex", month > 50 ? "F" : "M", n[10..12], true, Decisive: false));
        }

        return Verdict("NJ", "nj-initial-mm-yy", parts, ["surname", "birthMonth", "birthYear"], complete: false);
    }

    private static LicenceCheck Washington(string n, string first, char? middleInitial, bool middleKnown, string last, DateOnly dob)
    {
        var surname = last.Length >= 5 ? last[..5] : last.PadRight(5, '*');
        var yearCode = ((100 - (dob.Year % 100)) % 100).ToString("00", CultureInfo.InvariantCulture);
        var month = n[10];
        var monthOk = month == WaMonths[dob.Month - 1] || month == WaMonthsAlt[dob.Month - 1];
        var day = WaDays[dob.Day - 1];
        var checksum = WashingtonChecksum(n);
        var parts = new List<LicencePart>
        {
            new("surname", surname, n[..5], surname == n[..5]),
            new("firstName", first[..1], n[5..6], first[0] == n[5]),
        };
        if (middleKnown)
        {
            var expected = middleInitial ?? '*';
            parts.Add(new LicencePart("middleInitial", expected.ToString(), n[6..7], expected == n[6]));
        }

        parts.Add(new LicencePart("birthYear", yearCode, n[7..9], yearCode == n[7..9]));
        parts.Add(new LicencePart("checksum", checksum.ToString(), n[9..10], checksum == n[9], Decisive: false));
        parts.Add(new LicencePart("birthMonth", $"{WaMonths[dob.Month - 1]}|{WaMonthsAlt[dob.Month - 1]}", n[10..11], monthOk));
        parts.Add(new LicencePart("birthDay", day.ToString(), n[11..12], day == n[11]));
        return Verdict("WA", "wa-pre2018", parts, ["surname", "birthYear", "birthMonth", "birthDay"], complete: true);
    }

    private static LicenceCheck Montana(string n, DateOnly dob)
    {
        var mm = dob.Month.ToString("00", CultureInfo.InvariantCulture);
        var yyyy = dob.Year.ToString("0000", CultureInfo.InvariantCulture);
        var dd = dob.Day.ToString("00", CultureInfo.InvariantCulture);
        List<LicencePart> parts =
        [
            new("birthMonth", mm, n[..2], mm == n[..2]),
            new("birthYear", yyyy, n[5..9], yyyy == n[5..9]),
            new("birthDay", dd, n[11..13], dd == n[11..13]),
        ];
        return Verdict("MT", "mt-13-digit", parts, ["birthMonth", "birthYear", "birthDay"], complete: false);
    }

    /// <summary>
    /// Match when every decisive part matches and the scheme encodes name and full date; PartialMatch when the
    /// identity parts (surname, birth date) match but the scheme is incomplete or only given-name parts differ;
    /// Mismatch when an identity part differs.
    /// </summary>
    private static LicenceCheck Verdict(string state, string scheme, List<LicencePart> parts, string[] identityParts, bool complete)
    {
        var identityOk = parts.Where(p => identityParts.Contains(p.Name)).All(p => p.Matched);
        if (!identityOk)
        {
            return new LicenceCheck(state, LicenceCheckOutcome.Mismatch, scheme, parts);
        }

        var allOk = parts.Where(p => p.Decisive).All(p => p.Matched);
        return new LicenceCheck(state, allOk && complete ? LicenceCheckOutcome.Match : LicenceCheckOutcome.PartialMatch, scheme, parts);
    }

    private static int WaValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        '*' => 4,
        // A–I 1–9, J–R 1–9, S–Z 2–9.
        >= 'A' and <= 'I' => c - 'A' + 1,
        >= 'J' and <= 'R' => c - 'J' + 1,
        >= 'S' and <= 'Z' => c - 'S' + 2,
        _ => 0,
    };

    private static bool IsLetterThenDigits(string n) => char.IsAsciiLetterUpper(n[0]) && Digits(n, 1, n.Length - 1);

    private static bool Digits(string n, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(n[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Pad(int value, int width = 3) => value.ToString(new string('0', width), CultureInfo.InvariantCulture);
}
