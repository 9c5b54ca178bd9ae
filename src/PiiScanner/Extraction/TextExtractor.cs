using PiiScanner.Extraction.Structure;
namespace PiiScanner.Extraction;

/// <summary>
/// Extracts any text content as lines: each non-blank line becomes a segment with locator <c>line N</c>
/// (1-based physical line), <see cref="GroupKind.Block"/> and a group number that increases at each run of
/// blank lines (paragraphs). A line shaped <c>Label: value</c> with a short label gets
/// <see cref="Segment.Label"/> set; its text stays the whole line. Lines longer than
/// <see cref="ExtractionLimits.MaxSegmentChars"/> become several segments with the same locator
/// (counted as <c>splitLines</c>). Accepts everything that is not binary; stateless and thread-safe.
/// </summary>
internal sealed class TextExtractor : IExtractor
{
    /// <inheritdoc />
    public string Name => "text";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => !TextSniffer.Sniff(head).IsBinary;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sniff = TextSniffer.SniffForText(context.Head.Span);

        context.Detail = sniff.Name;
        var encoding = TextSniffer.CreateDecodingEncoding(sniff, out var fallback);
        using var reader = new LineReader(context.Content, encoding, sniff.PreambleLength, context.Limits.MaxSegmentChars);
        await EmitLinesAsync(context, reader, cancellationToken).ConfigureAwait(false);
        RecordFallback(context, fallback);
    }

    /// <summary>Emits every line of <paramref name="reader"/> as described on <see cref="TextExtractor"/>.</summary>
    internal static async ValueTask EmitLinesAsync(
        ExtractionContext context, LineReader reader, CancellationToken cancellationToken, int firstGroup = 1)
    {
        var group = firstGroup;
        var groupUsed = false;
        long lines = 0;
        long splitLines = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var line = reader.Current.Span;
            if (!reader.IsContinuation)
            {
                lines++;
                if (reader.EndsLine && line.IsWhiteSpace())
                {
                    if (groupUsed)
                    {
                        group++;
                        groupUsed = false;
                    }

                    continue;
                }

                if (!reader.EndsLine)
                {
                    splitLines++;
                }
            }

            if (line.IsWhiteSpace())
            {
                continue;
            }

            context.EmitLine(line, Locator.Line(reader.LineNumber), group, reader.IsContinuation ? null : LabelValue.FindLabel(line));
            groupUsed = true;
        }

        context.AddCount("lines", lines);
        if (splitLines > 0)
        {
            context.AddCount("splitLines", splitLines);
        }
    }

    /// <summary>Records how many invalid UTF-8 bytes were read as Windows-1252.</summary>
    internal static void RecordFallback(ExtractionContext context, Utf8LegacyFallback? fallback)
    {
        if (fallback is { FallbackBytes: > 0 })
        {
            context.AddCount("windows1252Bytes", fallback.FallbackBytes);
        }
    }
}
