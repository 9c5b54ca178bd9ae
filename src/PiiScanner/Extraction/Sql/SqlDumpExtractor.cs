using System.Globalization;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Sql;

/// <summary>
/// Extracts SQL dumps (mysqldump, MariaDB, pg_dump, CREATE TABLE / INSERT INTO / COPY scripts) in any text
/// encoding, streaming. Every INSERT tuple and every COPY row becomes one segment: locator <c>&lt;table&gt; row N</c>
/// (N counts that table's tuples, 1-based, in dump order), empty <see cref="Segment.Text"/>,
/// <see cref="Segment.Fields"/> named by the columns of the statement or of the table's CREATE TABLE (or
/// <c>column K</c>; NULL, binary and empty values are left out), its own <see cref="Segment.Group"/> and
/// <see cref="GroupKind.Record"/>. Other statements and comments are skipped. Malformed tuples are dropped and the
/// item marked partial (<c>sql:malformed-tuple</c>, <c>sql:tuple-too-long</c>, <c>sql:value-too-long</c>,
/// <c>sql:truncated</c>). Accepts only content the <see cref="SqlDumpSniffer"/> recognises. Stateless and thread-safe.
/// </summary>
internal sealed class SqlDumpExtractor : IExtractor
{
    private const int CharBufferSize = 64 * 1024;

    /// <inheritdoc />
    public string Name => "sql";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => Sniff(head, out _) != SqlDialect.None;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dialect = Sniff(context.Head.Span, out var sniff);
        if (dialect == SqlDialect.None)
        {
            await new TextExtractor().ExtractAsync(context, cancellationToken).ConfigureAwait(false);
            return;
        }

        context.Detail = sniff.Name;
        var encoding = TextSniffer.CreateDecodingEncoding(sniff, out var fallback);
        var clock = ItemClock.Start(context);
        var group = 0;
        var generated = new List<string>();
        var parser = new SqlDumpParser(
            context.Limits.MaxSegmentChars,
            row => Emit(context, row, ++group, generated),
            context.MarkPartial)
        {
            Postgres = dialect == SqlDialect.Postgres,
        };

        using var reader = new StreamReader(context.Content, encoding, detectEncodingFromByteOrderMarks: false, CharBufferSize, leaveOpen: true);
        var skip = sniff.PreambleLength > 0;
        var buffer = new char[CharBufferSize * 2];
        var length = 0;
        while (true)
        {
            var read = await reader.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken).ConfigureAwait(false);
            if (skip)
            {
                // The decoder does not skip the BOM it was not asked to detect.
                skip = false;
                if (length + read > 0 && buffer[0] == '\uFEFF')
                {
                    buffer.AsSpan(1, length + read - 1).CopyTo(buffer);
                    read--;
                }
            }

            length += read;
            var final = read == 0;
            var consumed = parser.Parse(buffer.AsSpan(0, length), final);
            buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
            length -= consumed;
            if (final)
            {
                break;
            }

            if (length == buffer.Length)
            {
                // Cannot happen (the parser never holds back more than a few characters); guard anyway.
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            if (clock.IsOver(context, cancellationToken))
            {
                break;
            }
        }

        parser.Finish();
        context.AddCount("rows", parser.Rows);
        TextExtractor.RecordFallback(context, fallback);
    }

    private static SqlDialect Sniff(ReadOnlySpan<byte> head, out TextSniff sniff)
    {
        sniff = TextSniffer.Sniff(head);
        if (sniff.IsBinary || head.IsEmpty)
        {
            return SqlDialect.None;
        }

        return SqlDumpSniffer.Sniff(TextSniffer.DecodeHead(head, sniff));
    }

    private static void Emit(ExtractionContext context, SqlRow row, int group, List<string> generated)
    {
        List<Field>? fields = null;
        for (var k = 0; k < row.Values.Count; k++)
        {
            if (row.Values[k] is not { Length: > 0 } value || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var name = row.Columns is { } columns && k < columns.Count ? columns[k] : Generated(generated, k);
            (fields ??= new List<Field>(row.Values.Count)).Add(new Field(name, value));
        }

        if (fields is null)
        {
            return;
        }

        var locator = Locator.Row(row.Number, row.Table + " ");
        context.Emit(new Segment(locator, string.Empty) { Fields = fields, Group = group, GroupKind = GroupKind.Record });
    }

    private static string Generated(List<string> generated, int index)
    {
        while (generated.Count <= index)
        {
            generated.Add("column " + (generated.Count + 1).ToString(CultureInfo.InvariantCulture));
        }

        return generated[index];
    }
}
