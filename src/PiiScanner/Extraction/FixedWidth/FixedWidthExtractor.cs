using System.Globalization;
using System.Text;

namespace PiiScanner.Extraction.FixedWidth;

/// <summary>
/// Extracts fixed-width records (mainframe extracts: fields padded to fixed columns, no delimiter). The layout
/// comes from a COBOL copybook beside the file, else a layout file beside it (see <see cref="LayoutLocator"/>),
/// else it is inferred from the first <see cref="SampleRecords"/> records (<see cref="LayoutInference"/>;
/// <see cref="Segment.InferredHeader"/> is then true). Each non-blank line becomes one segment: locator
/// <c>line N</c>, <see cref="Segment.Group"/> = N, <see cref="GroupKind.Record"/>, empty text, and
/// <see cref="Segment.Fields"/> with the trimmed values (empty ones left out) named in the header words
/// detection knows (<c>CLT-SSN</c> → <c>ssn</c>, see <see cref="FieldNames"/>); each field's locator is
/// <c>line N col S-E</c> followed by the layout's own name when it was renamed. A line under half the record width
/// (a header or trailer record such as <c>HDR MBRX0417 20240417</c>) is emitted as text instead. Packed (<c>COMP-3</c>) values are
/// decoded when their bytes survived as characters, binary ones are skipped. A layout beside the file that cannot
/// be read marks the item partial with the reason, and the records are inferred instead; when nothing can be
/// inferred the lines are emitted as text. Accepts content that <see cref="FixedWidthSniffer"/> accepts.
/// Stateless and thread-safe.
/// </summary>
internal sealed class FixedWidthExtractor : IExtractor
{
    /// <summary>Records read before the layout is inferred.</summary>
    public const int SampleRecords = 200;

    // A head at least this long may have been cut by the pipeline, so its last line is not trusted.
    private const int CompleteHeadBelow = 4096;

