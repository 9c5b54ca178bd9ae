namespace PiiScanner.Extraction.Tables;

/// <summary>
/// Infers what each column of a table without a header row holds from the values of its first rows: SSNs,
/// dates (the one whose years spread over decades and lie furthest back is the date of birth; the others are
/// service dates), given names and surnames (from <see cref="NameVocabulary"/>), full names, street lines, the
/// city next to the state, state codes, ZIP codes, phone numbers, emails and licence-like ids. The names given
/// are header words the detection rules accept (<c>ssn</c>, <c>date of birth</c>, <c>first name</c>,
/// <c>street</c>, <c>zip</c>…); a column it is unsure of gets null. Shapes that are only personal data in a
/// table of people (bare nine digits, licence-like ids, birth dates) need a name column beside them, so an
/// order table with nine-digit order numbers and dates names none of them. Stateless.
/// </summary>
internal static class ColumnInference
{
    /// <summary>Rows read before the columns are named.</summary>
    public const int SampleRows = 200;

    // Share of a column's non-empty sample values that must have a shape for the column to be named after it.
    private const double Strong = 0.8;
    private const double NameShare = 0.5;

    /// <summary>Names the columns of <paramref name="rows"/>; null entries are columns it could not name.</summary>
    public static string?[] Infer(IReadOnlyList<IReadOnlyList<string>> rows, int columns, NameVocabulary names)
    {
        var stats = new ColumnStats[columns];
        for (var c = 0; c < columns; c++)
        {
            stats[c] = new ColumnStats();
        }

        foreach (var row in rows)
        {
            if (row.Count < 2)
            {
                continue;
            }

            for (var c = 0; c < Math.Min(columns, row.Count); c++)
            {
                stats[c].Add(row[c], names);
            }
        }

        var result = new string?[columns];
        var shapes = new ValueShape[columns];
        for (var c = 0; c < columns; c++)
        {
            shapes[c] = stats[c].Dominant();
        }

        // Names first: they decide whether the weak shapes count.
        AssignNames(stats, shapes, result);
        var personal = result.Any(r => r is "first name" or "last name" or "name");
        var hasState = false;
        for (var c = 0; c < columns; c++)
        {
            if (result[c] is not null)
            {
                continue;
            }

            result[c] = shapes[c] switch
            {
                ValueShape.SsnDashed => "ssn",
                ValueShape.NineDigits when personal && !stats[c].Sequential => "ssn",
                ValueShape.Phone => "phone",
                ValueShape.Email => "email",
                ValueShape.Street => "street",
                ValueShape.Address => "address",
                ValueShape.State => "state",
                ValueShape.Zip4 => "zip",
                ValueShape.Licence when personal => "dl number",
                _ => null,
            };
            hasState |= result[c] == "state";
        }

        personal |= result.Contains("ssn");
        for (var c = 0; c < columns; c++)
        {
            if (result[c] is null && shapes[c] == ValueShape.Zip && (hasState || result.Contains("street")))
            {
                result[c] = "zip";
            }

            // The city is the text column just before the state (or just after the street).
            if (result[c] == "state" && c > 0 && result[c - 1] is null && shapes[c - 1] == ValueShape.Word)
            {
                result[c - 1] = "city";
            }
        }

        if (!result.Contains("city"))
        {
            var street = Array.IndexOf(result, "street");
            if (street >= 0 && street + 1 < columns && result[street + 1] is null && shapes[street + 1] == ValueShape.Word)
            {
                result[street + 1] = "city";
            }
        }

        AssignDates(stats, shapes, result, personal);
        return result;
    }

    private static void AssignNames(ColumnStats[] stats, ValueShape[] shapes, string?[] result)
    {
        var candidates = new List<int>();
        for (var c = 0; c < stats.Length; c++)
        {
            var s = stats[c];
            if (shapes[c] == ValueShape.FullName)
            {
                result[c] = "name";
            }
            else if (s.Count > 0 && (s.GivenShare >= NameShare || s.SurnameShare >= NameShare) && s.SingleWordShare >= Strong)
            {
                candidates.Add(c);
            }
        }

        if (result.Contains("name") || candidates.Count == 0)
        {
            return;
        }

        if (candidates.Count == 1)
        {
            // One column the vocabulary knows; the other name part is the text column beside it (surnames are
            // too varied for any list): a given name's surname is looked for on the left first (LAST|FIRST).
            var known = candidates[0];
            var given = stats[known].GivenShare >= stats[known].SurnameShare;
            int[] sides = given ? [known - 1, known + 1] : [known + 1, known - 1];
            foreach (var side in sides)
            {
                if (side >= 0 && side < stats.Length && shapes[side] == ValueShape.Word && stats[side].SingleWordShare >= Strong)
                {
                    candidates.Add(side);
                    stats[side].AssumeOtherPart(given);
                    break;
                }
            }

            if (candidates.Count == 1)
            {
                return;
            }
        }

        // The pair (first, last) with the best fit; ties keep the file's order (first name on the left).
        int bestFirst = -1, bestLast = -1;
        var best = double.MinValue;
        foreach (var f in candidates)
        {
            foreach (var l in candidates)
            {
                if (f == l)
                {
                    continue;
                }

                var score = stats[f].GivenShare - stats[f].SurnameShare + stats[l].SurnameShare - stats[l].GivenShare
                    + (f < l ? 0.001 : 0);
                if (score > best)
                {
                    (best, bestFirst, bestLast) = (score, f, l);
                }
            }
        }

        result[bestFirst] = "first name";
        result[bestLast] = "last name";

        // A column of initials (or given names) between or beside them is the middle name.
        for (var c = 0; c < stats.Length; c++)
        {
            if (result[c] is null
                && (shapes[c] == ValueShape.Initial || (candidates.Contains(c) && stats[c].GivenShare >= NameShare))
                && (Math.Abs(c - bestFirst) == 1 || Math.Abs(c - bestLast) == 1))
            {
                result[c] = "middle name";
                break;
            }
        }
    }

