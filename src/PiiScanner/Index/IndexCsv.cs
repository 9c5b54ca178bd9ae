using System.Globalization;
using System.Text;
using PiiScanner.Detection;
using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>
/// <c>individuals.csv</c>: one row per person for a mail merge. RFC 4180 quoting, <c>\n</c> line ends, UTF-8
/// without BOM, multi-values joined with <c>"; "</c>. Cells starting with <c>= + - @</c> (or a tab / carriage
/// return) get a leading <c>'</c> so a spreadsheet never runs them as formulas. <c>joinedBy</c> is compact:
/// <c>key=records</c> pairs joined with <c>"; "</c>.
/// </summary>
internal static class IndexCsv
{
    private static readonly string[] FixedElements =
    [
        Elements.Ssn, Elements.Dob, Elements.DriversLicense, Elements.Address, Elements.Medical,
        Elements.Itin, Elements.Passport, Elements.HealthInsurance, Elements.Mbi, Elements.Npi,
        Elements.BankAccount, Elements.CreditCard, Elements.Email, Elements.Phone,
    ];

    /// <summary>The value columns: the fixed ones, then any other element present, ordinal order.</summary>
    public static List<string> ValueColumns(IReadOnlyList<Individual> people)
    {
        var extra = people
            .SelectMany(p => p.Elements)
            .Where(e => e != Elements.Name && !FixedElements.Contains(e))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return [.. FixedElements, .. extra];
    }

    public static void Write(TextWriter writer, IReadOnlyList<Individual> people, Masker masker)
    {
        var columns = ValueColumns(people);
        var header = new List<string> { "id", "name", "elements" };
        header.AddRange(columns);
        header.Add("joinedBy");
        header.Add("sourceCount");
        header.Add("sources");
        WriteRow(writer, header);

        foreach (var p in people)
        {
            var row = new List<string> { p.Id, p.Name ?? string.Empty, string.Join("; ", p.Elements) };
            foreach (var column in columns)
            {
                row.Add(p.Values.TryGetValue(column, out var values)
                    ? string.Join("; ", values.Select(v => Format(column, v, masker)))
                    : string.Empty);
            }

            row.Add(JoinedBy(p.JoinedBy));
            row.Add(p.Sources.Count.ToString(CultureInfo.InvariantCulture));
            row.Add(string.Join("; ", p.Sources.Select(s => s.Path + " (" + s.Locator + ")" + (s.Deleted ? " [deleted]" : string.Empty))));
            WriteRow(writer, row);
        }
    }

    /// <summary>The compact <c>joinedBy</c> cell: <c>name+dob=1; ssn=2</c>.</summary>
    internal static string JoinedBy(IReadOnlyList<JoinReason> joinedBy) =>
        string.Join("; ", joinedBy.Select(j => j.Key + "=" + j.Records.ToString(CultureInfo.InvariantCulture)));

    internal static string Format(string element, ExposedValue v, Masker masker)
    {
        var value = masker.Mask(element, v.Value);
        return element switch
        {
            Elements.DriversLicense when v.State is not null => v.State + " " + value,
            Elements.Medical when v.Code is not null => value + " (" + v.Code + ")",
            _ => value,
        };
    }

    internal static void WriteRow(TextWriter writer, IEnumerable<string> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                writer.Write(',');
            }

            first = false;
            writer.Write(Cell(cell));
        }

        writer.Write('\n');
    }

    /// <summary>A cell made safe for spreadsheets and quoted per RFC 4180.</summary>
    internal static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        sb.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        sb.Append('"');
        return sb.ToString();
    }
}
