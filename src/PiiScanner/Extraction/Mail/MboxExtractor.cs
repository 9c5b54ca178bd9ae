using MimeKit;

namespace PiiScanner.Extraction;

/// <summary>
/// mbox mailboxes (<c>mbox</c>): messages separated by <c>From </c> lines, parsed one at a time with MimeKit
/// (bounded memory: one message at a time). Each message is scanned as a child item <c>box.mbox!NNNN.eml</c>
/// (1-based, four digits) with the <c>eml</c> extractor. A mailbox whose first <c>From </c> line is missing or
/// escaped (<c>&gt;From </c>) is read as if it had one (see <see cref="MailSniffer.LooksLikeMbox"/>). A damaged tail
/// ends the mailbox as <c>partial</c>.
/// Stateless and thread-safe.
/// </summary>
internal sealed class MboxExtractor : IExtractor
{
    /// <inheritdoc/>
    public string Name => "mbox";

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => MailSniffer.LooksLikeMbox(head, path);

    // Put before a mailbox that does not start with a separator line: MimeKit's mbox parser needs one.
    private static readonly byte[] SyntheticSeparator = "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n"u8.ToArray();

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var budget = ExtractionBudget.For(context);
        var content = context.Content;
        if (context.Head.Length >= 3 && MailSniffer.SkipBom(context.Head.Span).Length == context.Head.Length - 3)
        {
            // MimeKit looks for "From " at the very start; step over the byte-order mark.
            var bom = new byte[3];
            await content.ReadExactlyAsync(bom, cancellationToken).ConfigureAwait(false);
        }

        if (!MailSniffer.SkipBom(context.Head.Span).StartsWith("From "u8))
        {
            content = new Sources.PrefixedStream(SyntheticSeparator, content);
        }

        var parser = new MimeParser(EmlExtractor.CreateParserOptions(), content, MimeFormat.Mbox, persistent: false);
        var count = 0;
        while (!parser.IsEndOfStream)
        {
            MimeMessage message;
            try
            {
                message = await parser.ParseMessageAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException)
            {
                if (count == 0)
                {
                    context.Skip("corrupt");
                }
                else
                {
                    context.MarkPartial("corrupt");
                }

                return;
            }

            using (message)
            {
                if (!ContainerMembers.BeforeEntry(context, budget, ref count))
                {
                    return;
                }

                var child = ContainerMembers.Child(context, $"{count:D4}.eml", length: null) with { ExtractorHint = "eml" };
                if (!ContainerMembers.DepthAllows(context))
                {
                    await ContainerMembers.SkipTooDeepAsync(context, child, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                using var buffer = new MemoryStream();
                await message.WriteToAsync(buffer, cancellationToken).ConfigureAwait(false);
                buffer.Position = 0;
                child = child with { Length = buffer.Length };
                await using var member = new MemberStream(buffer, budget, new MemberMeter(compressedRead: null), ownsInner: false);
                if (await ContainerMembers.ScanAsync(context, budget, child, member, cancellationToken).ConfigureAwait(false) == MemberOutcome.Stop)
                {
                    return;
                }
            }
        }
    }
}
