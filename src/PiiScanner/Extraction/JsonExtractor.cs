using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PiiScanner.Extraction;

/// <summary>
/// Extracts JSON documents and JSON Lines, in any text encoding, streaming (no DOM; a bounded buffer).
/// Records are built by <see cref="JsonRecordBuilder"/>: one segment per object holding scalar values, locator
/// its JSON path (<c>$</c>, <c>$.patients[3]</c>), fields named by key path relative to it
/// (<c>address.zip</c>), <see cref="GroupKind.Record"/>, groups increasing in emission order (a nested record is
/// emitted before the object holding it). JSON Lines (one value per line) use <c>line N</c> for a line's top
/// object and <c>line N $.items[0]</c> for records nested in it; a line that does not parse is emitted as text.
/// Accepts content that starts with <c>{</c> or <c>[</c> and whose head parses; anything else is left to the
/// other extractors. When a document turns invalid (or truncated) past the head, the records read so far are
/// kept, the item is marked partial (<c>json:invalid</c>) and the rest is read as lines (<c>line N</c>).
/// Stateless and thread-safe.
/// </summary>
internal sealed class JsonExtractor : IExtractor
{
    private const int InitialBufferBytes = 64 * 1024;

    // Largest single token (a huge string value) buffered; past it the rest is read as lines.
    private const int MaxTokenBytes = 16 << 20;

    // Longest JSON Lines line parsed as JSON; longer lines are read as text.
    private const int MaxJsonLineChars = 16 << 20;

    private static readonly JsonReaderOptions Options = new()
    {
        AllowMultipleValues = true,
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 256,
    };

    private enum Shape
    {
        None,
        Document,
        Lines,
    }

    /// <inheritdoc />
    public string Name => "json";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => Sniff(head, out _) != Shape.None;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shape = Sniff(context.Head.Span, out var sniff);
        if (shape == Shape.None)
        {
            // Forced by a hint onto content that is not JSON.
            await new TextExtractor().ExtractAsync(context, cancellationToken).ConfigureAwait(false);
            return;
        }

        context.Detail = sniff.Name;
        if (shape == Shape.Lines)
        {
            await ExtractLinesAsync(context, sniff, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ExtractDocumentAsync(context, sniff, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Shape Sniff(ReadOnlySpan<byte> head, out TextSniff sniff)
    {
        sniff = TextSniffer.Sniff(head);
        if (sniff.IsBinary || head.IsEmpty)
        {
            return Shape.None;
        }

        if (sniff.IsUtf8)
        {
            return SniffUtf8(head[Math.Min(sniff.PreambleLength, head.Length)..]);
        }

        // Cheap check before transcoding: the first character must be a bracket.
        var text = TextSniffer.DecodeHead(head, sniff);
        var first = text.AsSpan().TrimStart();
        return first.IsEmpty || first[0] is not ('{' or '[')
            ? Shape.None
            : SniffUtf8(Encoding.UTF8.GetBytes(text));
    }

    private static Shape SniffUtf8(ReadOnlySpan<byte> utf8)
    {
        var start = utf8.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0 || utf8[start] is not ((byte)'{' or (byte)'['))
        {
            return Shape.None;
        }

        utf8 = utf8[start..];
        var reader = new Utf8JsonReader(utf8, isFinalBlock: false, new JsonReaderState(Options));
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    break;
                }
            }

            var firstEnd = (int)reader.BytesConsumed;
            if (firstEnd < utf8.Length && !utf8[..firstEnd].Contains((byte)'\n'))
            {
                // One value on the first line and another starting on a later line: JSON Lines. Later lines are
                // parsed one by one (a bad one is read as text), so they are not validated here.
                var rest = utf8[firstEnd..];
                var next = rest.IndexOfAnyExcept(" \t\r\n"u8);
                if (next > 0 && rest[..next].Contains((byte)'\n') && rest[next] is (byte)'{' or (byte)'[')
                {
                    return Shape.Lines;
                }
            }

            // A document (or several values): the whole head must parse.
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            return Shape.None;
        }

