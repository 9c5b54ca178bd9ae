using MimeKit;
using PiiScanner.Extraction.Ocr;
using PiiScanner.Extraction.Office;

namespace PiiScanner.Extraction;

/// <summary>
/// Outlook messages (<c>.msg</c>: an OLE2 compound file of MAPI property streams), converted to MIME by Debian's
/// <c>libemail-outlook-message-perl</c> (the library behind <c>msgconvert</c>) and then read exactly as an
/// <c>.eml</c> is (<see cref="EmlExtractor"/>): address and subject headers as the <c>headers</c> record, the body as
/// <c>body line N</c>, every attachment and attached message a child item <c>note.msg!file name</c>. The message
/// goes to <c>perl</c> on standard input and the MIME text comes back on standard output: nothing is written to
/// disk. Without the library the item is <c>skipped</c> with a reason naming the package; a file the library
/// cannot parse, or whose broken compound structure gives up no property, is <c>skipped</c>
/// (<c>corrupt: not a readable Outlook message</c>), one it reads only in part <c>partial</c>
/// (<c>corrupt: damaged compound file</c>). Sniffed by the OLE2 magic and MAPI stream names
/// (<c>__substg1.0_…</c>), or the <c>.msg</c> extension when the directory lies beyond the head. Stateless and
/// thread-safe.
/// </summary>
internal sealed class MsgExtractor : IExtractor
{
    /// <summary>The reason recorded when perl or the Outlook message library is missing.</summary>
    internal const string MissingReason = "msg: install Debian package libemail-outlook-message-perl (msgconvert)";

    // msgconvert's conversion, reading the message from standard input instead of a file. Email::MIME dates a
    // message it creates "now" when the library found no date of its own (the sources its _SetHeaderFields and
    // _copy_header_data read, in Debian's 0.921: the compound file's timestamps, the submission id, the sent and
    // creation time properties, the transport headers), so that Date is removed: the conversion time is not the
    // message's.
    private const string Convert = "binmode STDIN; binmode STDOUT; local $/; my $d = <STDIN>; "
        + "my $m = Email::Outlook::Message->new(\\$d); my $e = $m->to_email_mime; "
        + "$e->header_set('Date') unless $m->{OLEDATE} || $m->{DATE2ND} || $m->{DATE1ST} || $m->_submission_id_date() "
        + "|| (defined $m->{HEAD} && $m->{HEAD} =~ /^Date:/mi); "
        + "print $e->as_string;";

    private const string Corrupt = "corrupt: not a readable Outlook message";

    private static readonly byte[] Ole2Magic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly string[] MapiEntries = ["__substg1.0_", "__properties_version1.0", "__recip_version1.0_", "__attach_version1.0_", "__nameid_version1.0"];
    private static readonly string[] OfficeEntries = ["WordDocument", "Workbook", "Book", "PowerPoint Document", "EncryptedPackage", "EncryptionInfo"];

    private readonly string? _perl;

    /// <summary>Creates the extractor, finding <c>perl</c> on <c>PATH</c>.</summary>
    public MsgExtractor()
        : this(PstExtractor.FindOnPath("perl"))
    {
    }

    /// <summary>Creates the extractor with an explicit <c>perl</c> path (null: not installed).</summary>
    internal MsgExtractor(string? perl) => _perl = perl;

    /// <inheritdoc/>
    public string Name => "msg";

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path)
    {
        if (!head.StartsWith(Ole2Magic))
        {
            return false;
        }

        var names = XlsExtractor.Ole2DirectoryNames(head);
        if (names.Any(n => MapiEntries.Any(m => n.StartsWith(m, StringComparison.Ordinal))))
        {
            return true;
        }

        if (names.Overlaps(OfficeEntries))
        {
            return false;
        }

        // The directory lies beyond the head (or in a later sector): a MAPI name in the head, or the extension.
        return head.IndexOf("_\0_\0s\0u\0b\0s\0t\0g\01\0.\00\0_\0"u8) >= 0
            || Path.GetExtension(path).Equals(".msg", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        if (_perl is null)
        {
            context.Skip(MissingReason);
            return;
        }

        var stream = await context.GetSeekableContentAsync(cancellationToken).ConfigureAwait(false);
        if (stream.Length > context.Limits.MaxInMemoryBytes)
        {
            throw new ExtractionLimitException(LimitNames.Memory);
        }

        var message = new byte[stream.Length];
        stream.Position = 0;
        await stream.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);

        var result = await ToolRun.RunAsync(_perl, ["-w", "-MEmail::Outlook::Message", "-e", Convert], message, context.Limits.MaxInMemoryBytes, cancellationToken).ConfigureAwait(false);
        if (result.OutputCut)
        {
            throw new ExtractionLimitException(LimitNames.Memory);
        }

        if (result.ExitCode != 0 || result.StdOut.Length == 0)
        {
            // The library croaks with the file's own text in the message; only which kind of failure it was is kept.
            context.Skip(result.StdErr.Contains("Can't locate Email/Outlook/Message.pm", StringComparison.Ordinal)
                ? MissingReason
                : Corrupt);
            return;
        }

        MimeMessage mime;
        try
        {
            mime = await MimeMessage.LoadAsync(EmlExtractor.CreateParserOptions(), new MemoryStream(result.StdOut, writable: false), cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            context.Skip(Corrupt);
            return;
        }

        using (mime)
        {
            // The OLE reader warns (and reads on) where the compound file's sectors are broken or missing.
            if (result.StdErr.Contains("OLE/Storage_Lite.pm", StringComparison.Ordinal))
            {
                if (mime.Subject is null && mime.From.Count == 0 && mime.Attachments.Count() == 0 && string.IsNullOrWhiteSpace(mime.TextBody ?? mime.HtmlBody))
                {
                    context.Skip(Corrupt);
                    return;
                }

                context.MarkPartial("corrupt: damaged compound file");
            }

            context.Detail = "msg";
            await EmlExtractor.ReadMessageAsync(context, mime, cancellationToken).ConfigureAwait(false);
        }
    }
}
