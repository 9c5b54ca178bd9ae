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
/// Forms: a table of <c>label | value</c> (or <c>label | value | label | value</c>) rows with label words (Name, Date
/// of Birth, SSN, Address…) is one record; every such table of the body and its labelled paragraphs
/// (<c>Date of Birth: 03/04/1961</c>) share the form's group. In a form, a table with a header row and a name
/// column (a household: Name | DOB | Relationship) holds further people: each row its own record with the form's
/// group as <see cref="Segment.ParentGroup"/>; rows of other header tables (medications) join the form. Cells of
/// several paragraphs or lines are joined with <c>, </c> (a two-line address reads as one); header cells with a space.
/// Pictures big enough to hold text (a scanned form pasted into the document) are members read by OCR
/// (<c>notes.docx!word/media/image1.png</c>, see <see cref="EmbeddedImages"/>). Stateless and thread-safe.
/// </summary>
internal sealed class DocxExtractor : IExtractor
{
    /// <inheritdoc />
    public string Name => "docx";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => OoxmlSniffer.Sniff(head, path) == OoxmlKind.Word;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        List<(string Name, byte[] Data)> images = [];
        await OfficePackage.ReadAsync(
            context,
            (stream, editable) => WordprocessingDocument.Open(stream, editable, OfficePackage.ReadOnlySettings),
            document =>
            {
                Read(context, document, cancellationToken);
                if (document.MainDocumentPart is { } main && context.SkipReason is null)
                {
                    images = EmbeddedImages.Collect(context, main);
                }
            },
            cancellationToken).ConfigureAwait(false);

