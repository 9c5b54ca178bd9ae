using PiiScanner.Extraction.Tables;

namespace PiiScanner.Extraction;

/// <summary>The shape of a delimited text file as sniffed from its head.</summary>
/// <param name="Delimiter">The field delimiter: <c>,</c> <c>\t</c> <c>|</c> or <c>;</c>.</param>
/// <param name="Columns">The usual number of fields per record.</param>
/// <param name="Header">The header names when the table has a header row, else null.</param>
/// <param name="HeaderIndex">
/// Index of the header among the non-blank records (0, or more when title lines come first), or -1.
/// </param>
internal sealed record DelimitedFormat(char Delimiter, int Columns, IReadOnlyList<string>? Header, int HeaderIndex);

/// <summary>
/// Decides whether text is a delimited table, and with which delimiter: the candidate that splits the first
/// records (quote-aware) into the same number (≥ 2) of fields wins; prose with commas does not pass (its
/// field counts vary, its cells are many-word phrases, its lines end with full stops).
/// Stateless and thread-safe.
/// </summary>
internal static class DelimitedSniffer
{
    // Candidates in order of preference when several split the sample consistently.
    private const string Candidates = "\t|;,";
    private const int MaxSampleRecords = 50;
    private const int MaxHeaderCellChars = 64;

    /// <summary>
    /// Sniffs <paramref name="sample"/> (the decoded head). When <paramref name="mayBeTruncated"/>, the last
    /// line of the sample is ignored because the head may have cut it.
    /// </summary>
    public static DelimitedFormat? Sniff(string sample, bool mayBeTruncated, NameVocabulary? names = null)
    {
        names ??= NameVocabulary.Empty;
        if (mayBeTruncated)
        {
            var lastBreak = sample.AsSpan().LastIndexOfAny('\n', '\r');
            sample = lastBreak < 0 ? string.Empty : sample[..lastBreak];
        }

        if (sample.Length == 0)
        {
            return null;
        }

        DelimitedFormat? best = null;
        var bestConsistent = false;
        foreach (var delimiter in Candidates)
        {
            if (sample.AsSpan().IndexOf(delimiter) < 0)
            {
                continue;
            }

            var records = ParseSample(sample, delimiter);
            var format = Evaluate(records, delimiter, names, out var fullyConsistent);
            if (format is null)
            {
                continue;
            }

            if (best is null || (fullyConsistent && !bestConsistent))
            {
                best = format;
                bestConsistent = fullyConsistent;
            }
        }

        return best;
    }

    private static List<string[]> ParseSample(string sample, char delimiter)
    {
        var records = new List<string[]>();
        using var parser = new DelimitedRecordParser(delimiter, 1 << 20);
        foreach (var line in sample.AsSpan().EnumerateLines())
        {
            if (!parser.InRecord && line.IsWhiteSpace())
            {
                continue;
            }

            if (parser.Feed(line, endsLine: true))
            {
                records.Add([.. parser.Cells]);
                if (records.Count == MaxSampleRecords)
                {
                    break;
                }
            }
        }

        // A record still open at the end of the sample (quote cut by the head) is not counted.
        return records;
    }

    private static DelimitedFormat? Evaluate(List<string[]> records, char delimiter, NameVocabulary names, out bool fullyConsistent)
    {
        fullyConsistent = false;
        if (records.Count < 2)
        {
            return null;
        }

        // Single-cell records (titles, footers) are tolerated when few; the rest must agree on a field count.
        var counts = new Dictionary<int, int>();
        var singles = 0;
        foreach (var record in records)
        {
            if (record.Length == 1)
            {
                singles++;
                continue;
            }

            counts[record.Length] = counts.GetValueOrDefault(record.Length) + 1;
        }

        var columns = 0;
        var agreeing = 0;
        foreach (var (count, times) in counts)
        {
            if (times > agreeing || (times == agreeing && count > columns))
            {
                columns = count;
                agreeing = times;
            }
        }

        var multi = records.Count - singles;
        var mismatches = multi - agreeing;

        // Two columns is what any two lines with one comma each look like: ask for more evidence.
        if (columns < 2
            || agreeing < (columns == 2 ? 3 : 2)
            || mismatches > multi / 10
            || singles * 5 > records.Count)
        {
            return null;
        }

        if (delimiter is ',' or ';' && LooksLikeProse(records))
        {
            return null;
        }

        fullyConsistent = mismatches == 0 && singles == 0;
        var headerIndex = records.FindIndex(r => r.Length > 1);
        var header = DetectHeader(records[headerIndex], records.Skip(headerIndex + 1).Where(r => r.Length > 1).ToList(), names);
        return new DelimitedFormat(delimiter, columns, header, header is null ? -1 : headerIndex);
    }

