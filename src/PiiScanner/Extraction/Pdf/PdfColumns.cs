namespace PiiScanner.Extraction.Pdf;

/// <summary>
/// Splits two-column regions of a page into their columns, so that a form drawn as
/// <c>Applicant Name      Mailing Address</c> over <c>Ana Ruiz      12 Oak St</c> reads each label directly above its
/// value. A region is a run of nearby lines that no word crosses at a gutter: a wide gap (three text sizes or more)
/// before words starting at the same x on two lines or more. It is split only when the columns have lines of their
/// own on each side (a label column beside a value column, or a table, keeps its rows), no second gutter recurs in
/// it (a table) and no line reads "label:   value" across the gap. Everything else stays one line per baseline.
/// </summary>
internal static class PdfColumns
{
    private const int MaxCandidates = 8;

    /// <summary>Blocks of <paramref name="lines"/> (top to bottom): single lines, and column regions read left column first.</summary>
    public static List<PdfBlock> Split(List<PdfLine> lines)
    {
        var regions = FindRegions(lines);
        var result = new List<PdfBlock>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            if (regions.TryGetValue(i, out var region))
            {
                result.Add(Columns(lines, i, region.End, region.X));
                i = region.End;
                continue;
            }

            var line = lines[i];
            result.Add(new PdfBlock([line.Text], line.Baseline, line.Baseline, line.Size));
        }

        return result;
    }

    private static Dictionary<int, (int End, double X)> FindRegions(List<PdfLine> lines)
    {
        var regions = new Dictionary<int, (int End, double X)>();
        if (lines.Count < 3)
        {
            return regions;
        }

        var assigned = new bool[lines.Count];
        foreach (var x in Candidates(lines))
        {
            var start = 0;
            while (start < lines.Count)
            {
                if (assigned[start] || !Compatible(lines[start], x))
                {
                    start++;
                    continue;
                }

                var end = start;
                while (end + 1 < lines.Count && !assigned[end + 1] && Compatible(lines[end + 1], x) && Near(lines[end], lines[end + 1]))
                {
                    end++;
                }

                if (Qualifies(lines, start, end, x))
                {
                    regions[start] = (end, x);
                    Array.Fill(assigned, true, start, end - start + 1);
                }

                start = end + 1;
            }
        }

        return regions;
    }

    /// <summary>Gutter positions (where the right column starts) recurring on two lines or more, most frequent first.</summary>
    private static List<double> Candidates(List<PdfLine> lines)
    {
        var starts = new List<(double X, int Line)>();
        for (var i = 0; i < lines.Count; i++)
        {
            var words = lines[i].Words;
            for (var w = 1; w < words.Count; w++)
            {
                if (words[w].Start - words[w - 1].End >= WideGap(lines[i]))
                {
                    starts.Add((words[w].Start, i));
                }
            }
        }

        starts.Sort((a, b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Line.CompareTo(b.Line));
        var clusters = new List<(double X, int Lines)>();
        for (var i = 0; i < starts.Count;)
        {
            var x = starts[i].X;
            var tolerance = Tolerance(lines[starts[i].Line]);
            var distinct = new HashSet<int>();
            var j = i;
            while (j < starts.Count && starts[j].X - x <= tolerance)
            {
                distinct.Add(starts[j].Line);
                j++;
            }

            if (distinct.Count >= 2)
            {
                clusters.Add((x, distinct.Count));
            }

            i = j;
        }

        return [.. clusters.OrderByDescending(c => c.Lines).ThenBy(c => c.X).Take(MaxCandidates).Select(c => c.X)];
    }

    /// <summary>True when no word of the line crosses the gutter at <paramref name="x"/>.</summary>
    private static bool Compatible(PdfLine line, double x)
    {
        foreach (var word in line.Words)
        {
            if (word.End > x - line.Size && word.Start < x - Tolerance(line))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Near(PdfLine above, PdfLine below)
        => below.Baseline <= above.Baseline && above.Baseline - below.Baseline <= 2 * Math.Max(above.Size, below.Size);

    private static bool Qualifies(List<PdfLine> lines, int start, int end, double x)
    {
        int aligned = 0, leftOnly = 0, rightOnly = 0;
        var otherGaps = new List<(double X, double Tolerance)>();
        for (var i = start; i <= end; i++)
        {
            var line = lines[i];
            var split = SplitAt(line, x);
            if (split == 0)
            {
                rightOnly++;
            }
            else if (split == line.Words.Count)
            {
                leftOnly += aligned > 0 ? 1 : 0;
            }
            else if (line.Words[split].Start - line.Words[split - 1].End >= WideGap(line))
            {
                // "Date of Birth:      03/04/1961": a label column beside its values, not two columns.
                if (line.Words[split - 1].Text.EndsWith(':'))
                {
                    return false;
                }

                aligned++;
            }

            for (var w = 1; w < line.Words.Count; w++)
            {
                if (w != split && line.Words[w].Start - line.Words[w - 1].End >= WideGap(line))
                {
                    var other = line.Words[w].Start;
                    var tolerance = Tolerance(line);
                    if (otherGaps.Exists(g => Math.Abs(g.X - other) <= Math.Max(g.Tolerance, tolerance)))
                    {
                        // A second gutter recurs: a table of three columns or more keeps its rows.
                        return false;
                    }

                    otherGaps.Add((other, tolerance));
                }
            }
        }

        return aligned >= 2 && leftOnly >= 1 && rightOnly >= 1;
    }

    /// <summary>Index of the line's first word in the right column.</summary>
    private static int SplitAt(PdfLine line, double x)
    {
        var tolerance = Tolerance(line);
        var split = 0;
        while (split < line.Words.Count && line.Words[split].Start < x - tolerance)
        {
            split++;
        }

        return split;
    }

    private static PdfBlock Columns(List<PdfLine> lines, int start, int end, double x)
    {
        var left = new List<string>();
        var right = new List<string>();
        var size = 0d;
        for (var i = start; i <= end; i++)
        {
            var line = lines[i];
            size = Math.Max(size, line.Size);
            var split = SplitAt(line, x);
            if (split > 0)
            {
                left.Add(PdfLines.Join([.. line.Words.Take(split)]));
            }

            if (split < line.Words.Count)
            {
                right.Add(PdfLines.Join([.. line.Words.Skip(split)]));
            }
        }

        return new PdfBlock([.. left, .. right], lines[start].Baseline, lines[end].Baseline, size);
    }

    private static double WideGap(PdfLine line) => 3 * line.Size;

    private static double Tolerance(PdfLine line) => Math.Max(1, line.Size / 2);
}
