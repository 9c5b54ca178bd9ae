using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Office;

/// <summary>
/// Excel workbooks (.xlsx, .xlsm, .xltx): every worksheet, streamed row by row. Shared and inline strings are
/// resolved, formula cells give their cached value, and number formats are applied (dates as <c>yyyy-MM-dd</c>,
/// <c>000-00-0000</c>, <c>00000</c>, no exponent notation) — see <see cref="NumberFormat"/>. Rows become
/// record segments <c>Sheet!A17</c> with one field per cell (<c>Sheet!C17</c>) named by the column header;
/// cell comments become text segments <c>Sheet!C17 comment</c>. Stateless and thread-safe.
/// </summary>
internal sealed class XlsxExtractor : IExtractor
{
    private const int RowsBetweenClockChecks = 256;

    /// <inheritdoc />
    public string Name => "xlsx";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => OoxmlSniffer.Sniff(head, path) == OoxmlKind.Excel;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        List<(string Name, byte[] Data)> images = [];
        await OfficePackage.ReadAsync(
            context,
            (stream, editable) => SpreadsheetDocument.Open(stream, editable, OfficePackage.ReadOnlySettings),
            document =>
            {
                Read(context, document, cancellationToken);
                if (document.WorkbookPart is { } root && context.SkipReason is null)
                {
                    images = EmbeddedImages.Collect(context, root);
                }
            },
            cancellationToken).ConfigureAwait(false);

