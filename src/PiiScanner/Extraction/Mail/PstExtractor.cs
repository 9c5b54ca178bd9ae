using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using PiiScanner.Extraction.Ocr;
using PiiScanner.Sources;

namespace PiiScanner.Extraction;

/// <summary>
/// Outlook stores (<c>pst</c>, <c>ost</c>, sniffed by the <c>!BDN</c> magic) through libpff's <c>pffexport</c>
/// (Debian package <c>pff-tools</c>), which gives the same items on every run of the same store (readpst, libpst
/// 0.6.76, dropped a message now and then while exiting 0). When <c>pffexport</c> is not on <c>PATH</c> the item is
/// <c>skipped</c> with a reason naming the package. Otherwise the store is copied into a private temporary directory
/// (mode 0700, from <see cref="Directory.CreateTempSubdirectory"/>; <c>pffexport</c> only reads files) and exported
/// with <c>-m all</c>: the allocated items, and the recovered and orphan items found in the store's free space.
/// Every item — message, meeting, appointment, contact, task, note, distribution list — becomes one child
/// <c>box.pst!Folder/Message00004.eml</c>, a MIME message rebuilt from what <c>pffexport</c> wrote (the internet
/// headers, or the Outlook sender, subject and recipients; the plain-text body, else the HTML one; the item's own
/// details, such as <c>Contact.txt</c>, and every attachment as parts, so they are scanned as the message's
/// children, attached messages included). Recovered and orphan items are named <c>(recovered)/…</c> and
/// <c>(orphan)/…</c> and carry <see cref="ItemOrigin.Deleted"/>. The directory is deleted afterwards, also on
/// failure or cancellation. <c>pffexport</c> runs without a shell, its output discarded (it names messages), and is
/// killed when the item's time is up. Stateless and thread-safe.
/// </summary>
internal sealed partial class PstExtractor : IExtractor
{
    /// <summary>The reason recorded when <c>pffexport</c> is missing.</summary>
    internal const string MissingReason = "pst: install Debian package pff-tools (pffexport)";

    /// <summary>The name of the private copy handed to <c>pffexport</c>.</summary>
    internal const string InputName = "input.pst";

    private const int MaxEmbeddedDepth = 8;

    // Folders that every store has above the user's own; dropped from member names.
    private static readonly string[] RootFolders = ["Root - Mailbox/IPM_SUBTREE/", "Top of Personal Folders/", "Top of Information Store/", "Top of Outlook data file/"];