    /// <summary>Sentences split at commas: many-word cells, records ending with a full stop.</summary>
    private static bool LooksLikeProse(List<string[]> records)
    {
        long cells = 0, words = 0, sentenceEnds = 0;
        foreach (var record in records)
        {
            foreach (var cell in record)
            {
                cells++;
                words += cell.Length == 0 ? 0 : cell.AsSpan().Count(' ') + 1;
            }

            var last = record[^1];
            if (last.Length > 0 && last[^1] is '.' or '!' or '?')
            {
                sentenceEnds++;
            }
        }

        return words > cells * 4 || sentenceEnds * 2 > records.Count;
    }

    /// <summary>
    /// The first multi-cell record is a header when its cells are distinct, non-empty labels (start with a letter, mostly
    /// not digits, short) — unless they look like the values below them rather than like header words: a row
    /// <c>Mary,Smith,Helena,MT</c> over rows of given names, surnames and state codes is data. Tables whose data is all
    /// words and says nothing either way are taken to have a header, as exports nearly always do.
    /// </summary>
    private static string[]? DetectHeader(string[] first, List<string[]> below, NameVocabulary names)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var cell in first)
        {
            if (!IsLabel(cell) || !seen.Add(cell))
            {
                return null;
            }
        }

        if (below.Count == 0)
        {
            return first;
        }

        var headerWords = 0;
        var dataLike = 0;
        for (var c = 0; c < first.Length; c++)
        {
            if (HeaderWords.IsHeaderWord(first[c]))
            {
                headerWords++;
            }
            else if (LooksLikeColumnValue(first[c], below, c, names))
            {
                dataLike++;
            }
        }

        return dataLike > 0 && dataLike >= headerWords ? null : first;
    }

    /// <summary>The cell has an informative value shape (a name, a state code, an email…) that its column shares below.</summary>
    private static bool LooksLikeColumnValue(string cell, List<string[]> below, int column, NameVocabulary names)
    {
        var shape = Kind(cell, names);
        if (shape == CellKind.Plain)
        {
            return false;
        }

        int same = 0, total = 0;
        foreach (var record in below)
        {
            if (column < record.Length && record[column].Length > 0)
            {
                total++;
                same += Kind(record[column], names) == shape ? 1 : 0;
            }
        }

        return total > 0 && same * 2 >= total;
    }

    private enum CellKind
    {
        Plain,
        Given,
        Surname,
        Other,
    }

    private static CellKind Kind(string cell, NameVocabulary names)
    {
        var shape = ValueShapes.Classify(cell, names, out _);
        if (shape == ValueShape.Word)
        {
            return names.IsGiven(cell) ? CellKind.Given : names.IsSurname(cell) ? CellKind.Surname : CellKind.Plain;
        }

        return shape is ValueShape.Other ? CellKind.Plain : (CellKind)((int)CellKind.Other + (int)shape);
    }

    private static bool IsLabel(string cell)
    {
        if (cell.Length == 0 || cell.Length > MaxHeaderCellChars || !(char.IsLetter(cell[0]) || cell[0] is '_' or '#'))
        {
            return false;
        }

        var digits = 0;
        foreach (var c in cell)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
        }

        return digits * 2 < cell.Length;
    }
}
