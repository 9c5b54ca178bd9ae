using AngleSharp.Html.Parser;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Markup;

/// <summary>
/// HTML pages (AngleSharp, lenient like a browser): the visible text only — no script, style or template — split
/// into lines at block elements (<c>line N</c>, blocks at paragraphs and headings, "Label: value" lines labelled),
/// filled-in form inputs (<c>input N</c>), and tables as rows with their header cells (<c>table T row R</c>;
/// a table of label/value pairs is one record; see <see cref="HtmlSegmentWriter"/>). Stateless and thread-safe.
/// </summary>
internal sealed class HtmlExtractor : IExtractor
{
    // What the segment writer never reads is not kept: script bodies and comments (never visible text) and the
    // source position of every element.
    private static readonly HtmlParserOptions Options = new()
    {
        SkipScriptText = true,
        SkipComments = true,
        DisableElementPositionTracking = true,
    };

    /// <inheritdoc />
    public string Name => "html";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => MarkupSniffer.IsHtml(head);

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var parser = new HtmlParser(Options);
        using var document = await parser.ParseDocumentAsync(context.Content, cancellationToken).ConfigureAwait(false);
        context.Detail = "html, " + document.CharacterSet.ToLowerInvariant();
        var writer = new HtmlSegmentWriter(context, ItemClock.Start(context), string.Empty, cancellationToken);
        if (document.Title is { Length: > 0 } title)
        {
            writer.Append(title);
            writer.EndLine(paragraph: true);
        }

        if (document.Body is { } body)
        {
            writer.Walk(body);
        }
    }
}
