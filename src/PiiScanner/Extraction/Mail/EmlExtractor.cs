using AngleSharp.Html.Parser;
using MimeKit;
using PiiScanner.Extraction.Markup;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction;

/// <summary>
/// RFC 822 / MIME messages (<c>eml</c>), parsed with MimeKit. Emits the address and subject headers as one
/// record segment (locator <c>headers</c>), the text body as lines (locator <c>body line N</c>, groups split at blank
/// lines) — or, when there is no plain alternative, the HTML body read as the HTML extractor reads a page
/// (<see cref="HtmlSegmentWriter"/>: lines at block elements and <c>&lt;br&gt;</c>, tables as rows with their
/// headers, <c>body table T row R</c>, a label/value table one record) — and scans every
/// attachment and attached message as a child item <c>message.eml!file name</c> (names made unique within the
/// message: <c>a.csv</c>, <c>a (2).csv</c>; unnamed parts <c>part-N</c>, attached messages <c>message-N.eml</c>).
/// Stateless and thread-safe.
/// </summary>
internal sealed class EmlExtractor : IExtractor
{
    private static readonly HashSet<string> RecordHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date",
    };

    /// <inheritdoc/>
    public string Name => "eml";

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => MailSniffer.LooksLikeMessage(head);

    /// <summary>Parser options shared by the mail extractors: bounded MIME nesting.</summary>
    internal static ParserOptions CreateParserOptions()
    {
        var options = ParserOptions.Default.Clone();
        options.MaxMimeDepth = 64;
        return options;
    }

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var parser = new MimeParser(CreateParserOptions(), context.Content, MimeFormat.Entity, persistent: false);
        MimeMessage message;
        try
        {
            message = await parser.ParseMessageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            context.Skip("corrupt");
            return;
        }

        using (message)
        {
            await ReadMessageAsync(context, message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a parsed message into <paramref name="context"/>'s item (another format converted to MIME).</summary>
    internal static ValueTask ReadMessageAsync(ExtractionContext context, MimeMessage message, CancellationToken cancellationToken)
        => new MessageWalker(context).WalkAsync(message, cancellationToken);

    private sealed class MessageWalker
    {
        private readonly ExtractionContext _context;
        private readonly ExtractionBudget _budget;
        private readonly MemberNames _names = new();
        private readonly ItemClock _clock;
        private int _line;
        private int _group;
        private int _parts;
        private int _entries;
        private bool _stopped;

        public MessageWalker(ExtractionContext context)
        {
            _context = context;
            _budget = ExtractionBudget.For(context);
            _clock = ItemClock.Start(context);
        }

        public async ValueTask WalkAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            var fields = new List<Field>();
            foreach (var header in message.Headers)
            {
                if (RecordHeaders.Contains(header.Field) && !string.IsNullOrWhiteSpace(header.Value))
                {
                    fields.Add(new Field(header.Field, header.Value.Trim()));
                }
            }

            if (fields.Count > 0)
            {
                _context.Emit(new Segment("headers", string.Empty) { Fields = fields, GroupKind = GroupKind.Record, Group = 0 });
            }

            _group = 1;
            await WalkAsync(message.Body, cancellationToken).ConfigureAwait(false);
        }

        private async ValueTask WalkAsync(MimeEntity? entity, CancellationToken cancellationToken)
        {
            if (entity is null || _stopped)
            {
                return;
            }

            switch (entity)
            {
                case Multipart multipart when multipart.ContentType.IsMimeType("multipart", "alternative")
                                              && multipart.OfType<TextPart>().FirstOrDefault(p => p.IsPlain && !p.IsAttachment) is { } plain:
                    // The alternatives say the same thing; the plain one is read.
                    EmitBody(plain.Text);
                    break;
                case Multipart multipart:
                    foreach (var child in multipart)
                    {
                        await WalkAsync(child, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case TextPart text when !text.IsAttachment && text.IsHtml:
                    EmitHtml(text.Text, cancellationToken);
                    break;
                case TextPart text when !text.IsAttachment && text.IsPlain:
                    EmitBody(text.Text);
                    break;
                case MessagePart attached:
                    _parts++;
                    var messageName = attached.ContentDisposition?.FileName is { Length: > 0 } fileName ? fileName : $"message-{_parts}.eml";
                    if (!messageName.EndsWith(".eml", StringComparison.OrdinalIgnoreCase))
                    {
                        messageName += ".eml";
                    }

                    var buffer = new MemoryStream();
                    if (attached.Message is not null)
                    {
                        await attached.Message.WriteToAsync(buffer, cancellationToken).ConfigureAwait(false);
                    }

                    buffer.Position = 0;
                    await ScanChildAsync(messageName, buffer, "eml", cancellationToken).ConfigureAwait(false);
                    break;
                case MimePart part:
                    _parts++;
                    var name = part.FileName is { Length: > 0 } partName ? partName
                        : part.ContentType.Name is { Length: > 0 } typeName ? typeName
                        : $"part-{_parts}" + (MimeTypes.TryGetExtension(part.ContentType.MimeType, out var extension) ? extension : string.Empty);
                    var content = part.Content?.Open() ?? Stream.Null;
                    await using (content.ConfigureAwait(false))
                    {
                        await ScanChildAsync(name, content, hint: null, cancellationToken).ConfigureAwait(false);
                    }

                    break;
            }
        }

        private async ValueTask ScanChildAsync(string rawName, Stream content, string? hint, CancellationToken cancellationToken)
        {
            if (!ContainerMembers.BeforeEntry(_context, _budget, ref _entries))
            {
                _stopped = true;
                return;
            }

            _context.AddCount("attachments");
            var name = _names.Unique(ContainerMembers.CleanName(ContainerMembers.LeafName(rawName.Replace('\\', '/')), $"part-{_parts}"));
            var child = ContainerMembers.Child(_context, name, content.CanSeek ? content.Length : null) with { ExtractorHint = hint };
            if (!ContainerMembers.DepthAllows(_context))
            {
                await ContainerMembers.SkipTooDeepAsync(_context, child, cancellationToken).ConfigureAwait(false);
                return;
            }

            await using var member = new MemberStream(content, _budget, new MemberMeter(compressedRead: null), ownsInner: false);
            if (await ContainerMembers.ScanAsync(_context, _budget, child, member, cancellationToken).ConfigureAwait(false) == MemberOutcome.Stop)
            {
                _stopped = true;
            }
        }

        /// <summary>An HTML body as the HTML extractor reads a page: lines at block elements, tables as rows.</summary>
        private void EmitHtml(string? html, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(html))
            {
                return;
            }

            using var document = new HtmlParser().ParseDocument(html);
            if (document.Body is not { } body)
            {
                return;
            }

            var writer = new HtmlSegmentWriter(_context, _clock, "body ", cancellationToken) { Lines = _line, Group = _group };
            writer.Walk(body);
            _line = writer.Lines;
            _group = writer.Group + 1;
        }

        private void EmitBody(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            var max = Math.Max(_context.Limits.MaxSegmentChars, 16);
            var blank = false;
            foreach (var raw in text.Split('\n'))
            {
                _line++;
                var line = raw.TrimEnd('\r');
                if (string.IsNullOrWhiteSpace(line))
                {
                    if (!blank)
                    {
                        _group++;
                    }

                    blank = true;
                    continue;
                }

                blank = false;
                var locator = Locator.Line(_line, "body ");
                for (var at = 0; at < line.Length; at += max)
                {
                    var piece = line.Substring(at, Math.Min(max, line.Length - at));
                    _context.Emit(new Segment(locator, piece) { Group = _group, GroupKind = GroupKind.Block });
                }
            }

            _group++;
        }
    }
}
