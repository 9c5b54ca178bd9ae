namespace PiiScanner.Extraction.FixedWidth;

/// <summary>
/// Decides from the decoded head whether text is fixed-width records: at least <see cref="MinRecords"/> lines,
/// the longest at least <see cref="MinRecordLength"/> characters, most lines exactly that long (the rest shorter,
/// their trailing blanks trimmed; a short header first and trailer last are not counted), no tab or pipe anywhere, no comma or semicolon on every line (a delimited
/// table), and spaces and digits on most lines (padding and numbers; not base64 or prose).
/// Stateless and thread-safe.
/// </summary>
internal static class FixedWidthSniffer
{
    /// <summary>Fewest records for the head to count as fixed-width.</summary>
    public const int MinRecords = 3;

    /// <summary>Shortest record width accepted.</summary>
    public const int MinRecordLength = 40;

    /// <summary>True when <paramref name="sample"/> looks like fixed-width records.</summary>
    public static bool Looks(string sample, bool mayBeTruncated)
    {
        var lines = sample.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (mayBeTruncated && lines.Count > 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        lines.RemoveAll(string.IsNullOrWhiteSpace);
        if (lines.Count < MinRecords)
        {
            return false;
        }

        var width = lines.Max(l => l.Length);

        // A header and a trailer record (HDR MBRX0417 20240417 … TRL 000000412) are not records of the layout.
        if (lines[0].Length * 2 < width)
        {
            lines.RemoveAt(0);
        }

        if (lines.Count > 0 && !mayBeTruncated && lines[^1].Length * 2 < width)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        if (lines.Count < MinRecords)
        {
            return false;
        }
        if (width < MinRecordLength || lines.Count(l => l.Length == width) < lines.Count * 0.7)
        {
            return false;
        }

        if (lines.Any(l => l.AsSpan().IndexOfAny('\t', '|') >= 0)
            || lines.All(l => l.Contains(',', StringComparison.Ordinal))
            || lines.All(l => l.Contains(';', StringComparison.Ordinal)))
        {
            return false;
        }

        return lines.Count(l => l.Contains(' ', StringComparison.Ordinal) && l.Any(char.IsAsciiDigit)) >= lines.Count * 0.7
            && lines.All(l => !l.Any(char.IsControl));
    }
}
