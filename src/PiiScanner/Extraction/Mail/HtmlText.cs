using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace PiiScanner.Extraction;

/// <summary>Visible text of an HTML mail body: one line per block element, scripts and styles dropped.</summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "head", "title",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "hr", "section", "article", "header", "footer", "dt", "dd", "address",
    };

    /// <summary>Returns the visible text of <paramref name="html"/>, blocks separated by new lines.</summary>
    public static string ToVisibleText(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var builder = new StringBuilder(html.Length / 2);
        Append(document.Body ?? document.DocumentElement, builder);
        return builder.ToString();
    }

    private static void Append(INode node, StringBuilder builder)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    AppendCollapsed(text.Data, builder);
                    break;
                case IElement element when Hidden.Contains(element.LocalName):
                    break;
                case IElement element:
                    var block = Blocks.Contains(element.LocalName);
                    if (block)
                    {
                        NewLine(builder);
                    }
                    else if (element.LocalName is "td" or "th")
                    {
                        builder.Append('\t');
                    }

                    Append(element, builder);
                    if (block)
                    {
                        NewLine(builder);
                    }

                    break;
            }
        }
    }

    private static void AppendCollapsed(string text, StringBuilder builder)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (builder.Length > 0 && builder[^1] is not (' ' or '\n' or '\t'))
                {
                    builder.Append(' ');
                }
            }
            else
            {
                builder.Append(c);
            }
        }
    }

    private static void NewLine(StringBuilder builder)
    {
        if (builder.Length > 0 && builder[^1] != '\n')
        {
            builder.Append('\n');
        }
    }
}