        // Pictures (a scanned form pasted into the document) are members read by OCR, after the package is closed.
        await EmbeddedImages.ScanAsync(context, images, cancellationToken).ConfigureAwait(false);
    }

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
            try
            {
                reader.ReadBody(main);
            }
            finally
            {
                reader.ReleaseHeld();
            }

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
        // Body segments held so that a form's labelled paragraphs and household rows can join it wherever they
        // sit; past this many the held ones are released and the rest emitted as read.
        private const int MaxHeld = 20_000;

        private static readonly string[] FormLabels =
        [
            "name", "first name", "last name", "middle name", "full name", "patient", "patient name", "client", "client name",
            "applicant", "member", "member name", "subscriber", "insured", "date of birth", "dob", "birth date", "birthdate",
            "ssn", "social security", "social security number", "social security no", "address", "street", "street address",
            "home address", "mailing address", "city", "state", "zip", "zip code", "phone", "telephone", "home phone", "cell",
            "mobile", "email", "e mail", "member id", "member number", "member no", "policy number", "policy", "group number",
            "diagnosis", "diagnoses", "gender", "sex", "age", "mrn", "medical record number", "insurance", "relationship",
            "employer", "emergency contact", "driver s license", "drivers license", "license number", "medicaid id",
            "medicare number", "account number", "marital status", "preferred language", "race", "ethnicity",
        ];

        // The last word of a form's label names what the value is ("Daytime telephone", "Household size", "Case
        // number", "Other names used"): a label ending in one of these is a label whatever words come before it.
        private static readonly HashSet<string> LabelHeads = new(StringComparer.Ordinal)
        {
            "name", "names", "used", "address", "phone", "telephone", "number", "no", "id", "date", "birth", "ssn", "zip",
            "email", "size", "status", "county", "language", "relationship", "gender", "sex", "age", "employer", "contact",
        };

        private static readonly string[] NameHeaders = ["name", "first name", "last name", "full name", "first", "last", "given name", "surname", "member name", "patient name"];

        private readonly List<(Segment Segment, SegmentRole Role)> _held = [];
        private bool _holding = true;
        private int? _formGroup;
        private int _group;
        private bool _newBlock = true;
        private int _textboxes;
        private int _checks;

        private enum SegmentRole
        {
            Other,
            FormLabel,
            PersonRow,
            DetailRow,
        }

        /// <summary>Emits the held body segments, joined to the form when the body had one.</summary>
        public void ReleaseHeld()
        {
            foreach (var (segment, role) in _held)
            {
                context.Emit(Settle(segment, role));
            }

            _held.Clear();
            _holding = false;
        }

        private Segment Settle(Segment segment, SegmentRole role)
        {
            if (_formGroup is not { } form)
            {
                return segment;
            }

            return role switch
            {
                SegmentRole.FormLabel or SegmentRole.DetailRow => segment with { Group = form, GroupKind = GroupKind.Record },
                SegmentRole.PersonRow => segment with { ParentGroup = form },
                _ => segment,
            };
        }

        private void Emit(Segment segment, SegmentRole role)
        {
            if (!_holding)
            {
                context.Emit(Settle(segment, role));
                return;
            }

            _held.Add((segment, role));
            if (_held.Count >= MaxHeld)
            {
                ReleaseHeld();
            }
        }

        private static bool IsFormLabel(string label)
        {
            var normalized = NormalizeLabel(label);
            return normalized.Length > 0 && (Array.IndexOf(FormLabels, normalized) >= 0
                || LabelHeads.Contains(normalized[(normalized.LastIndexOf(' ') + 1)..]));
        }

        private static string NormalizeLabel(string label)
        {
            var builder = new StringBuilder(label.Length);
            foreach (var c in label)
            {
                if (char.IsLetterOrDigit(c))
                {
                    builder.Append(char.ToLowerInvariant(c));
                }
                else if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }

            return builder.ToString().TrimEnd();
        }

        // A form table: every row two or four cells (label | value, label | value | label | value) and most labels
        // are label words or end with a colon.
        private static bool IsFormTable(List<IReadOnlyList<string>> rows)
        {
            if (rows.Count == 0)
            {
                return false;
            }

            int labels = 0, known = 0;
            foreach (var row in rows)
            {
                if (row.Count is not (2 or 4))
                {
                    return false;
                }

                for (var c = 0; c < row.Count; c += 2)
                {
                    var label = row[c].Trim();
                    if (label.Length == 0)
                    {
                        continue;
                    }

                    labels++;
                    if (label.Length <= 64 && (label[^1] == ':' || IsFormLabel(label)))
                    {
                        known++;
                    }
                }
            }

            return labels > 0 && known * 3 >= labels * 2 && (rows.Count >= 2 || known >= 2);
        }

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
                        var label = LabelValue.FindLabel(trimmed);
                        var role = label is not null && IsFormLabel(label) ? SegmentRole.FormLabel : SegmentRole.Other;
                        SegmentText.EmitText(s => Emit(s, role), context.Limits.MaxSegmentChars, locator, trimmed, _group, label);
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
            var values = new List<IReadOnlyList<string>>();
            var rowElements = new List<TableRow>();
            var columns = 0;
            foreach (var row in Rows(table))
            {
                var cells = new List<string>();
                var cellValues = new List<string>();
                foreach (var cell in Cells(row))
                {
                    var lines = CellLines(cell);
                    cells.Add(SegmentText.Collapse(string.Join(' ', lines)));
                    cellValues.Add(JoinLines(lines));
                }

                columns = Math.Max(columns, cells.Count);
                rows.Add(cells);
                values.Add(cellValues);
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

            if (TableShape.IsKeyValueTable(rows) || IsFormTable(rows))
            {
                var fields = new List<Field>();
                for (var r = 0; r < rows.Count; r++)
                {
                    for (var c = 0; c + 1 < rows[r].Count; c += 2)
                    {
                        if (values[r][c + 1].Length > 0)
                        {
                            fields.Add(new Field(TableShape.CleanLabel(rows[r][c]), values[r][c + 1], $"{prefix}row {r + 1}" + (c == 0 ? string.Empty : $" col {c + 2}")));
                        }
                    }
                }

                if (fields.Count > 0)
                {
                    // Every form table of the body describes the same subject: one record.
                    _formGroup ??= ++_group;
                    Emit(new Segment(prefix.TrimEnd(), string.Empty) { Fields = fields, Group = _formGroup.Value, GroupKind = GroupKind.Record }, SegmentRole.Other);
                }

                return;
            }

            var headerRow = rows.Count > 1 && (IsMarkedHeader(rowElements[0]) || TableShape.LooksLikeHeader(rows[0]));
            var headers = headerRow ? rows[0].Select(TableShape.CleanLabel).ToArray() : [];
            var people = headers.Any(h => Array.IndexOf(NameHeaders, NormalizeLabel(h)) >= 0);
            for (var r = headerRow ? 1 : 0; r < rows.Count; r++)
            {
                var fields = new List<Field>();
                for (var c = 0; c < values[r].Count; c++)
                {
                    if (values[r][c].Length > 0)
                    {
                        fields.Add(new Field(c < headers.Length ? headers[c] : string.Empty, values[r][c], $"{prefix}row {r + 1} col {c + 1}"));
                    }
                }

                if (fields.Count > 0)
                {
                    var role = !headerRow ? SegmentRole.Other : people ? SegmentRole.PersonRow : SegmentRole.DetailRow;
                    Emit(new Segment($"{prefix}row {r + 1}", string.Empty) { Fields = fields, Group = ++_group, GroupKind = GroupKind.Record }, role);
                }
            }
        }

        // The lines of a cell: each paragraph, split at line breaks, trimmed, empty ones dropped.
        private static List<string> CellLines(TableCell cell)
        {
            var lines = new List<string>();
            foreach (var element in BlockElements(cell))
            {
                var builder = new StringBuilder();
                AppendText(element, builder, boxes: null);
                foreach (var line in builder.ToString().Split('\n'))
                {
                    var collapsed = SegmentText.Collapse(line);
                    if (collapsed.Length > 0)
                    {
                        lines.Add(collapsed);
                    }
                }
            }

            return lines;
        }

        // Lines of one value joined so that "12 Oak St" / "Helena, MT 59601" read as one address.
        private static string JoinLines(List<string> lines)
        {
            var builder = new StringBuilder();
            foreach (var line in lines)
            {
                if (builder.Length > 0)
                {
                    builder.Append(builder[^1] is ',' or ';' ? " " : ", ");
                }

                builder.Append(line);
            }

            return builder.ToString();
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
