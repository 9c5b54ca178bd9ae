using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Office;

/// <summary>
/// Word documents (.docx, .docm, .dotx): body paragraphs (<c>paragraph N</c>, grouped into blocks split at blank
/// paragraphs, headings and tables), tables as rows with their header cells (<c>table T row R</c>), text boxes,
/// headers and footers (<c>header H paragraph N</c>), footnotes, endnotes and comments. "Label: value"
/// paragraphs carry their label. The body is read with the streaming reader, one paragraph or table at a time.
/// Stateless and thread-safe.
/// </summary>
internal sealed class DocxExtractor : IExtractor
{
    /// <inheritdoc />
    public string Name => "docx";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => OoxmlSniffer.Sniff(head, path) == OoxmlKind.Word;

    /// <inheritdoc />
    public ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
        => OfficePackage.ReadAsync(
            context,
            (stream, editable) => WordprocessingDocument.Open(stream, editable, OfficePackage.ReadOnlySettings),
            document => Read(context, document, cancellationToken),
            cancellationToken);

    private static void Read(ExtractionContext context, WordprocessingDocument document, CancellationToken cancellationToken)
    {
        var main = document.MainDocumentPart;
        if (main is null)
        {
            context.Skip("corrupt: no main document part");
            return;
        }

        context.Detail = "docx";
        var reader = new Reader(context, ItemClock.Start(context), cancellationToken);
        try
        {
            reader.ReadBody(main);
            var index = 0;
            foreach (var header in main.HeaderParts)
            {
                reader.ReadRoot(header.Header, $"header {++index} ");
            }

            index = 0;
            foreach (var footer in main.FooterParts)
            {
                reader.ReadRoot(footer.Footer, $"footer {++index} ");
            }

            foreach (var note in main.FootnotesPart?.Footnotes?.Elements<Footnote>() ?? [])
            {
                if (note.Type is null)
                {
                    reader.ReadRoot(note, $"footnote {note.Id?.Value} ");
                }
            }

            foreach (var note in main.EndnotesPart?.Endnotes?.Elements<Endnote>() ?? [])
            {
                if (note.Type is null)
                {
                    reader.ReadRoot(note, $"endnote {note.Id?.Value} ");
                }
            }

            foreach (var comment in main.WordprocessingCommentsPart?.Comments?.Elements<Comment>() ?? [])
            {
                reader.ReadRoot(comment, $"comment {comment.Id?.Value} ");
            }
        }
        catch (TimeLimitReached)
        {
            // Recorded on the context by the clock.
        }
    }

    private sealed class TimeLimitReached : Exception;

    /// <summary>Reading state for one document: counters, block numbers, the clock.</summary>
    private sealed class Reader(ExtractionContext context, ItemClock clock, CancellationToken cancellationToken)
    {
        private int _group;
        private bool _newBlock = true;
        private int _textboxes;
        private int _checks;

        public void ReadBody(MainDocumentPart main)
        {
            var scope = new Scope(string.Empty);
            using var reader = OpenXmlReader.Create(main);
            var more = reader.Read();
        while (more && !reader.EOF)
            {
                if (reader.IsStartElement && (reader.ElementType == typeof(Paragraph) || reader.ElementType == typeof(Table)))
                {
                    Block(reader.LoadCurrentElement()!, scope);
                }
                else if (!reader.Read())
                {
                    break;
                }
            }
        }

        public void ReadRoot(OpenXmlElement? root, string prefix)
        {
            if (root is null)
            {
                return;
            }

            _newBlock = true;
            var scope = new Scope(prefix);
            foreach (var element in BlockElements(root))
            {
                Block(element, scope);
            }
        }

        private static IEnumerable<OpenXmlElement> BlockElements(OpenXmlElement parent)
        {
            foreach (var child in parent.ChildElements)
            {
                if (child is Paragraph or Table)
                {
                    yield return child;
                }
                else if (child is SdtBlock or SdtContentBlock or CustomXmlBlock)
                {
                    foreach (var inner in BlockElements(child))
                    {
                        yield return inner;
                    }
                }
            }
        }

