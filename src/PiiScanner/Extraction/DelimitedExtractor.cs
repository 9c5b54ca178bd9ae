using System.Globalization;
using PiiScanner.Extraction.Tables;

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
/// Without a header row the first <see cref="ColumnInference.SampleRows"/> records are buffered and the columns
/// are named from their values (<see cref="ColumnInference"/>); those segments have
/// <see cref="Segment.InferredHeader"/> set. Stateless and thread-safe.
/// </summary>
internal sealed class DelimitedExtractor(NameVocabulary names) : IExtractor
{
    // A head at least this long may have been cut by the pipeline, so its last line is not trusted.
    private const int CompleteHeadBelow = 4096;

    // Most characters buffered for column inference; inference runs early on what it has when this is reached.
    private const long MaxSampleChars = 4L << 20;

    /// <summary>Creates the extractor with the name vocabulary shipped next to the application.</summary>
    public DelimitedExtractor()
        : this(NameVocabulary.LoadDefault())
    {
    }

    /// <inheritdoc />
    public string Name => "delimited";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => Sniff(head, names, out _) is not null;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var format = Sniff(context.Head.Span, names, out var sniff);
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
        var columnNames = new ColumnNames(format.Header);
        var table = new TableWriter(context, format, columnNames, names);
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

                table.Add(parser.Cells, row);
            }
        }

        if (parser.Finish())
        {
            row++;
            table.Add(parser.Cells, row);

            context.MarkPartial("delimited:unterminated-quote");
        }

        table.Flush();
        if (overflowed > 0)
        {
            context.MarkPartial("delimited:record-too-long");
            context.AddCount("truncatedRows", overflowed);
        }

        context.AddCount("rows", row);
        TextExtractor.RecordFallback(context, fallback);
    }

    private static DelimitedFormat? Sniff(ReadOnlySpan<byte> head, NameVocabulary names, out TextSniff sniff)
    {
        sniff = TextSniffer.Sniff(head);
        if (sniff.IsBinary || head.IsEmpty)
        {
            return null;
        }

        var sample = TextSniffer.DecodeHead(head, sniff);
        return DelimitedSniffer.Sniff(sample, mayBeTruncated: head.Length >= CompleteHeadBelow, names);
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

    private static void EmitRecord(
        ExtractionContext context, IReadOnlyList<string> cells, long row, int columns, ColumnNames names, bool inferred)
    {
        var locator = Locator.Row(row);
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
            context.Emit(new Segment(locator, string.Empty)
            {
                Fields = fields,
                Group = group,
                GroupKind = GroupKind.Record,
                InferredHeader = inferred,
            });
        }
    }

    /// <summary>
    /// Emits records; without a header, holds back the first ones until their values have named the columns.
    /// </summary>
    private sealed class TableWriter(ExtractionContext context, DelimitedFormat format, ColumnNames columnNames, NameVocabulary names)
    {
        private List<(string[] Cells, long Row)>? _sample = format.Header is null ? [] : null;
        private long _sampleChars;
        private bool _inferred;

        public void Add(IReadOnlyList<string> cells, long row)
        {
            if (_sample is null)
            {
                EmitRecord(context, cells, row, format.Columns, columnNames, _inferred);
                return;
            }

            _sample.Add(([.. cells], row));
            foreach (var cell in cells)
            {
                _sampleChars += cell.Length;
            }

            if (_sample.Count >= ColumnInference.SampleRows || _sampleChars >= MaxSampleChars)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_sample is null)
            {
                return;
            }

            var sample = _sample;
            _sample = null;
            var inferred = ColumnInference.Infer(sample.ConvertAll(s => (IReadOnlyList<string>)s.Cells), format.Columns, names);
            if (Array.Exists(inferred, n => n is not null))
            {
                columnNames.SetInferred(inferred);
                _inferred = true;
                context.AddCount("inferredColumns", inferred.Count(n => n is not null));
            }

            foreach (var (cells, row) in sample)
            {
                EmitRecord(context, cells, row, format.Columns, columnNames, _inferred);
            }
        }
    }

    /// <summary>Header names (read or inferred), then <c>column K</c> names made once per column.</summary>
    private sealed class ColumnNames(IReadOnlyList<string>? header)
    {
        private readonly List<string> _generated = [];
        private string?[]? _inferred;

        public void SetInferred(string?[] inferred) => _inferred = inferred;

        public string this[int index]
        {
            get
            {
                if (header is not null && index < header.Count)
                {
                    return header[index];
                }

                if (_inferred is not null && index < _inferred.Length && _inferred[index] is { } name)
                {
                    return name;
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