    /// <inheritdoc />
    public string Name => "fixed-width";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path)
    {
        var sniff = TextSniffer.Sniff(head);
        return !sniff.IsBinary && !head.IsEmpty
            && FixedWidthSniffer.Looks(TextSniffer.DecodeHead(head, sniff), mayBeTruncated: head.Length >= CompleteHeadBelow);
    }

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sniff = TextSniffer.SniffForText(context.Head.Span);

        context.Detail = sniff.Name;
        var head = TextSniffer.DecodeHead(context.Head.Span, sniff);
        var (layout, problem) = LayoutLocator.Find(context.Item, l => Fits(head, context.Head.Length >= CompleteHeadBelow, l));
        if (problem is not null)
        {
            context.MarkPartial(problem);
        }

        var encoding = TextSniffer.CreateDecodingEncoding(sniff, out var fallback);
        using var reader = new LineReader(context.Content, encoding, sniff.PreambleLength, context.Limits.MaxSegmentChars);
        var state = new State(context);
        if (layout is not null)
        {
            state.Layout = layout;
            context.AddCount("layout:" + layout.Source);
        }

        var sample = new List<(string Line, long Number)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var line = reader.Current.Span;
            if (reader.IsContinuation || line.IsWhiteSpace())
            {
                continue;
            }

            if (state.Layout is null && !state.AsText)
            {
                sample.Add((line.TrimEnd('\r').ToString(), reader.LineNumber));
                if (sample.Count >= SampleRecords)
                {
                    Decide(state, sample);
                }

                continue;
            }

            state.Emit(line, reader.LineNumber);
        }

        if (sample.Count > 0 && state.Layout is null && !state.AsText)
        {
            Decide(state, sample);
        }

        context.AddCount("records", state.Records);
        if (state.Mismatched > 0)
        {
            context.AddCount("recordLengthMismatch", state.Mismatched);
        }

        if (state.Short > 0)
        {
            context.AddCount("shortLines", state.Short);
        }

        TextExtractor.RecordFallback(context, fallback);
    }

    // A line under half the record width is a header, trailer or control record, read as text.
    private static bool IsShort(ReadOnlySpan<char> line, int recordLength) => line.TrimEnd(" \r").Length * 2 < recordLength;

    /// <summary>
    /// True when the head's records are as wide as <paramref name="layout"/>: the longest line is the record
    /// length, or shorter only by trailing blanks that may fill the last field.
    /// </summary>
    internal static bool Fits(string head, bool mayBeTruncated, FixedLayout layout)
    {
        var lines = head.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (mayBeTruncated && lines.Count > 1)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var longest = lines.Count == 0 ? 0 : lines.Max(l => l.Length);
        var last = layout.Fields.Count == 0 ? 0 : layout.Fields.Max(f => f.Start + f.Length) - layout.Fields.MaxBy(f => f.Start)!.Start;
        return longest <= layout.RecordLength && longest >= layout.RecordLength - Math.Max(1, last);
    }

    private static void Decide(State state, List<(string Line, long Number)> sample)
    {
        // Header and trailer records (HDR MBRX0417 20240417, TRL 000000412) are not laid out like the data.
        var width = sample.Max(s => s.Line.Length);
        state.Layout = LayoutInference.Infer(sample.Select(s => s.Line).Where(l => !IsShort(l, width)).ToList());
        state.AsText = state.Layout is null;
        state.Context.AddCount(state.Layout is null ? "layout:none" : "layout:inferred");
        foreach (var (line, number) in sample)
        {
            state.Emit(line, number);
        }

        sample.Clear();
    }

    /// <summary>Decodes a packed-decimal field, or returns null when its bytes are not packed digits.</summary>
    internal static string? DecodePacked(ReadOnlySpan<char> chars, int scale)
    {
        var digits = new StringBuilder(chars.Length * 2);
        for (var i = 0; i < chars.Length; i++)
        {
            int b = chars[i];
            if (b > 0xFF)
            {
                var bytes = TextSniffer.Windows1252.GetBytes(chars.Slice(i, 1).ToArray());
                if (bytes.Length != 1)
                {
                    return null;
                }

                b = bytes[0];
            }

            int high = b >> 4, low = b & 0xF;
            if (high > 9)
            {
                return null;
            }

            digits.Append((char)('0' + high));
            if (i < chars.Length - 1)
            {
                if (low > 9)
                {
                    return null;
                }

                digits.Append((char)('0' + low));
            }
            else if (low < 0xA)
            {
                return null;
            }
            else if (low is 0xB or 0xD)
            {
                digits.Insert(0, '-');
            }
        }

        if (scale > 0 && scale < digits.Length)
        {
            digits.Insert(digits.Length - scale, '.');
        }

        return digits.ToString();
    }

    private sealed class State(ExtractionContext context)
    {
        public ExtractionContext Context { get; } = context;

        public FixedLayout? Layout { get; set; }

        public bool AsText { get; set; }

        public long Records { get; private set; }

        public long Mismatched { get; private set; }

        public long Short { get; private set; }

        public void Emit(ReadOnlySpan<char> line, long number)
        {
            var locator = Locator.Line(number);
            var group = (int)Math.Min(number, int.MaxValue);
            if (Layout is null)
            {
                Context.Emit(new Segment(locator, line.ToString()) { Group = 1, GroupKind = GroupKind.Block });
                return;
            }

            if (IsShort(line, Layout.RecordLength))
            {
                Short++;
                Context.Emit(new Segment(locator, line.ToString()) { Group = group, GroupKind = GroupKind.Block });
                return;
            }

            Records++;
            if (line.Length != Layout.RecordLength && line.TrimEnd(' ').Length > Layout.RecordLength)
            {
                Mismatched++;
            }

            List<Field>? fields = null;
            foreach (var field in Layout.Fields)
            {
                if (field.Start >= line.Length || field.Encoding == FieldEncoding.Binary)
                {
                    continue;
                }

                var raw = line.Slice(field.Start, Math.Min(field.Length, line.Length - field.Start));
                var value = field.Encoding == FieldEncoding.Packed ? DecodePacked(raw, field.Scale) : raw.Trim().ToString();
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                var name = Layout.IsInferred ? field.Name : FieldNames.Canonical(field.Name);
                var fieldLocator = locator.ToString() + " " + field.Columns + (name == field.Name ? string.Empty : " " + field.Name);
                (fields ??= new List<Field>(Layout.Fields.Count)).Add(new Field(name, value, fieldLocator));
            }

            if (fields is not null)
            {
                Context.Emit(new Segment(locator, string.Empty)
                {
                    Fields = fields,
                    Group = group,
                    GroupKind = GroupKind.Record,
                    InferredHeader = Layout.IsInferred,
                });
            }
        }
    }
}