        private void Block(OpenXmlElement element, Scope scope)
        {
            if (++_checks % 64 == 0 && clock.IsOver(context, cancellationToken))
            {
                throw new TimeLimitReached();
            }

            if (element is Table table)
            {
                TableRows(table, scope);
            }
            else if (element is Paragraph paragraph)
            {
                ReadParagraph(paragraph, scope, $"{scope.Prefix}paragraph {++scope.Paragraphs}");
            }
        }

        private void ReadParagraph(Paragraph paragraph, Scope scope, string locator)
        {
            var boxes = new List<TextBoxContent>();
            var builder = new StringBuilder();
            AppendText(paragraph, builder, boxes);
            var text = builder.ToString();
            if (string.IsNullOrWhiteSpace(text))
            {
                _newBlock = true;
            }
            else
            {
                if (_newBlock || IsHeading(paragraph))
                {
                    _group++;
                    _newBlock = false;
                }

                foreach (var line in text.Split('\n'))
                {
                    var trimmed = line.Trim();
                    if (trimmed.Length > 0)
                    {
                        SegmentText.EmitText(context, locator, trimmed, _group, LabelValue.FindLabel(trimmed));
                    }
                }
            }

            foreach (var box in boxes)
            {
                var boxScope = new Scope($"{scope.Prefix}textbox {++_textboxes} ");
                _newBlock = true;
                foreach (var element in BlockElements(box))
                {
                    Block(element, boxScope);
                }

                _newBlock = true;
            }
        }

        private static bool IsHeading(Paragraph paragraph)
        {
            var properties = paragraph.ParagraphProperties;
            var style = properties?.ParagraphStyleId?.Val?.Value;
            return properties?.OutlineLevel is not null
                || (style is not null && (style.StartsWith("Heading", StringComparison.OrdinalIgnoreCase)
                    || style.StartsWith("Title", StringComparison.OrdinalIgnoreCase)
                    || style.StartsWith("Subtitle", StringComparison.OrdinalIgnoreCase)));
        }

        private void TableRows(Table table, Scope scope)
        {
            var number = ++scope.Tables;
            var prefix = $"{scope.Prefix}table {number} ";
            var rows = new List<IReadOnlyList<string>>();
            var rowElements = new List<TableRow>();
            var columns = 0;
            foreach (var row in Rows(table))
            {
                var cells = new List<string>();
                foreach (var cell in Cells(row))
                {
                    var builder = new StringBuilder();
                    AppendText(cell, builder, boxes: null);
                    cells.Add(SegmentText.Collapse(builder.ToString()));
                }

                columns = Math.Max(columns, cells.Count);
                rows.Add(cells);
                rowElements.Add(row);
            }

            _newBlock = true;
            if (columns == 1)
            {
                // A one-column table is layout: its cells are paragraphs of free text.
                for (var r = 0; r < rowElements.Count; r++)
                {
                    var rowScope = new Scope($"{prefix}row {r + 1} ");
                    foreach (var cell in Cells(rowElements[r]))
                    {
                        foreach (var element in BlockElements(cell))
                        {
                            Block(element, rowScope);
                        }
                    }
                }

                _newBlock = true;
                return;
            }

            if (TableShape.IsKeyValueTable(rows))
            {
                var fields = new List<Field>();
                for (var r = 0; r < rows.Count; r++)
                {
                    if (rows[r][1].Length > 0)
                    {
                        fields.Add(new Field(TableShape.CleanLabel(rows[r][0]), rows[r][1], $"{prefix}row {r + 1}"));
                    }
                }

                if (fields.Count > 0)
                {
                    context.Emit(new Segment(prefix.TrimEnd(), string.Empty) { Fields = fields, Group = ++_group, GroupKind = GroupKind.Record });
                }

                return;
            }

            var headerRow = rows.Count > 1 && (IsMarkedHeader(rowElements[0]) || TableShape.LooksLikeHeader(rows[0]));
            var headers = headerRow ? rows[0].Select(TableShape.CleanLabel).ToArray() : [];
            for (var r = headerRow ? 1 : 0; r < rows.Count; r++)
            {
                var fields = new List<Field>();
                for (var c = 0; c < rows[r].Count; c++)
                {
                    if (rows[r][c].Length > 0)
                    {
                        fields.Add(new Field(c < headers.Length ? headers[c] : string.Empty, rows[r][c], $"{prefix}row {r + 1} col {c + 1}"));
                    }
                }

                if (fields.Count > 0)
                {
                    context.Emit(new Segment($"{prefix}row {r + 1}", string.Empty) { Fields = fields, Group = ++_group, GroupKind = GroupKind.Record });
                }
            }
        }

