using System.Text;

namespace PiiScanner.Extraction.Markup;

/// <summary>Tells HTML and XML apart from the first bytes (any BOM, UTF-16 with or without one).</summary>
internal static class MarkupSniffer
{
    private const int Window = 8192;

    private static readonly string[] HtmlMarkers = ["<!doctype html", "<html", "<head", "<body", "<table", "<meta ", "<title", "<div", "<p>", "<script", "<style", "<span", "<form", "<br>", "<img ", "<h1"];

    /// <summary>The first characters of the head decoded as text (lower-cased), or null when it is not markup.</summary>
    public static string? MarkupStart(ReadOnlySpan<byte> head)
    {
        var window = head[..Math.Min(head.Length, Window)];
        string text;
        if (window.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || (window.Length > 1 && window[0] == (byte)'<' && window[1] == 0))
        {
            text = Encoding.Unicode.GetString(window[(window[0] == 0xFF ? 2 : 0)..]);
        }
        else if (window.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || (window.Length > 1 && window[0] == 0 && window[1] == (byte)'<'))
        {
            text = Encoding.BigEndianUnicode.GetString(window[(window[0] == 0xFE ? 2 : 0)..]);
        }
        else
        {
            text = Encoding.Latin1.GetString(window[(window.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0)..]);
        }

        var start = text.AsSpan().TrimStart();
        return start.Length > 1 && start[0] == '<' && (char.IsLetter(start[1]) || start[1] is '!' or '?')
            ? start.ToString().ToLowerInvariant()
            : null;
    }

    /// <summary>True when the head is an HTML document (or fragment that starts with markup).</summary>
    public static bool IsHtml(ReadOnlySpan<byte> head)
    {
        var start = MarkupStart(head);
        if (start is null)
        {
            return false;
        }

        if (start.Contains("<!doctype html", StringComparison.Ordinal) || start.Contains("<html", StringComparison.Ordinal))
        {
            return true;
        }

        // An XML document may have a <table> element of its own; only the unambiguous markers count after <?xml.
        return !start.StartsWith("<?xml", StringComparison.Ordinal)
            && Array.Exists(HtmlMarkers, m => start.Contains(m, StringComparison.Ordinal));
    }

    /// <summary>True when the head is XML that is not HTML.</summary>
    public static bool IsXml(ReadOnlySpan<byte> head) => MarkupStart(head) is not null && !IsHtml(head);
}
