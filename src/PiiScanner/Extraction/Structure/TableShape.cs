namespace PiiScanner.Extraction.Structure;

/// <summary>Heuristics shared by the table readers (Word, Excel, HTML): header rows and key/value tables.</summary>
internal static class TableShape
{
    private const int MaxHeaderChars = 64;

    /// <summary>
    /// True when a row of cell texts reads like column headers: at least one non-empty cell, every non-empty
    /// cell short, with letters and few digits (a row of names and SSNs is data, "SSN | DOB" is a header).
    /// </summary>
    public static bool LooksLikeHeader(IReadOnlyList<string> cells)
    {
        var nonEmpty = 0;
        foreach (var cell in cells)
        {
            var text = cell.AsSpan().Trim();
            if (text.IsEmpty)
            {
                continue;
            }

            nonEmpty++;
            if (text.Length > MaxHeaderChars)
            {
                return false;
            }

            int letters = 0, digits = 0;
            foreach (var c in text)
            {
                if (char.IsLetter(c))
                {
                    letters++;
                }
                else if (char.IsDigit(c))
                {
                    digits++;
                }
            }

            if (letters == 0 || digits * 3 > text.Length)
            {
                return false;
            }
        }

        return nonEmpty > 0 && nonEmpty * 2 >= cells.Count;
    }

    /// <summary>
    /// True when a two-column table is a form of labels and values (<c>Name: | Jane Doe</c>): most first-column
    /// cells are short labels ending in a colon.
    /// </summary>
    public static bool IsKeyValueTable(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        if (rows.Count < 2)
        {
            return false;
        }

        var labelled = 0;
        foreach (var row in rows)
        {
            if (row.Count != 2)
            {
                return false;
            }

            var key = row[0].AsSpan().Trim();
            if (key.Length is > 1 and <= MaxHeaderChars && key[^1] == ':')
            {
                labelled++;
            }
        }

        return labelled * 2 > rows.Count;
    }

    /// <summary>Removes a trailing colon and spaces from a label ("Date of Birth:" → "Date of Birth").</summary>
    public static string CleanLabel(string label) => label.Trim().TrimEnd(':').TrimEnd();
}
