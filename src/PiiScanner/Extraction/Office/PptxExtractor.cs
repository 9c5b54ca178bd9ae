using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using PiiScanner.Extraction.Structure;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace PiiScanner.Extraction.Office;

/// <summary>
/// PowerPoint presentations (.pptx, .pptm, .ppsx): the text of each slide in slide order (<c>slide N</c>, one
/// segment per paragraph, one block per shape), slide tables as rows with headers (<c>slide N table T row R</c>),
/// and speaker notes (<c>slide N notes</c>). Stateless and thread-safe.
/// </summary>
internal sealed class PptxExtractor : IExtractor
{
    /// <inheritdoc />
    public string Name => "pptx";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => OoxmlSniffer.Sniff(head, path) == OoxmlKind.PowerPoint;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        List<(string Name, byte[] Data)> images = [];
        await OfficePackage.ReadAsync(
            context,
            (stream, editable) => PresentationDocument.Open(stream, editable, OfficePackage.ReadOnlySettings),
            document =>
            {
                Read(context, document, cancellationToken);
                if (document.PresentationPart is { } root && context.SkipReason is null)
                {
                    images = EmbeddedImages.Collect(context, root);
                }
            },
            cancellationToken).ConfigureAwait(false);

        // Pictures big enough to hold text are members read by OCR, after the package is closed.
        await EmbeddedImages.ScanAsync(context, images, cancellationToken).ConfigureAwait(false);
    }

    private static void Read(ExtractionContext context, PresentationDocument document, CancellationToken cancellationToken)
    {
        var presentationPart = document.PresentationPart;
        var slideIds = presentationPart?.Presentation?.SlideIdList?.Elements<P.SlideId>().ToList();
        if (presentationPart is null || slideIds is null)
        {
            context.Skip("corrupt: no presentation part");
            return;
        }

        context.Detail = "pptx";
        var clock = ItemClock.Start(context);
        var group = 0;
        var number = 0;
        foreach (var slideId in slideIds)
        {
            number++;
            if (clock.IsOver(context, cancellationToken))
            {
                return;
            }

            if (slideId.RelationshipId?.Value is not { } id || presentationPart.GetPartById(id) is not SlidePart slide)
            {
                continue;
            }

            context.AddCount("slides");
            if (slide.Slide is { } root)
            {
                ReadShapes(context, root, $"slide {number}", ref group);
            }

            if (slide.NotesSlidePart?.NotesSlide is { } notes)
            {
                ReadShapes(context, notes, $"slide {number} notes", ref group, skipPlaceholders: true);
            }
        }
    }

    private static void ReadShapes(ExtractionContext context, OpenXmlElement root, string locator, ref int group, bool skipPlaceholders = false)
    {
        var tables = 0;
        foreach (var element in root.Descendants())
        {
            if (element is P.Shape shape && shape.TextBody is { } body)
            {
                // Notes pages repeat the slide image and number as placeholders; only the body holds notes.
                var placeholder = shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape;
                if (skipPlaceholders && placeholder?.Type?.Value is { } type && type != P.PlaceholderValues.Body)
                {
                    continue;
                }

                group++;
                foreach (var paragraph in body.Elements<A.Paragraph>())
                {
                    var text = ParagraphText(paragraph);
                    foreach (var line in text.Split('\n'))
                    {
                        var trimmed = line.Trim();
                        if (trimmed.Length > 0)
                        {
                            SegmentText.EmitText(context, locator, trimmed, group, LabelValue.FindLabel(trimmed));
                        }
                    }
                }
            }
            else if (element is A.Table table)
            {
                ReadTable(context, table, $"{locator} table {++tables}", ref group);
            }
        }
    }

    private static void ReadTable(ExtractionContext context, A.Table table, string prefix, ref int group)
    {
        var rows = table.Elements<A.TableRow>()
            .Select(row => (IReadOnlyList<string>)[.. row.Elements<A.TableCell>().Select(cell =>
                SegmentText.Collapse(string.Join(' ', cell.TextBody?.Elements<A.Paragraph>().Select(ParagraphText) ?? [])))])
            .ToList();
        var header = rows.Count > 1 && TableShape.LooksLikeHeader(rows[0]);
        var names = header ? rows[0].Select(TableShape.CleanLabel).ToArray() : [];
        for (var r = header ? 1 : 0; r < rows.Count; r++)
        {
            var fields = new List<Field>();
            for (var c = 0; c < rows[r].Count; c++)
            {
                if (rows[r][c].Length > 0)
                {
                    fields.Add(new Field(c < names.Length ? names[c] : string.Empty, rows[r][c], $"{prefix} row {r + 1} col {c + 1}"));
                }
            }

            if (fields.Count > 0)
            {
                context.Emit(new Segment($"{prefix} row {r + 1}", string.Empty) { Fields = fields, Group = ++group, GroupKind = GroupKind.Record });
            }
        }
    }

    private static string ParagraphText(A.Paragraph paragraph)
    {
        var builder = new StringBuilder();
        foreach (var child in paragraph.ChildElements)
        {
            switch (child)
            {
                case A.Run run:
                    builder.Append(run.Text?.Text);
                    break;
                case A.Field field:
                    builder.Append(field.Text?.Text);
                    break;
                case A.Break:
                    builder.Append('\n');
                    break;
                default:
                    break;
            }
        }

        return builder.ToString();
    }
}
