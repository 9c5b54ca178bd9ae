using System.Globalization;

namespace PiiScanner.Extraction.FixedWidth;

/// <summary>
/// Reads a plain layout file: one field a line, either <c>NAME start length</c> (whitespace-separated) or
/// <c>name,start,end</c> (comma-separated, end inclusive), positions 1-based. Blank lines and lines starting
/// with <c>#</c> are ignored, and so is a first line whose positions are not numbers (a CSV header).
/// Stateless and thread-safe; bad input throws <see cref="LayoutException"/> with the line it failed on.
/// </summary>
internal static class LayoutFileParser
{
    /// <summary>Parses <paramref name="text"/> into a layout.</summary>
    public static FixedLayout Parse(string text)
    {
        var fields = new List<FixedField>();
        var number = 0;
        var first = true;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var comma = line.Contains(',', StringComparison.Ordinal);
            var parts = comma
                ? line.Split(',', StringSplitOptions.TrimEntries)
                : line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var isFirst = first;
            first = false;
            if (parts.Length < 3)
            {
                throw new LayoutException($"layout line {number}: expected a name and two positions");
            }

            // The name may hold spaces in the whitespace form ("LAST NAME 10 20"): the last two tokens are numbers.
            var name = string.Join(' ', parts[..^2]).Trim('"');
            if (!int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var second))
            {
                if (isFirst)
                {
                    continue;
                }

                throw new LayoutException($"layout line {number}: positions must be whole numbers");
            }

            var length = comma ? second - start + 1 : second;
            if (start < 1 || length < 1 || name.Length == 0)
            {
                throw new LayoutException($"layout line {number}: start must be ≥ 1 and the field at least 1 wide");
            }

            fields.Add(new FixedField(name, start - 1, length));
        }

        if (fields.Count == 0)
        {
            throw new LayoutException("layout: no fields");
        }

        fields.Sort((a, b) => a.Start.CompareTo(b.Start));
        return new FixedLayout(fields, fields.Max(f => f.Start + f.Length), "layout");
    }
}