        return Shape.Document;
    }

    private static async ValueTask ExtractDocumentAsync(ExtractionContext context, TextSniff sniff, CancellationToken cancellationToken)
    {
        var lenient = TextSniffer.CreateDecodingEncoding(TextSniffer.Empty, out var fallback);
        var input = sniff.IsUtf8
            ? context.Content
            : Encoding.CreateTranscodingStream(context.Content, sniff.Encoding!, Encoding.UTF8, leaveOpen: true);
        var builder = new JsonRecordBuilder(context.Emit, lenient, context.Limits.MaxSegmentChars);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        try
        {
            var state = new JsonReaderState(Options);
            var length = 0;
            var final = false;
            var bomChecked = false;
            long consumedTotal = 0;
            long newlines = 0;
            while (true)
            {
                if (!final)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var read = await input.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    final = read == 0;
                    length += read;
                }

                if (!bomChecked)
                {
                    // UTF-8 BOM, or the BOM of a wide encoding after transcoding.
                    if (length < 3 && !final)
                    {
                        continue;
                    }

                    bomChecked = true;
                    if (buffer.AsSpan(0, length).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                    {
                        buffer.AsSpan(3, length - 3).CopyTo(buffer);
                        length -= 3;
                    }
                }

                var (consumed, error) = Parse(buffer.AsSpan(0, length), final, ref state, builder);
                newlines += buffer.AsSpan(0, consumed).Count((byte)'\n');
                consumedTotal += consumed;
                string? fallbackReason = null;
                if (error)
                {
                    fallbackReason = "json:invalid at byte " + consumedTotal.ToString(CultureInfo.InvariantCulture);
                }
                else if (consumed == 0 && length == buffer.Length && !final)
                {
                    if (buffer.Length >= MaxTokenBytes)
                    {
                        fallbackReason = "json:token-too-large at byte " + consumedTotal.ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                        continue;
                    }
                }

                if (fallbackReason is not null)
                {
                    builder.FlushOpen();
                    context.MarkPartial(fallbackReason);
                    using var lines = new LineReader(
                        input,
                        lenient,
                        0,
                        context.Limits.MaxSegmentChars,
                        buffer.AsMemory(consumed, length - consumed),
                        newlines + 1);
                    await TextExtractor.EmitLinesAsync(context, lines, cancellationToken, builder.NextGroup).ConfigureAwait(false);
                    break;
                }

                length -= consumed;
                buffer.AsSpan(consumed, length).CopyTo(buffer);
                if (final)
                {
                    break;
                }
            }

            context.AddCount("records", builder.Records);
            TextExtractor.RecordFallback(context, fallback);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!ReferenceEquals(input, context.Content))
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static (int Consumed, bool Error) Parse(
        ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, JsonRecordBuilder builder)
    {
        var reader = new Utf8JsonReader(data, final, state);
        var good = 0;
        try
        {
            while (reader.Read())
            {
                builder.Handle(ref reader);
                good = (int)reader.BytesConsumed;
            }

            state = reader.CurrentState;
            return ((int)reader.BytesConsumed, false);
        }
        catch (JsonException)
        {
            return (good, true);
        }
    }

    private static async ValueTask ExtractLinesAsync(ExtractionContext context, TextSniff sniff, CancellationToken cancellationToken)
    {
        var maxChars = context.Limits.MaxSegmentChars;
        var encoding = TextSniffer.CreateDecodingEncoding(sniff, out var fallback);
        var lenient = TextSniffer.CreateDecodingEncoding(TextSniffer.Empty, out _);
        var pending = new List<Segment>();
        var builder = new JsonRecordBuilder(pending.Add, lenient, maxChars);
        using var reader = new LineReader(context.Content, encoding, sniff.PreambleLength, maxChars);
        var line = new PooledChars();
        var overflow = false;
        long invalid = 0;
        try
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var piece = reader.Current.Span;
                if (!reader.IsContinuation)
                {
                    line.Clear();
                    overflow = false;
                }

                var locator = "line " + reader.LineNumber.ToString(CultureInfo.InvariantCulture);
                if (overflow)
                {
                    EmitText(context, locator, piece, builder.TakeGroup(), maxChars);
                    continue;
                }

                if (line.Length + piece.Length > MaxJsonLineChars)
                {
                    EmitText(context, locator, line.Span, builder.TakeGroup(), maxChars);
                    EmitText(context, locator, piece, builder.TakeGroup(), maxChars);
                    overflow = true;
                    invalid++;
                    continue;
                }

                line.Append(piece);
                if (!reader.EndsLine || line.Span.IsWhiteSpace())
                {
                    continue;
                }

                builder.RootLocator = locator;
                if (ParseLine(line.Span, builder))
                {
                    foreach (var segment in pending)
                    {
                        context.Emit(segment);
                    }
                }
                else
                {
                    invalid++;
                    EmitText(context, locator, line.Span, builder.TakeGroup(), maxChars);
                }

                pending.Clear();
            }
        }
        finally
        {
            line.Dispose();
        }

        context.AddCount("records", builder.Records);
        if (invalid > 0)
        {
            context.AddCount("invalidJsonLines", invalid);
        }

        TextExtractor.RecordFallback(context, fallback);
    }

    private static bool ParseLine(ReadOnlySpan<char> line, JsonRecordBuilder builder)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(line.Length));
        try
        {
            var count = Encoding.UTF8.GetBytes(line, bytes);
            var reader = new Utf8JsonReader(bytes.AsSpan(0, count), isFinalBlock: true, new JsonReaderState(Options));
            try
            {
                while (reader.Read())
                {
                    builder.Handle(ref reader);
                }

                return true;
            }
            catch (JsonException)
            {
                builder.FlushOpen();
                return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static void EmitText(ExtractionContext context, string locator, ReadOnlySpan<char> text, int group, int maxChars)
    {
        for (var i = 0; i < text.Length; i += maxChars)
        {
            var part = text.Slice(i, Math.Min(maxChars, text.Length - i));
            if (!part.IsWhiteSpace())
            {
                context.Emit(new Segment(locator, part.ToString()) { Group = group, GroupKind = GroupKind.Block });
            }
        }
    }

    /// <summary>A growable pooled char buffer.</summary>
    private sealed class PooledChars : IDisposable
    {
        private char[] _chars = ArrayPool<char>.Shared.Rent(1024);

        public int Length { get; private set; }

        public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

        public void Clear() => Length = 0;

        public void Append(ReadOnlySpan<char> text)
        {
            if (Length + text.Length > _chars.Length)
            {
                var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, Length + text.Length));
                Span.CopyTo(bigger);
                ArrayPool<char>.Shared.Return(_chars);
                _chars = bigger;
            }

            text.CopyTo(_chars.AsSpan(Length));
            Length += text.Length;
        }

        public void Dispose()
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = [];
        }
    }
}
