using System.Globalization;

namespace PiiScanner.Extraction.FixedWidth;

/// <summary>
/// Infers the columns of fixed-width records from a sample of them. Boundaries are positions blank in every
/// row and positions where an all-digit stretch starts or ends in every row. Columns are then named by their
/// values: 9-digit SSN shapes, YYYYMMDD / MMDDYYYY dates, US state codes, ZIPs, street lines, name words.
/// A digit run is split only when each part validates in at least <see cref="MinShare"/> of the rows
/// (an SSN followed by a date, a ZIP+4 followed by a phone). Person headers (names, date of birth) are given
/// only when the record looks like a person: an SSN column, or two name columns with a date and a state or ZIP.
/// Stateless and thread-safe.
/// </summary>
internal static class LayoutInference
{
    /// <summary>Share of non-blank sampled values a column's values must fit to be named.</summary>
    public const double MinShare = 0.9;

    /// <summary>Most digits of a house number that may run on from the digit field before the street.</summary>
    public const int MaxCarriedDigits = 5;

    private static readonly HashSet<string> States = new(StringComparer.Ordinal)
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
        "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
        "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "VI", "GU",
        "AS", "MP",
    };

    private enum Kind
    {
        Unknown,
        Ssn,
        Date,
        Zip,
        ZipPlus4,
        Phone,
        State,
        Street,
        Word,
        Initial,
    }

    /// <summary>Infers a layout from <paramref name="rows"/> (records of one file), or null when nothing is found.</summary>
    public static FixedLayout? Infer(IReadOnlyList<string> rows)
    {
        if (rows.Count < 2)
        {
            return null;
        }

        var width = rows.Max(r => r.Length);
        var padded = rows.Select(r => r.PadRight(width)).ToArray();
        var blank = new bool[width];
        var digit = new bool[width];
        for (var p = 0; p < width; p++)
        {
            blank[p] = padded.All(r => r[p] == ' ');
            digit[p] = padded.All(r => char.IsAsciiDigit(r[p]));
        }

        var noSpace = new bool[width];
        var run = new int[width + 1];
        for (var p = width - 1; p >= 0; p--)
        {
            noSpace[p] = padded.All(r => r[p] != ' ');
            run[p] = digit[p] ? run[p + 1] + 1 : 0;
        }

        // Columns: runs of non-blank positions, cut where an all-digit stretch begins or ends, when the stretch is
        // long enough to be a number of its own (not a house number in a street) or its neighbour is never blank.
        var spans = new List<(int Start, int Length)>();
        var start = -1;
        var digitStart = -1;
        for (var p = 0; p <= width; p++)
        {
            if (p < width && digit[p] && (p == 0 || !digit[p - 1]))
            {
                digitStart = p;
            }

            var cut = p == width || blank[p]
                || (start >= 0 && digit[p] && !digit[p - 1] && (run[p] >= 5 || noSpace[p - 1]))
                || (start >= 0 && !digit[p] && digit[p - 1] && (p - digitStart >= 5 || noSpace[p]));
            if (cut && start >= 0)
            {
                spans.Add((start, p - start));
                start = -1;
            }

            if (p < width && !blank[p] && start < 0)
            {
                start = p;
            }
        }

        JoinWordsSplitByOneBlank(padded, spans);
        JoinHouseNumbers(padded, spans, digit);
        var columns = new List<(int Start, int Length, Kind Kind)>();
        for (var i = 0; i < spans.Count; i++)
        {
            var (s, length) = spans[i];
            var values = padded.Select(r => r.Substring(s, length)).ToArray();
            if (!Enumerable.Range(s, length).All(p => digit[p]))
            {
                columns.Add((s, length, ClassifyText(values.Select(v => v.Trim()).ToArray(), length)));
                continue;
            }

            var parts = SplitDigits(values, s, length);
            if (parts.Count == 1 && parts[0].Kind == Kind.Unknown && i + 1 < spans.Count && spans[i + 1].Start == s + length
                && CarryIntoStreet(padded, values, spans[i + 1]) is { } carried)
            {
                parts = carried.Parts;
                spans[i + 1] = (spans[i + 1].Start - carried.Digits, spans[i + 1].Length + carried.Digits);
            }

            columns.AddRange(parts);
        }

        if (columns.Count < 2)
        {
            return null;
        }

        // Text is padded on the right to the width of its field: a value longer than any sampled one still
        // belongs to it, up to where the next column starts.
        for (var k = 0; k < columns.Count; k++)
        {
            var (s, _, kind) = columns[k];
            if (kind is Kind.Street or Kind.Word or Kind.Unknown && !Enumerable.Range(s, columns[k].Length).All(p => digit[p]))
            {
                columns[k] = (s, (k + 1 < columns.Count ? columns[k + 1].Start : width) - s, kind);
            }
        }

        return new FixedLayout(Name(columns), width, "inferred");
    }

    /// <summary>
    /// Fields run together with the house number of the street after them (<c>42180934419650319658 SPRUCE ST</c>:
    /// SSN, date of birth, then <c>658</c>): the digit run's parts that validate, and how many of its last digits
    /// (at most <see cref="MaxCarriedDigits"/>) begin the street instead. Nine or five digits validate as something
    /// almost always, so the reading whose parts are the most specific wins (a real date over a ZIP); null when
    /// no reading fits.
    /// </summary>
    private static (List<(int Start, int Length, Kind Kind)> Parts, int Digits)? CarryIntoStreet(
        string[] rows, string[] values, (int Start, int Length) next)
    {
        var start = next.Start - values[0].Length;
        (List<(int Start, int Length, Kind Kind)> Parts, int Digits)? best = null;
        var bestScore = 0;
        for (var carry = 1; carry <= MaxCarriedDigits && carry < values[0].Length; carry++)
        {
            var parts = SplitDigits(values, start, values[0].Length - carry);
            var score = parts.Sum(p => p.Kind switch { Kind.Date => 3, Kind.Phone => 2, Kind.Ssn or Kind.ZipPlus4 => 1, _ => 0 });
            if (parts.Any(p => p.Kind == Kind.Unknown) || score <= bestScore)
            {
                continue;
            }

            var streets = rows.Select(r => r.Substring(next.Start - carry, next.Length + carry).Trim()).ToArray();
            if (ClassifyText(streets, next.Length + carry) == Kind.Street)
            {
                (best, bestScore) = ((parts, carry), score);
            }
        }

        return best;
    }

    /// <summary>
    /// Joins a column to the one before it when it is one blank after it, blank on some rows, and on each row
    /// where it holds text the ragged text before runs up to that blank: the second word of a value
    /// (<c>PRAIRIE VIEW</c>, <c>BIRCH AVE</c>) that happened to start at the same position in every sampled row
    /// that has one. A value of fixed width before it (a state, a code) is never ragged, so it is never joined.
    /// </summary>
    private static void JoinWordsSplitByOneBlank(string[] rows, List<(int Start, int Length)> spans)
    {
        for (var i = spans.Count - 1; i > 0; i--)
        {
            var (start, length) = spans[i];
            var before = spans[i - 1];
            if (before.Start + before.Length != start - 1)
            {
                continue;
            }

            var present = rows.Where(r => !r.AsSpan(start, length).IsWhiteSpace()).ToList();
            if (present.Count < rows.Length && rows.Any(r => r[start - 2] == ' ')
                && present.All(r => r[start - 2] != ' ' && char.IsAsciiLetter(r[start])))
            {
                spans[i - 1] = (before.Start, start + length - before.Start);
                spans.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// Joins a short all-digit column to the text one blank after it when together they read as street lines:
    /// house numbers of one length in every sampled row (<c>12 LAKESHORE DR</c>, <c>48 OAK AVE</c>).
    /// </summary>
    private static void JoinHouseNumbers(string[] rows, List<(int Start, int Length)> spans, bool[] digit)
    {
        for (var i = spans.Count - 2; i >= 0; i--)
        {
            var (start, length) = spans[i];
            var next = spans[i + 1];
            if (length > MaxCarriedDigits || next.Start != start + length + 1 || !Enumerable.Range(start, length).All(p => digit[p]))
            {
                continue;
            }

            var joined = next.Start + next.Length - start;
            if (ClassifyText(rows.Select(r => r.Substring(start, joined).Trim()).ToArray(), joined) == Kind.Street)
            {
                spans[i] = (start, joined);
                spans.RemoveAt(i + 1);
            }
        }
    }

    /// <summary>An all-digit column as one field, or split into parts that each validate.</summary>
    private static List<(int Start, int Length, Kind Kind)> SplitDigits(string[] values, int start, int length)
    {
        var whole = DigitKind(values, 0, length);
        if (whole != Kind.Unknown)
        {
            return [(start, length, whole)];
        }

        foreach (var first in (int[])[9, 8, 5, 10])
        {
            if (length <= first)
            {
                continue;
            }

            var kind = DigitKind(values, 0, first);
            var rest = length - first;
            var second = DigitKind(values, first, rest);
            if (kind != Kind.Unknown && second != Kind.Unknown)
            {
                return [(start, first, kind), (start + first, rest, second)];
            }
        }

        return [(start, length, Kind.Unknown)];
    }

    private static Kind DigitKind(string[] values, int offset, int length)
    {
        bool All(Func<string, bool> test) => values.Count(v => test(v.Substring(offset, length))) >= values.Length * MinShare;
        return length switch
        {
            9 when All(IsSsnShape) => Kind.Ssn,
            // Nine digits that are not all SSN-shaped (ZIP+4s: 98571…, 02142…) are named only after a state.
            9 when All(v => v[..5] != "00000") => Kind.ZipPlus4,
            8 when All(v => IsDate(v, yearFirst: true)) || All(v => IsDate(v, yearFirst: false)) => Kind.Date,
            10 when All(IsPhoneShape) => Kind.Phone,
            5 when All(v => v != "00000") => Kind.Zip,
            _ => Kind.Unknown,
        };
    }

    private static Kind ClassifyText(string[] values, int length)
    {
        var present = values.Where(v => v.Length > 0).ToArray();
        if (present.Length == 0)
        {
            return Kind.Unknown;
        }

        bool Most(Func<string, bool> test) => present.Count(test) >= present.Length * MinShare;
        if (length == 2 && Most(States.Contains))
        {
            return Kind.State;
        }

        if (length == 1 && Most(v => char.IsAsciiLetterUpper(v[0])) && !Most(v => v is "M" or "F" or "U" or "X"))
        {
            return Kind.Initial;
        }

        if (Most(IsStreet))
        {
            return Kind.Street;
        }

        if (length >= 3 && Most(IsWords))
        {
            return Kind.Word;
        }

        return Kind.Unknown;
    }

    /// <summary>Names the columns; person headers only when the record looks like a person.</summary>
    private static List<FixedField> Name(List<(int Start, int Length, Kind Kind)> columns)
    {
        var kinds = columns.Select(c => c.Kind).ToList();
        var words = kinds.Count(k => k == Kind.Word);
        // Nine digits right after a state are a ZIP+4, whatever they look like.
        for (var k = 1; k < columns.Count; k++)
        {
            if (columns[k].Kind == Kind.Ssn && columns[k - 1].Kind == Kind.State)
            {
                columns[k] = columns[k] with { Kind = Kind.ZipPlus4 };
                kinds[k] = Kind.ZipPlus4;
            }
        }

        var person = kinds.Contains(Kind.Ssn)
            || (words >= 2 && kinds.Contains(Kind.Date) && (kinds.Contains(Kind.State) || kinds.Contains(Kind.Zip)));
        var fields = new List<FixedField>(columns.Count);
        var seenDate = false;
        var seenStreet = false;
        var nameWords = 0;
        for (var k = 0; k < columns.Count; k++)
        {
            var (start, length, kind) = columns[k];
            string? name = kind switch
            {
                Kind.Ssn => person ? "ssn" : null,
                Kind.Date when person && !seenDate => "date of birth",
                Kind.Date => "date",
                Kind.State => "state",
                Kind.Zip or Kind.ZipPlus4 when k > 0 && columns[k - 1].Kind is Kind.State or Kind.Zip => "zip",
                Kind.ZipPlus4 when k > 0 && columns[k - 1].Kind is Kind.Zip => "zip plus four",
                Kind.Phone => "phone",
                Kind.Street when person => "street",
                Kind.Word when person && seenStreet => "city",
                Kind.Word when person && nameWords == 0 => "last name",
                Kind.Word when person && nameWords == 1 => "first name",
                Kind.Initial when person && nameWords is 1 or 2 => "middle name",
                _ => null,
            };
            seenDate |= kind == Kind.Date;
            seenStreet |= kind == Kind.Street;
            if (kind == Kind.Word && !seenStreet)
            {
                nameWords++;
            }

            if (name == "city")
            {
                // One city column; later word columns stay unnamed.
                seenStreet = false;
                nameWords = 3;
            }

            fields.Add(new FixedField(name ?? "column " + (k + 1).ToString(CultureInfo.InvariantCulture), start, length));
        }

        return fields;
    }

    /// <summary>Area 001–899 except 666, group 01–99, serial 0001–9999: the shape of an issued SSN.</summary>
    internal static bool IsSsnShape(string v)
    {
        if (v.Length != 9 || !v.All(char.IsAsciiDigit))
        {
            return false;
        }

        var area = int.Parse(v.AsSpan(0, 3), CultureInfo.InvariantCulture);
        return area is > 0 and < 900 and not 666 && v[3..5] != "00" && v[5..] != "0000";
    }

    /// <summary>A real calendar date in 1880–2099, year first (YYYYMMDD) or last (MMDDYYYY).</summary>
    internal static bool IsDate(string v, bool yearFirst)
    {
        if (v.Length != 8 || !v.All(char.IsAsciiDigit))
        {
            return false;
        }

        var year = int.Parse(yearFirst ? v.AsSpan(0, 4) : v.AsSpan(4, 4), CultureInfo.InvariantCulture);
        var month = int.Parse(yearFirst ? v.AsSpan(4, 2) : v.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var day = int.Parse(yearFirst ? v.AsSpan(6, 2) : v.AsSpan(2, 2), CultureInfo.InvariantCulture);
        return year is >= 1880 and <= 2099 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static bool IsPhoneShape(string v) => v[0] is >= '2' and <= '9' && v[3] is >= '2' and <= '9';

    private static bool IsStreet(string v)
    {
        var space = v.IndexOf(' ', StringComparison.Ordinal);
        return space is > 0 and <= 6 && v.AsSpan(0, space).IndexOfAnyExcept("0123456789") < 0
            && v.Length > space + 1 && char.IsAsciiLetter(v[space + 1]);
    }

    private static bool IsWords(string v)
        => v.Length >= 2 && char.IsAsciiLetter(v[0]) && v.All(c => char.IsAsciiLetter(c) || c is ' ' or '\'' or '-' or '.')
        && v.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 3;
}
