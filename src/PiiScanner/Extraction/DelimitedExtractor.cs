using System.Globalization;

namespace PiiScanner.Extraction;

/// <summary>
/// Extracts delimited tables (CSV, TSV, pipe- and semicolon-separated, RFC-4180 quoting) in any text encoding.
/// Each record becomes one segment: locator <c>row N</c> where N is the 1-based record number in the file with
/// the header row counted as row 1 (the row number a spreadsheet shows; blank lines count, a quoted line break
/// does not start a new row), empty <see cref="Segment.Text"/>, <see cref="Segment.Fields"/> named by the header
/// (or <c>column K</c>, 1-based, without a header or beyond it; empty cells are left out),
/// <see cref="Segment.Group"/> = N and <see cref="GroupKind.Record"/>. A record with a single cell in a wider
/// table (a title or footer line) is emitted as text with <see cref="GroupKind.Block"/> instead.
/// Accepts only content whose head is consistently delimited (see <see cref="DelimitedSniffer"/>).
/// Stateless and thread-safe.
/// </summary>
internal sealed class DelimitedExtractor : IExtractor
{
    // A head at least this long may have been cut by the pipeline, so its last line is not trusted.
    private const int CompleteHeadBelow = 4096;

    /// <inheritdoc />
    public string Name => "delimited";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => Sniff(head, out _) is not null;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var format = Sniff(context.Head.Span, out var sniff);
        if (format is null)
        {
            // Forced by a hint onto content that is not a table: read it as lines.
            await new TextExtractor().ExtractAsync(context, cancellationToken).ConfigureAwait(false);
            return;
        }

        context.Detail = sniff.Name;
        var maxRecordChars = context.Limits.MaxSegmentChars;
        var encoding = TextSniffer.CreateDecodingEncoding(sniff, out var fallback);
        using var reader = new LineReader(context.Content, encoding, sniff.PreambleLength, maxRecordChars);
        using var parser = new DelimitedRecordParser(format.Delimiter, maxRecordChars);
        var names = new ColumnNames(format.Header);
        long row = 0;
        long overflowed = 0;
        var headerIndex = format.HeaderIndex;
        var nonBlank = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (parser.Feed(reader.Current.Span, reader.EndsLine))
            {
                row++;
                if (parser.Overflowed)
                {
                    overflowed++;
                }

                if (nonBlank <= headerIndex && !IsBlank(parser.Cells) && nonBlank++ == headerIndex)
                {
                    // The header the sniffer already read.
                    continue;
                }

                EmitRecord(context, parser.Cells, row, format.Columns, names);
            }
        }

        if (parser.Finish())
        {
            row++;
            EmitRecord(context, parser.Cells, row, format.Columns, names);

            context.MarkPartial("delimited:unterminated-quote");
        }

        if (overflowed > 0)
        {
            context.MarkPartial("delimited:record-too-long");
            context.AddCount("truncatedRows", overflowed);
        }

        context.AddCount("rows", row);
        TextExtractor.RecordFallback(context, fallback);
    }

    private static DelimitedFormat? Sniff(ReadOnlySpan<byte> head, out TextSniff sniff)
    {
        sniff = TextSniffer.Sniff(head);
        if (sniff.IsBinary || head.IsEmpty)
        {
            return null;
        }

        var sample = TextSniffer.DecodeHead(head, sniff);
        return DelimitedSniffer.Sniff(sample, mayBeTruncated: head.Length >= CompleteHeadBelow);
    }

    private static bool IsBlank(IReadOnlyList<string> cells)
    {
        foreach (var cell in cells)
        {
            if (cell.Length > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void EmitRecord(ExtractionContext context, IReadOnlyList<string> cells, long row, int columns, ColumnNames names)
    {
        var locator = "row " + row.ToString(CultureInfo.InvariantCulture);
        var group = (int)Math.Min(row, int.MaxValue);
        if (cells.Count == 1 && columns > 1)
        {
            if (cells[0].Length > 0)
            {
                context.Emit(new Segment(locator, cells[0]) { Group = group, GroupKind = GroupKind.Block });
            }

            return;
        }

        List<Field>? fields = null;
        for (var k = 0; k < cells.Count; k++)
        {
            if (cells[k].Length > 0)
            {
                (fields ??= new List<Field>(cells.Count)).Add(new Field(names[k], cells[k]));
            }
        }

        if (fields is not null)
        {
            context.Emit(new Segment(locator, string.Empty) { Fields = fields, Group = group, GroupKind = GroupKind.Record });
        }
    }

    /// <summary>Header names, then <c>column K</c> names made once per column.</summary>
    private sealed class ColumnNames(IReadOnlyList<string>? header)
    {
        private readonly List<string> _generated = [];

        public string this[int index]
        {
            get
            {
                if (header is not null && index < header.Count)
                {
                    return header[index];
                }

                while (_generated.Count <= index)
                {
                    _generated.Add("column " + (_generated.Count + 1).ToString(CultureInfo.InvariantCulture));
                }

                return _generated[index];
            }
        }
    }
}
