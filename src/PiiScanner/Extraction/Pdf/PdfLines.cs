using System.Text;
using UglyToad.PdfPig.Content;

namespace PiiScanner.Extraction.Pdf;

/// <summary>
/// Lines of a PDF page in reading order, as blocks: a single line, or a two-column region whose left column's lines
/// come before its right column's.
/// </summary>
/// <param name="Lines">The texts of the lines, in reading order.</param>
/// <param name="Top">Baseline of the block's first line on the page (larger is higher up).</param>
/// <param name="Bottom">Baseline of the block's last line on the page.</param>
/// <param name="Size">The largest text size in the block.</param>
internal sealed record PdfBlock(IReadOnlyList<string> Lines, double Top, double Bottom, double Size);

/// <summary>A word projected onto its line: position along the line and text size.</summary>
internal readonly record struct PdfWord(string Text, double Start, double End, double Height);

/// <summary>One text line of a PDF page, rebuilt from words: its baseline, text size and words left to right.</summary>
internal sealed record PdfLine(IReadOnlyList<PdfWord> Words, double Baseline, double Size)
{
    /// <summary>The words joined with one space, two where the gap between them is wide.</summary>
    public string Text => PdfLines.Join(Words);
}

/// <summary>Groups PDF words into lines by baseline, orders them top to bottom, left to right, and splits columns.</summary>
internal static class PdfLines
{
    /// <summary>Builds the blocks of a page from its words.</summary>
    public static List<PdfBlock> Build(IReadOnlyList<Word> words)
    {
        // Rotated text keeps its own lines: group per orientation, horizontal first.
        var result = new List<PdfBlock>();
        foreach (var orientation in words.GroupBy(w => w.TextOrientation).OrderBy(g => g.Key == TextOrientation.Horizontal ? 0 : 1))
        {
            result.AddRange(PdfColumns.Split(BuildOriented([.. orientation], orientation.Key)));
        }

        return result;
    }

    /// <summary>Joins words left to right; a wide gap stays visible ("Date of Birth:  03/04/1961").</summary>
    public static string Join(IReadOnlyList<PdfWord> words)
    {
        var builder = new StringBuilder();
        PdfWord? previous = null;
        foreach (var word in words)
        {
            if (previous is { } p)
            {
                var charWidth = Math.Max(0.5, (p.End - p.Start) / Math.Max(1, p.Text.Length));
                builder.Append(word.Start - p.End > charWidth * 3 ? "  " : " ");
            }

            builder.Append(word.Text);
            previous = word;
        }

        return builder.ToString();
    }

    /// <summary>The lines of one orientation's words, top to bottom, each with its words left to right.</summary>
    internal static List<PdfLine> BuildOriented(List<Word> words, TextOrientation orientation)
    {
        // Project each word to (line position, position along the line) in its reading direction.
        var items = words.Select(w => Project(w, orientation)).OrderByDescending(p => p.Baseline).ToList();
        var lines = new List<List<Projected>>();
        foreach (var item in items)
        {
            var current = lines.Count > 0 ? lines[^1] : null;
            var tolerance = Math.Max(1, item.Word.Height * 0.4);
            if (current is not null && Math.Abs(current[0].Baseline - item.Baseline) <= tolerance)
            {
                current.Add(item);
            }
            else
            {
                lines.Add([item]);
            }
        }

        var result = new List<PdfLine>(lines.Count);
        foreach (var line in lines)
        {
            line.Sort((a, b) => a.Word.Start.CompareTo(b.Word.Start));
            result.Add(new PdfLine([.. line.Select(p => p.Word)], line[0].Baseline, line.Max(p => p.Word.Height)));
        }

        return result;
    }

    private static Projected Project(Word word, TextOrientation orientation)
    {
        var box = word.BoundingBox;
        var size = word.Letters.Count > 0 ? word.Letters.Max(l => l.PointSize) : 0;
        return orientation switch
        {
            TextOrientation.Rotate180 => new Projected(-box.Top, new PdfWord(word.Text, -box.Right, -box.Left, Height(box.Height, size))),
            TextOrientation.Rotate90 => new Projected(-box.Left, new PdfWord(word.Text, box.Bottom, box.Top, Height(box.Width, size))),
            TextOrientation.Rotate270 => new Projected(box.Right, new PdfWord(word.Text, -box.Top, -box.Bottom, Height(box.Width, size))),
            _ => new Projected(word.Letters.Count > 0 ? word.Letters[0].StartBaseLine.Y : box.Bottom, new PdfWord(word.Text, box.Left, box.Right, Height(box.Height, size))),
        };
    }

    /// <summary>The text size: the point size when the font reports one, else the glyph box extent.</summary>
    private static double Height(double extent, double pointSize)
        => pointSize > 0.5 ? pointSize : Math.Max(1, Math.Abs(extent));

    private readonly record struct Projected(double Baseline, PdfWord Word);
}