        private static bool IsMarkedHeader(TableRow row)
            => row.TableRowProperties?.GetFirstChild<TableHeader>() is { } header && (header.Val is null || header.Val.Value == OnOffOnlyValues.On);

        private static IEnumerable<TableRow> Rows(OpenXmlElement parent)
        {
            foreach (var child in parent.ChildElements)
            {
                if (child is TableRow row)
                {
                    yield return row;
                }
                else if (child is SdtRow or SdtContentRow or CustomXmlRow)
                {
                    foreach (var inner in Rows(child))
                    {
                        yield return inner;
                    }
                }
            }
        }

        private static IEnumerable<TableCell> Cells(OpenXmlElement parent)
        {
            foreach (var child in parent.ChildElements)
            {
                if (child is TableCell cell)
                {
                    yield return cell;
                }
                else if (child is SdtCell or SdtContentCell or CustomXmlCell)
                {
                    foreach (var inner in Cells(child))
                    {
                        yield return inner;
                    }
                }
            }
        }

        /// <summary>
        /// Appends the visible (and tracked-deleted) text under <paramref name="element"/>. Text boxes are collected
        /// for separate reading when <paramref name="boxes"/> is given, else read inline.
        /// </summary>
        private static void AppendText(OpenXmlElement element, StringBuilder builder, List<TextBoxContent>? boxes)
        {
            foreach (var child in element.ChildElements)
            {
                switch (child)
                {
                    case Text text:
                        builder.Append(text.Text);
                        break;
                    case DeletedText deleted:
                        // Deleted revisions are still in the file, so they are still exposed.
                        builder.Append(deleted.Text);
                        break;
                    case TabChar or PositionalTab:
                        builder.Append('\t');
                        break;
                    case Break or CarriageReturn:
                        builder.Append('\n');
                        break;
                    case NoBreakHyphen:
                        builder.Append('-');
                        break;
                    case FieldCode or DeletedFieldCode or ParagraphProperties or RunProperties:
                        break;
                    case TextBoxContent box when boxes is not null:
                        boxes.Add(box);
                        break;
                    case AlternateContent alternate:
                        // Choice and Fallback hold the same content (DrawingML and VML); read one.
                        var branch = (OpenXmlElement?)alternate.GetFirstChild<AlternateContentChoice>()
                            ?? alternate.GetFirstChild<AlternateContentFallback>();
                        if (branch is not null)
                        {
                            AppendText(branch, builder, boxes);
                        }

                        break;
                    case Paragraph:
                        AppendText(child, builder, boxes);
                        builder.Append(' ');
                        break;
                    default:
                        if (child.HasChildren)
                        {
                            AppendText(child, builder, boxes);
                        }

                        break;
                }
            }
        }
    }

    private sealed class Scope(string prefix)
    {
        public string Prefix { get; } = prefix;

        public int Paragraphs { get; set; }

        public int Tables { get; set; }
    }
}