    // Files pffexport writes for every item that hold no content of their own (or that are read separately).
    private static readonly HashSet<string> ItemFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        "OutlookHeaders.txt", "InternetHeaders.txt", "Recipients.txt", "ConversationIndex.txt",
        "Message.txt", "Message.html", "Message.rtf", "ItemValues.txt",
    };

    private readonly string? _pffexport;

    /// <summary>Creates the extractor, finding <c>pffexport</c> on <c>PATH</c>.</summary>
    public PstExtractor()
        : this(FindOnPath("pffexport"))
    {
    }

    /// <summary>Creates the extractor with an explicit <c>pffexport</c> path (null: not installed).</summary>
    internal PstExtractor(string? pffexport) => _pffexport = pffexport;

    /// <inheritdoc/>
    public string Name => "pst";

    /// <inheritdoc/>
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => head.StartsWith("!BDN"u8);

    /// <inheritdoc/>
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        if (_pffexport is null)
        {
            context.Skip(MissingReason);
            return;
        }

        var budget = ExtractionBudget.For(context);
        var temp = Directory.CreateTempSubdirectory("piiscan-pst-");
        try
        {
            var input = Path.Combine(temp.FullName, InputName);
            var file = new FileStream(input, PrivateFile(FileMode.CreateNew, FileAccess.Write));
            await using (file.ConfigureAwait(false))
            {
                await context.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            var target = Path.Combine(temp.FullName, "out");
            int? exit = await RunPffexportAsync(_pffexport, input, target, budget.Remaining, cancellationToken).ConfigureAwait(false);
            File.Delete(input);

            var items = FindItems(temp.FullName);
            if (exit is null)
            {
                context.MarkPartial(LimitNames.Time);
            }
            else if (exit != 0)
            {
                if (items.Count == 0)
                {
                    context.Skip("pst: pffexport could not read the file (not an Outlook store, or damaged beyond reading)");
                    return;
                }

                context.MarkPartial("pst: pffexport reported errors; the items it could read are scanned");
            }

            var names = new MemberNames();
            var count = 0;
            foreach (var item in items)
            {
                if (!ContainerMembers.BeforeEntry(context, budget, ref count))
                {
                    return;
                }

                context.AddCount("items");
                if (item.Kind is "Message" or "Meeting")
                {
                    context.AddCount("messages");
                }
                else if (item.Kind == "Contact")
                {
                    context.AddCount("contacts");
                }

                if (item.Recovered)
                {
                    context.AddCount("recoveredItems");
                }

                var child = ContainerMembers.Child(context, names.Unique(item.Name), null) with { ExtractorHint = "eml" };
                if (item.Recovered)
                {
                    child = child with { Origin = (child.Origin ?? new ItemOrigin()) with { Deleted = true } };
                }

                if (!ContainerMembers.DepthAllows(context))
                {
                    await ContainerMembers.SkipTooDeepAsync(context, child, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var eml = Path.Combine(temp.FullName, "item.eml");
                int attachments;
                using (var message = BuildMessage(item.Directory, 0, out attachments))
                {
                    var output = new FileStream(eml, PrivateFile(FileMode.Create, FileAccess.Write));
                    await using (output.ConfigureAwait(false))
                    {
                        await message.WriteToAsync(output, cancellationToken).ConfigureAwait(false);
                    }
                }

                context.AddCount("attachments", attachments);
                child = child with { Length = new FileInfo(eml).Length };
                var stream = File.OpenRead(eml);
                await using (stream.ConfigureAwait(false))
                {
                    await using var member = new MemberStream(stream, budget, new MemberMeter(compressedRead: null), ownsInner: false);
                    if (await ContainerMembers.ScanAsync(context, budget, child, member, cancellationToken).ConfigureAwait(false) == MemberOutcome.Stop)
                    {
                        return;
                    }
                }

                File.Delete(eml);
            }
        }
        finally
        {
            try
            {
                temp.Delete(recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done; the directory is owner-only.
            }
        }
    }

    /// <summary>The full path of an executable on <c>PATH</c>, or null.</summary>
    internal static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>One exported item: its folder, logical member name, kind (<c>Message</c>, <c>Contact</c>…) and whether it was recovered.</summary>
    internal sealed record ExportedItem(string Directory, string Name, string Kind, bool Recovered);

    /// <summary>
    /// The item folders pffexport wrote under <paramref name="root"/> (<c>out.export</c>, <c>out.recovered</c>,
    /// <c>out.orphans</c>), in name order: a folder named like <c>Message00004</c> that is not inside an item's
    /// <c>Attachments</c>. Names: <c>Inbox/Message00004.eml</c>, <c>(recovered)/Message00001.eml</c>.
    /// </summary>
    internal static List<ExportedItem> FindItems(string root)
    {
        var items = new List<ExportedItem>();
        foreach (var (suffix, prefix, recovered) in new[] { ("out.export", string.Empty, false), ("out.recovered", "(recovered)/", true), ("out.orphans", "(orphan)/", true) })
        {
            var top = Path.Combine(root, suffix);
            if (!System.IO.Directory.Exists(top))
            {
                continue;
            }

            Walk(top, top, prefix, recovered, items);
        }

        items.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return items;
    }

    private static void Walk(string top, string directory, string prefix, bool recovered, List<ExportedItem> items)
    {
        foreach (var sub in System.IO.Directory.EnumerateDirectories(directory))
        {
            var leaf = Path.GetFileName(sub);
            var match = ItemFolder().Match(leaf);
            if (match.Success && System.IO.Directory.EnumerateFiles(sub).Any())
            {
                items.Add(new ExportedItem(sub, prefix + LogicalName(top, sub) + ".eml", match.Groups["kind"].Value, recovered));
                continue;
            }

            Walk(top, sub, prefix, recovered, items);
        }
    }

    /// <summary><c>…/out.export/Root - Mailbox/IPM_SUBTREE/Inbox/Message00004</c> → <c>Inbox/Message00004</c>.</summary>
    internal static string LogicalName(string top, string directory)
    {
        var relative = Path.GetRelativePath(top, directory).Replace('\\', '/');
        foreach (var rootFolder in RootFolders)
        {
            if (relative.StartsWith(rootFolder, StringComparison.Ordinal))
            {
                relative = relative[rootFolder.Length..];
                break;
            }
        }

        return ContainerMembers.CleanName(relative, Path.GetFileName(directory));
    }

    /// <summary>Rebuilds one exported item as a MIME message; counts its attachments (attached messages included).</summary>
    internal static MimeMessage BuildMessage(string directory, int depth, out int attachments)
    {
        attachments = 0;
        var message = new MimeMessage();
        var internet = Path.Combine(directory, "InternetHeaders.txt");
        var outlook = ReadLabelled(Path.Combine(directory, "OutlookHeaders.txt"));
        var copied = false;
        if (File.Exists(internet))
        {
            try
            {
                using var headers = File.OpenRead(internet);
                foreach (var header in HeaderList.Load(EmlExtractor.CreateParserOptions(), headers))
                {
                    if (!header.Field.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                        && !header.Field.Equals("MIME-Version", StringComparison.OrdinalIgnoreCase))
                    {
                        message.Headers.Add(header);
                        copied = true;
                    }
                }
            }
            catch (FormatException)
            {
                copied = false;
            }
        }

        if (!copied)
        {
            AddOutlookHeaders(message, outlook, ReadRecipients(Path.Combine(directory, "Recipients.txt")));
        }

        var mixed = new Multipart("mixed");
        var text = Path.Combine(directory, "Message.txt");
        var html = Path.Combine(directory, "Message.html");
        var rtf = Path.Combine(directory, "Message.rtf");
        if (File.Exists(text))
        {
            mixed.Add(Body("plain", text));
        }
        else if (File.Exists(html))
        {
            mixed.Add(Body("html", html));
        }
        else if (File.Exists(rtf))
        {
            mixed.Add(Attachment(rtf, "Message.rtf"));
        }

        // The item's own details (Contact.txt, Appointment.txt, Task.txt…): label/value lines with the person's data.
        foreach (var details in System.IO.Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (!ItemFiles.Contains(Path.GetFileName(details)))
            {
                mixed.Add(Attachment(details, Path.GetFileName(details)));
            }
        }

        var attached = Path.Combine(directory, "Attachments");
        if (System.IO.Directory.Exists(attached))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(attached).Order(StringComparer.Ordinal))
            {
                mixed.Add(Attachment(file, AttachmentName(Path.GetFileName(file))));
                attachments++;
            }

            foreach (var sub in System.IO.Directory.EnumerateDirectories(attached).Order(StringComparer.Ordinal))
            {
                attachments++;
                if (depth + 1 >= MaxEmbeddedDepth)
                {
                    continue;
                }

                var inner = BuildMessage(sub, depth + 1, out var nested);
                attachments += nested;
                mixed.Add(new MessagePart { Message = inner, ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = AttachmentName(Path.GetFileName(sub)) + ".eml" } });
            }
        }

        message.Body = mixed;
        return message;
    }

    /// <summary><c>1_Clinometer Usage.pdf</c> → <c>Clinometer Usage.pdf</c> (pffexport numbers attachments).</summary>
    internal static string AttachmentName(string file)
    {
        var match = NumberedAttachment().Match(file);
        return match.Success && match.Groups["name"].Length > 0 ? match.Groups["name"].Value : file;
    }

    private static TextPart Body(string subtype, string path)
    {
        var part = new TextPart(subtype);
        part.SetText(Encoding.UTF8, File.ReadAllText(path, Encoding.UTF8));
        return part;
    }

    private static MimePart Attachment(string path, string name)
    {
        var part = new MimePart("application", "octet-stream")
        {
            Content = new MimeContent(new MemoryStream(File.ReadAllBytes(path), writable: false)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = name,
        };
        return part;
    }

    private static void AddOutlookHeaders(MimeMessage message, Dictionary<string, string> outlook, List<(string Name, string Address, string Type)> recipients)
    {
        if (outlook.TryGetValue("Subject", out var subject))
        {
            message.Subject = subject;
        }

        if (outlook.TryGetValue("Sender name", out var sender) || outlook.ContainsKey("Sender email address"))
        {
            message.From.Add(Mailbox(sender, outlook.GetValueOrDefault("Sender email address")));
        }

        foreach (var (name, address, type) in recipients)
        {
            var list = type.Equals("CC", StringComparison.OrdinalIgnoreCase) ? message.Cc
                : type.Equals("BCC", StringComparison.OrdinalIgnoreCase) ? message.Bcc
                : message.To;
            list.Add(Mailbox(name, address));
        }

        if (outlook.TryGetValue("Client submit time", out var sent) && ParseTime(sent) is { } date)
        {
            message.Date = date;
        }
    }

    private static MailboxAddress Mailbox(string? name, string? address)
    {
        // Exchange senders have X.500 addresses (/o=…/cn=…), no addr-spec: keep the name.
        var valid = address is { Length: > 0 } && address.Contains('@', StringComparison.Ordinal) && !address.Contains(' ', StringComparison.Ordinal);
        try
        {
            return new MailboxAddress(name ?? string.Empty, valid ? address! : "unknown@invalid");
        }
        catch (ParseException)
        {
            return new MailboxAddress(name ?? string.Empty, "unknown@invalid");
        }
    }

    private static DateTimeOffset? ParseTime(string value)
    {
        // "Aug 12, 2021 20:23:46.000000000 UTC"
        var cut = value.IndexOf('.', StringComparison.Ordinal);
        var plain = (cut > 0 ? value[..cut] : value.Replace(" UTC", string.Empty, StringComparison.Ordinal)).Trim();
        return DateTimeOffset.TryParseExact(plain, "MMM dd, yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
    }

    /// <summary>Reads pffexport's "Label:\t\tvalue" files (the last value of a label wins).</summary>
    private static Dictionary<string, string> ReadLabelled(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && colon + 1 < line.Length && line[colon + 1] == '\t')
            {
                values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return values;
    }

    private static List<(string Name, string Address, string Type)> ReadRecipients(string path)
    {
        var recipients = new List<(string, string, string)>();
        if (!File.Exists(path))
        {
            return recipients;
        }

        string? name = null;
        string? address = null;
        string? type = null;
        void Flush()
        {
            if (name is not null || address is not null)
            {
                recipients.Add((name ?? string.Empty, address ?? string.Empty, type ?? "To"));
            }

            (name, address, type) = (null, null, null);
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.Trim().Length == 0)
            {
                Flush();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            switch (line[..colon].Trim())
            {
                case "Display name":
                    name = value;
                    break;
                case "Email address":
                    address = value;
                    break;
                case "Recipient type":
                    type = value;
                    break;
            }
        }

        Flush();
        return recipients;
    }

    private static FileStreamOptions PrivateFile(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static async Task<int?> RunPffexportAsync(string pffexport, string input, string target, TimeSpan remaining, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
        try
        {
            // -m all: allocated, recovered and orphan items; -f all: every body format (the plain one is taken
            // first); -q: quiet. Output and errors are discarded: they name messages.
            var result = await ToolRun.RunAsync(pffexport, ["-q", "-m", "all", "-f", "all", "-t", target, input], ReadOnlyMemory<byte>.Empty, 64L << 20, timeout.Token).ConfigureAwait(false);
            return result.ExitCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?<kind>[A-Za-z]+)[0-9]{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex ItemFolder();

    [GeneratedRegex(@"^[0-9]+_(?<name>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedAttachment();
}
