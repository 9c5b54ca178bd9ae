namespace PiiScanner.Extraction;

/// <summary>Content sniffing for RFC 822 messages and mbox files.</summary>
internal static class MailSniffer
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

    /// <summary>True when the head starts with an mbox <c>From </c> separator line followed by a header field.</summary>
    public static bool LooksLikeMbox(ReadOnlySpan<byte> head)
    {
        head = SkipBom(head);
        if (!head.StartsWith("From "u8))
        {
            return false;
        }

        var end = head.IndexOf((byte)'\n');
        if (end < 0)
        {
            return false;
        }

        var next = head[(end + 1)..];
        var colon = next.IndexOf((byte)':');
        return colon > 0 && IsFieldName(next[..colon]);
    }

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