        // Pictures big enough to hold text are members read by OCR, after the package is closed.
        await EmbeddedImages.ScanAsync(context, images, cancellationToken).ConfigureAwait(false);
    }

    private static void Read(ExtractionContext context, SpreadsheetDocument document, CancellationToken cancellationToken)
    {
        var workbookPart = document.WorkbookPart;
        var sheets = workbookPart?.Workbook?.Sheets?.Elements<Sheet>().ToList();
        if (workbookPart is null || sheets is null)
        {
            context.Skip("corrupt: no workbook part");
            return;
        }

        var clock = ItemClock.Start(context);
        var date1904 = workbookPart.Workbook.WorkbookProperties?.Date1904?.Value == true;
        context.Detail = date1904 ? "xlsx, 1904 date system" : "xlsx";
        var formats = ReadFormats(workbookPart);
        var strings = ReadSharedStrings(workbookPart.SharedStringTablePart, context, clock, cancellationToken);
        var counter = new GroupCounter();
        var parts = new List<(string Name, WorksheetPart Part)>();
        foreach (var sheet in sheets)
        {
            if (sheet.Id?.Value is { } id && workbookPart.GetPartById(id) is WorksheetPart part)
            {
                parts.Add((sheet.Name?.Value ?? string.Empty, part));
            }
        }

        // Sheets linked by id columns are joined in memory, within the item's memory limit; past it (or with one
        // sheet) each sheet is streamed on its own.
        var held = new List<(HeldSheet Sheet, WorksheetPart Part)>();
        var budget = parts.Count > 1 ? context.Limits.MaxInMemoryBytes : 0;
        long used = 0;
        foreach (var (name, part) in parts)
        {
            context.AddCount("sheets");
            var cellReader = new CellReader(strings, formats, date1904);
            var rows = new SheetRows(context, name, ReadTables(part));
            if (budget > 0)
            {
                var data = new List<SheetRow>();
                var outcome = ReadSheet(part, cellReader, context, clock, (number, cells) =>
                {
                    foreach (var cell in cells)
                    {
                        used += 48 + (cell.Text.Length * 2L);
                    }

                    data.Add(new SheetRow(number, [.. cells]));
                    return used <= budget;
                }, cancellationToken);
                if (outcome != SheetOutcome.Stopped)
                {
                    held.Add((new HeldSheet(name, rows, data), part));
                    if (outcome == SheetOutcome.TimeOut)
                    {
                        EmitHeld(context, held, counter);
                        return;
                    }

                    continue;
                }

                // Over the memory limit: what is held is emitted unlinked, the rest streamed.
                context.AddCount("sheetsNotLinked");
                budget = 0;
                foreach (var (sheet, heldPart) in held)
                {
                    foreach (var row in sheet.Data)
                    {
                        sheet.Rows.Add(row.Number, row.Cells, ref counter.Value);
                    }

                    sheet.Rows.Finish(ref counter.Value);
                    ReadComments(heldPart, sheet.Name, context, ref counter.Value);
                }

                held.Clear();
            }

            var streamed = ReadSheet(part, cellReader, context, clock, (number, cells) =>
            {
                rows.Add(number, cells, ref counter.Value);
                return true;
            }, cancellationToken);
            rows.Finish(ref counter.Value);
            if (streamed == SheetOutcome.TimeOut)
            {
                return;
            }

            ReadComments(part, name, context, ref counter.Value);
        }

        EmitHeld(context, held, counter);
    }

    private static void EmitHeld(ExtractionContext context, List<(HeldSheet Sheet, WorksheetPart Part)> held, GroupCounter counter)
    {
        if (held.Count == 0)
        {
            return;
        }

        WorkbookLinks.Emit(context, [.. held.Select(h => h.Sheet)], ref counter.Value);
        foreach (var (sheet, part) in held)
        {
            ReadComments(part, sheet.Name, context, ref counter.Value);
        }
    }

    private enum SheetOutcome
    {
        Done,
        TimeOut,
        Stopped,
    }

    private static SheetOutcome ReadSheet(
        WorksheetPart part, CellReader cells, ExtractionContext context, ItemClock clock, Func<int, IReadOnlyList<SheetCell>, bool> onRow, CancellationToken cancellationToken)
    {
        using var reader = OpenXmlReader.Create(part);
        var rowNumber = 0;
        var buffer = new List<SheetCell>();
        var more = reader.Read();
        while (more && !reader.EOF)
        {
            if (!reader.IsStartElement || reader.ElementType != typeof(Row))
            {
                if (!reader.Read())
                {
                    break;
                }

                continue;
            }

            var row = (Row)reader.LoadCurrentElement()!;
            rowNumber = row.RowIndex?.Value is { } index ? (int)Math.Min(index, int.MaxValue) : rowNumber + 1;
            if (rowNumber % RowsBetweenClockChecks == 0 && clock.IsOver(context, cancellationToken))
            {
                return SheetOutcome.TimeOut;
            }

            buffer.Clear();
            var column = -1;
            foreach (var cell in row.Elements<Cell>())
            {
                var reference = cell.CellReference?.Value;
                var parsed = reference is null ? -1 : SheetRows.ParseColumn(reference);
                column = parsed >= 0 ? parsed : column + 1;
                var text = cells.Text(cell, out var isString);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    buffer.Add(new SheetCell(column, text.Trim(), isString));
                }
            }

            if (buffer.Count > 0 && !onRow(rowNumber, buffer))
            {
                return SheetOutcome.Stopped;
            }
        }

        return SheetOutcome.Done;
    }

    private static void ReadComments(WorksheetPart part, string sheetName, ExtractionContext context, ref int group)
    {
        var comments = part.WorksheetCommentsPart?.Comments?.CommentList?.Elements<Comment>();
        if (comments is null)
        {
            return;
        }

        foreach (var comment in comments)
        {
            var text = comment.CommentText is { } body ? RichText(body) : string.Empty;
            if (!string.IsNullOrWhiteSpace(text))
            {
                var reference = comment.Reference?.Value ?? "?";
                var locator = $"{SheetRows.QuoteSheetName(sheetName)}!{reference} comment";
                SegmentText.EmitText(context, locator, text.Trim(), ++group, LabelValue.FindLabel(text.Trim()));
            }
        }
    }

    private static List<SheetTable> ReadTables(WorksheetPart part)
    {
        var tables = new List<SheetTable>();
        foreach (var tablePart in part.TableDefinitionParts)
        {
            var table = tablePart.Table;
            var range = table?.Reference?.Value?.Split(':');
            if (table is null || range is not { Length: 2 })
            {
                continue;
            }

            var columns = table.TableColumns?.Elements<TableColumn>().Select(c => c.Name?.Value ?? string.Empty).ToList() ?? [];
            tables.Add(new SheetTable(
                SheetRows.ParseRow(range[0]),
                SheetRows.ParseRow(range[1]),
                SheetRows.ParseColumn(range[0]),
                SheetRows.ParseColumn(range[1]),
                (int)(table.HeaderRowCount?.Value ?? 1),
                columns));
        }

        return tables;
    }

    /// <summary>Format code for each cell style index (<c>s</c> attribute), null for General.</summary>
    private static string?[] ReadFormats(WorkbookPart workbookPart)
    {
        var stylesheet = workbookPart.WorkbookStylesPart?.Stylesheet;
        if (stylesheet?.CellFormats is null)
        {
            return [];
        }

        var custom = new Dictionary<uint, string>();
        foreach (var format in stylesheet.NumberingFormats?.Elements<NumberingFormat>() ?? [])
        {
            if (format.NumberFormatId?.Value is { } id && format.FormatCode?.Value is { } code)
            {
                custom[id] = code;
            }
        }

        return [.. stylesheet.CellFormats.Elements<CellFormat>().Select(xf =>
        {
            var id = xf.NumberFormatId?.Value ?? 0;
            return custom.TryGetValue(id, out var code) ? code : NumberFormat.BuiltInCode((int)Math.Min(id, int.MaxValue));
        })];
    }

    private static List<string> ReadSharedStrings(SharedStringTablePart? part, ExtractionContext context, ItemClock clock, CancellationToken cancellationToken)
    {
        var strings = new List<string>();
        if (part is null)
        {
            return strings;
        }

        using var reader = OpenXmlReader.Create(part);
        var more = reader.Read();
        while (more && !reader.EOF)
        {
            if (reader.IsStartElement && reader.ElementType == typeof(SharedStringItem))
            {
                strings.Add(RichText(reader.LoadCurrentElement()!));
                if (strings.Count % 4096 == 0 && clock.IsOver(context, cancellationToken))
                {
                    break;
                }
            }
            else if (!reader.Read())
            {
                break;
            }
        }

        return strings;
    }

    /// <summary>Text of a shared string, inline string or comment: its runs, without phonetic guides.</summary>
    private static string RichText(OpenXmlElement item)
    {
        var builder = new StringBuilder();
        foreach (var child in item.ChildElements)
        {
            if (child is Text text)
            {
                builder.Append(text.Text);
            }
            else if (child is Run run)
            {
                builder.Append(run.Text?.Text);
            }
        }

        return builder.ToString();
    }

    private sealed class GroupCounter
    {
        public int Value;
    }

    private sealed class CellReader(List<string> strings, string?[] formats, bool date1904)
    {
        public string? Text(Cell cell, out bool isString)
        {
            isString = false;
            var type = cell.DataType?.Value;
            var raw = cell.CellValue?.Text;
            if (type == CellValues.SharedString)
            {
                isString = true;
                return int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                    && index < strings.Count ? strings[index] : null;
            }

            if (type == CellValues.InlineString)
            {
                isString = true;
                return cell.InlineString is { } inline ? RichText(inline) : raw;
            }

            if (type == CellValues.String)
            {
                isString = true;
                return raw;
            }

            if (type == CellValues.Boolean)
            {
                return raw == "1" ? "TRUE" : "FALSE";
            }

            if (type == CellValues.Error || type == CellValues.Date || raw is null)
            {
                return raw;
            }

            var style = cell.StyleIndex?.Value ?? 0;
            var code = style < formats.Length ? formats[style] : null;
            return NumberFormat.Format(raw, code, date1904);
        }
    }
}