    private static void AssignDates(ColumnStats[] stats, ValueShape[] shapes, string?[] result, bool personal)
    {
        var dob = -1;
        for (var c = 0; c < stats.Length; c++)
        {
            if (shapes[c] != ValueShape.Date || result[c] is not null)
            {
                continue;
            }

            result[c] = "service date";
            var s = stats[c];

            // Birth dates spread over decades; with few rows the spread says little, so any date column may be it.
            if (personal && (s.Years.Count < 4 || s.YearSpread >= 10) && (dob < 0 || s.MedianYear < stats[dob].MedianYear))
            {
                dob = c;
            }
        }

        if (dob >= 0)
        {
            result[dob] = "date of birth";
        }
    }

    private sealed class ColumnStats
    {
        private readonly Dictionary<ValueShape, int> _shapes = [];
        private int _given;
        private int _surname;
        private int _single;
        private int _increasing;
        private long _previous = -1;

        public int Count { get; private set; }

        public List<int> Years { get; } = [];

        public double GivenShare => Count == 0 ? 0 : (double)_given / Count;

        public double SurnameShare => Count == 0 ? 0 : (double)_surname / Count;

        public double SingleWordShare => Count == 0 ? 0 : (double)_single / Count;

        /// <summary>Numbers that (nearly) always increase row to row: record ids, not SSNs.</summary>
        public bool Sequential => Count >= 3 && _increasing >= (Count - 1) * 0.9;

        public int MedianYear
        {
            get
            {
                Years.Sort();
                return Years.Count == 0 ? int.MaxValue : Years[Years.Count / 2];
            }
        }

        public int YearSpread
        {
            get
            {
                Years.Sort();
                return Years.Count == 0 ? 0 : Years[(int)(Years.Count * 0.9)] - Years[Years.Count / 10];
            }
        }

        /// <summary>Treats the column as the name part the vocabulary could not confirm.</summary>
        public void AssumeOtherPart(bool otherIsGiven)
        {
            if (otherIsGiven)
            {
                _surname = Count;
            }
            else
            {
                _given = Count;
            }
        }

        public void Add(string value, NameVocabulary names)
        {
            if (value.Length == 0)
            {
                return;
            }

            Count++;
            var shape = ValueShapes.Classify(value, names, out var year);
            _shapes[shape] = _shapes.GetValueOrDefault(shape) + 1;
            if (shape == ValueShape.Date)
            {
                Years.Add(year);
            }

            if (shape == ValueShape.Word && ValueShapes.IsShortName(value))
            {
                // One or two words ("Running Crane", "Van Dyke"), accents folded for the vocabulary ("Lucía").
                _single++;
                var folded = ValueShapes.Fold(value);
                var space = folded.IndexOf(' ', StringComparison.Ordinal);
                var span = folded.AsSpan();
                _given += names.IsGiven(space < 0 ? span : span[..space]) ? 1 : 0;
                _surname += names.IsSurname(span) || (space > 0 && names.IsSurname(span[(space + 1)..])) ? 1 : 0;
            }

            if (shape == ValueShape.NineDigits)
            {
                var number = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                _increasing += _previous >= 0 && number > _previous ? 1 : 0;
                _previous = number;
            }
        }

        /// <summary>The shape most values have when it is a strong majority; <see cref="ValueShape.Word"/> for text.</summary>
        public ValueShape Dominant()
        {
            if (Count == 0)
            {
                return ValueShape.Other;
            }

            var (shape, times) = _shapes.MaxBy(kv => kv.Value);

            // Street lines with and without a suffix both count as text words when they are not a majority.
            var share = (double)times / Count;
            if (shape is ValueShape.Zip or ValueShape.Zip4)
            {
                var zips = _shapes.GetValueOrDefault(ValueShape.Zip) + _shapes.GetValueOrDefault(ValueShape.Zip4);
                return zips < Count * Strong ? ValueShape.Other : _shapes.GetValueOrDefault(ValueShape.Zip4) > 0 ? ValueShape.Zip4 : ValueShape.Zip;
            }

            if (shape is ValueShape.SsnDashed or ValueShape.NineDigits)
            {
                // Dashed and bare SSNs mixed in one column: dashed ones make it an SSN column outright.
                var dashed = _shapes.GetValueOrDefault(ValueShape.SsnDashed);
                var ssns = dashed + _shapes.GetValueOrDefault(ValueShape.NineDigits);
                return ssns < Count * Strong ? ValueShape.Other : dashed * 2 >= ssns ? ValueShape.SsnDashed : ValueShape.NineDigits;
            }

            if (shape is ValueShape.Street or ValueShape.Address && share >= 0.6)
            {
                return shape;
            }

            return share >= Strong ? shape : ValueShape.Other;
        }
    }
}
