namespace PiiScanner.Extraction;

/// <summary>Content sniffing for RFC 822 messages and mbox files.</summary>
internal static partial class MailSniffer
{
    private static readonly HashSet<string> KnownHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "from", "to", "cc", "bcc", "subject", "date", "received", "message-id", "mime-version", "return-path",
        "delivered-to", "reply-to", "sender", "content-type", "content-transfer-encoding", "in-reply-to",
        "references", "x-mailer", "dkim-signature", "authentication-results", "arc-seal", "thread-topic",
        "x-originating-ip", "user-agent", "importance", "x-priority", "envelope-to",
    };

    private static readonly HashSet<string> StrongHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "from", "received", "message-id", "mime-version", "return-path", "delivered-to", "dkim-signature",
        "x-mailer", "envelope-to",
    };

    /// <summary>
    /// True when the head is a block of header fields (every line <c>Name: value</c> or a folded continuation)
    /// with at least two well-known mail headers, one of them specific to mail (From, Received, Message-ID…).
    /// </summary>
    public static bool LooksLikeMessage(ReadOnlySpan<byte> head)
    {
        head = SkipBom(head);
        var known = 0;
        var strong = false;
        var lines = 0;
        while (head.Length > 0)
        {
            var end = head.IndexOf((byte)'\n');
            if (end < 0)
            {
                // An incomplete last line says nothing either way.
                break;
            }

            var line = head[..end].TrimEnd((byte)'\r');
            head = head[(end + 1)..];
            if (line.Length == 0)
            {
                break;
            }

            lines++;
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (lines == 1)
                {
                    return false;
                }

                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsFieldName(line[..colon]))
            {
                // A malformed line ends the evidence; what came before it decides.
                if (lines == 1)
                {
                    return false;
                }

                break;
            }

            var name = System.Text.Encoding.ASCII.GetString(line[..colon]);
            if (KnownHeaders.Contains(name) || name.StartsWith("X-", StringComparison.OrdinalIgnoreCase))
            {
                known++;
                strong |= StrongHeaders.Contains(name);
            }
        }

        return known >= 2 && strong;
    }

    /// <summary>
    /// True when the head is an mbox mailbox: it starts with a <c>From </c> separator line (or its escaped form
    /// <c>&gt;From </c>), then header fields, with any further <c>&gt;From </c> lines between them (some exporters
    /// write the envelope twice); or it is a message (<see cref="LooksLikeMessage"/>) whose first separator was cut
    /// off, told by a later separator line (<c>From sender Tue May  4 09:30:00 2021</c>) followed by a header field,
    /// or by the file being named <c>.mbox</c> / <c>.mbx</c>.
    /// </summary>
    public static bool LooksLikeMbox(ReadOnlySpan<byte> head, string path)
    {
        head = SkipBom(head);
        if (head.StartsWith("From "u8) || head.StartsWith(">From "u8))
        {
            TryNextLine(ref head, out _);
            while (TryNextLine(ref head, out var line) && line.Length > 0)
            {
                if (!line.StartsWith(">From "u8))
                {
                    var colon = line.IndexOf((byte)':');
                    return colon > 0 && IsFieldName(line[..colon]);
                }
            }

            return false;
        }

        if (!LooksLikeMessage(head))
        {
            return false;
        }

        var extension = Path.GetExtension(path);
        if (extension.Equals(".mbox", StringComparison.OrdinalIgnoreCase) || extension.Equals(".mbx", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var text = System.Text.Encoding.Latin1.GetString(head);
        return SeparatorLine().IsMatch(text);
    }

    /// <summary>Takes the next complete line of <paramref name="head"/>, without its line break.</summary>
    private static bool TryNextLine(ref ReadOnlySpan<byte> head, out ReadOnlySpan<byte> line)
    {
        var end = head.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = default;
            return false;
        }

        line = head[..end].TrimEnd((byte)'\r');
        head = head[(end + 1)..];
        return true;
    }

    // An mbox separator after a blank line: "From <sender> <ctime date>", then a header field on the next line.
    [System.Text.RegularExpressions.GeneratedRegex(
        @"\n\r?\nFrom \S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +[0-9]{1,2} [0-9]{1,2}:[0-9]{2}[^\n]*\n[!-9;-~]+:",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant,
        1000)]
    private static partial System.Text.RegularExpressions.Regex SeparatorLine();

    /// <summary>The head without a UTF-8 byte-order mark.</summary>
    public static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> head)
        => head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;

    private static bool IsFieldName(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b is <= 32 or >= 127)
            {
                return false;
            }
        }

        return true;
    }
}
