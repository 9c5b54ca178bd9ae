using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using MimeKit;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace PiiScanner.Testing;

/// <summary>A spreadsheet cell to write: text, or a number shown through an Excel number format.</summary>
internal abstract record XlsxValue
{
    public static implicit operator XlsxValue(string text) => new XlsxText(text);
}

/// <summary>A text cell (written to the shared string table).</summary>
internal sealed record XlsxText(string Text) : XlsxValue;

/// <summary>A number cell with a number format code (e.g. <c>000-00-0000</c>); null format = General.</summary>
internal sealed record XlsxNumber(double Value, string? Format) : XlsxValue;

/// <summary>A date written as an Excel date serial with a date format code (e.g. <c>mm/dd/yyyy</c>).</summary>
internal sealed record XlsxDate(DateOnly Value, string Format) : XlsxValue
{
    public double Serial => Value.DayNumber - new DateOnly(1899, 12, 30).DayNumber;
}

/// <summary>One line of a PDF page; a <see cref="Value"/> is drawn apart from the text, as forms do.</summary>
internal sealed record PdfLine(string Text, string? Value = null);

/// <summary>A Word table; <paramref name="Header"/> marks the first row as a repeated header row. A cell's <c>\n</c> starts a new paragraph.</summary>
public sealed record DocxTable(string[][] Rows, bool Header = true);

/// <summary>A mail attachment.</summary>
internal sealed record MailAttachment(string Name, string MediaType, byte[] Content);

/// <summary>A mail message to write.</summary>
internal sealed record MailMessage(string From, string To, string Subject, DateTimeOffset Date, string Body, params MailAttachment[] Attachments);

/// <summary>
/// Builds small files of each format the extractors read (docx, xlsx, pptx, pdf, html, eml, mbox, zip, tar.gz,
/// 7z) from plain descriptions. Timestamps and mail ids are fixed; Office relationship ids, the PDF file id and
/// pax access times are not, so two runs give the same content but not always the same bytes. Used by the end-to-end format tests and the extraction benchmarks; the files of
/// <c>tests/sample-server</c> were written with it too. Synthetic people only.
/// </summary>
internal static class FormatFiles
{
    private static readonly DateTimeOffset Stamp = new(2021, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A Word document: each block is a paragraph (string) or a table (string[][], first row = headers).</summary>
    public static byte[] Docx(params object[] blocks)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new W.Body();
            foreach (var block in blocks)
            {
                switch (block)
                {
                    case string text:
                        body.Append(Paragraph(text));
                        break;
                    case string[][] rows:
                        body.Append(Table(rows, header: true));
                        body.Append(Paragraph(string.Empty));
                        break;
                    case DocxTable docxTable:
                        body.Append(Table(docxTable.Rows, docxTable.Header));
                        body.Append(Paragraph(string.Empty));
                        break;
                    default:
                        throw new ArgumentException("a block is a string, a string[][] or a DocxTable", nameof(blocks));
                }
            }

            main.Document = new W.Document(body);
        }

        return Repack(stream.ToArray());

        static W.Paragraph Paragraph(string text) => new(new W.Run(new W.Text(text) { Space = SpaceProcessingModeValues.Preserve }));

        static W.Table Table(string[][] rows, bool header)
        {
            var table = new W.Table(new W.TableProperties(new W.TableBorders(
                new W.TopBorder { Val = W.BorderValues.Single, Size = 4 },
                new W.BottomBorder { Val = W.BorderValues.Single, Size = 4 },
                new W.InsideHorizontalBorder { Val = W.BorderValues.Single, Size = 4 },
                new W.InsideVerticalBorder { Val = W.BorderValues.Single, Size = 4 })));
            for (var r = 0; r < rows.Length; r++)
            {
                var row = new W.TableRow();
                if (r == 0 && header)
                {
                    row.Append(new W.TableRowProperties(new W.TableHeader()));
                }

                row.Append(rows[r].Select(c => new W.TableCell(c.Split('\n').Select(Paragraph))));
                table.Append(row);
            }

            return table;
        }
    }

    /// <summary>A workbook of one sheet; rows are written from row 1, column A.</summary>
    public static byte[] Xlsx(string sheetName, params XlsxValue[][] rows) => Xlsx((sheetName, rows));

    /// <summary>A workbook of several sheets, in order; each sheet's rows are written from row 1, column A (an empty row stays blank).</summary>
    public static byte[] Xlsx(params (string Name, XlsxValue[][] Rows)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new S.Workbook();

            var all = sheets.SelectMany(sheet => sheet.Rows).ToArray();
            var formats = all.SelectMany(r => r).Select(FormatOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new S.Stylesheet(
                new S.NumberingFormats(formats.Select((f, i) => new S.NumberingFormat { NumberFormatId = (uint)(164 + i), FormatCode = f })),
                new S.Fonts(new S.Font()),
                new S.Fills(new S.Fill()),
                new S.Borders(new S.Border()),
                new S.CellFormats([new S.CellFormat { NumberFormatId = 0 }, .. formats.Select((_, i) => new S.CellFormat { NumberFormatId = (uint)(164 + i), ApplyNumberFormat = true })]));

            var strings = all.SelectMany(r => r).OfType<XlsxText>().Select(t => t.Text).Distinct(StringComparer.Ordinal).ToList();
            var shared = workbook.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new S.SharedStringTable(strings.Select(s => new S.SharedStringItem(new S.Text(s) { Space = SpaceProcessingModeValues.Preserve })));

            var sheetList = workbook.Workbook.AppendChild(new S.Sheets());
            uint sheetId = 1;
            foreach (var (sheetName, rows) in sheets)
            {
                var data = new S.SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    var rowNumber = (uint)(r + 1);
                    var row = new S.Row { RowIndex = rowNumber };
                    for (var c = 0; c < rows[r].Length; c++)
                    {
                        var reference = ((char)('A' + c)).ToString() + rowNumber.ToString(CultureInfo.InvariantCulture);
                        row.Append(rows[r][c] switch
                        {
                            XlsxText text => new S.Cell(new S.CellValue(strings.IndexOf(text.Text).ToString(CultureInfo.InvariantCulture)))
                            {
                                CellReference = reference,
                                DataType = S.CellValues.SharedString,
                            },
                            XlsxNumber number => NumberCell(reference, number.Value, number.Format),
                            XlsxDate date => NumberCell(reference, date.Serial, date.Format),
                            _ => throw new ArgumentException("unknown cell", nameof(rows)),
                        });
                    }

                    data.Append(row);
                }

                var sheetPart = workbook.AddNewPart<WorksheetPart>();
                sheetPart.Worksheet = new S.Worksheet(data);
                sheetList.Append(new S.Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = sheetId++, Name = sheetName });
            }

            S.Cell NumberCell(string reference, double value, string? format) => new(new S.CellValue(value.ToString("R", CultureInfo.InvariantCulture)))
            {
                CellReference = reference,
                StyleIndex = format is null ? 0u : (uint)(formats.IndexOf(format) + 1),
            };
        }

        return Repack(stream.ToArray());

        static string? FormatOf(XlsxValue value) => value switch
        {
            XlsxNumber number => number.Format,
            XlsxDate date => date.Format,
            _ => null,
        };
    }

    /// <summary>A presentation: one slide per entry, each a title and body paragraphs, with optional speaker notes.</summary>
    public static byte[] Pptx(params (string Title, string[] Body, string? Notes)[] slides)
    {
        using var stream = new MemoryStream();
        using (var document = PresentationDocument.Create(stream, PresentationDocumentType.Presentation))
        {
            var presentation = document.AddPresentationPart();
            var ids = new P.SlideIdList();
            uint id = 256;
            foreach (var (title, body, notes) in slides)
            {
                var slide = presentation.AddNewPart<SlidePart>();
                slide.Slide = new P.Slide(new P.CommonSlideData(new P.ShapeTree(
                    TextShape(2, P.PlaceholderValues.Title, title),
                    TextShape(3, null, body))));
                if (notes is not null)
                {
                    var notesPart = slide.AddNewPart<NotesSlidePart>();
                    notesPart.NotesSlide = new P.NotesSlide(new P.CommonSlideData(new P.ShapeTree(
                        TextShape(2, P.PlaceholderValues.Body, notes))));
                }

                ids.Append(new P.SlideId { Id = id++, RelationshipId = presentation.GetIdOfPart(slide) });
            }

            presentation.Presentation = new P.Presentation(ids);
        }

        return Repack(stream.ToArray());

        static P.Shape TextShape(uint id, P.PlaceholderValues? placeholder, params string[] paragraphs)
        {
            var application = new P.ApplicationNonVisualDrawingProperties();
            if (placeholder is { } type)
            {
                application.PlaceholderShape = new P.PlaceholderShape { Type = type };
            }

            return new P.Shape(
                new P.NonVisualShapeProperties(new P.NonVisualDrawingProperties { Id = id, Name = "Text " + id.ToString(CultureInfo.InvariantCulture) }, new P.NonVisualShapeDrawingProperties(), application),
                new P.ShapeProperties(),
                new P.TextBody([new A.BodyProperties(), .. paragraphs.Select(p => new A.Paragraph(new A.Run(new A.Text(p))))]));
        }
    }

    /// <summary>A PDF with a text layer: one list of lines per page, top to bottom.</summary>
    public static byte[] Pdf(params PdfLine[][] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(PageSize.Letter);
            var y = 740.0;
            foreach (var line in lines)
            {
                page.AddText(line.Text, 11, new PdfPoint(50, y), font);
                if (line.Value is not null)
                {
                    page.AddText(line.Value, 11, new PdfPoint(200, y), font);
                }

                y -= 20;
            }
        }

        return builder.Build();
    }

    /// <summary>An HTML page with a heading, a paragraph and a table (first row = headers).</summary>
    public static byte[] Html(string title, string paragraph, params string[][] table)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(title))
            .Append("</title>\n<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style></head>\n<body>\n<h1>")
            .Append(WebUtility.HtmlEncode(title))
            .Append("</h1>\n<p>")
            .Append(WebUtility.HtmlEncode(paragraph))
            .Append("</p>\n<table>\n");
        for (var r = 0; r < table.Length; r++)
        {
            var tag = r == 0 ? "th" : "td";
            html.Append("  <tr>");
            foreach (var cell in table[r])
            {
                html.Append(CultureInfo.InvariantCulture, $"<{tag}>{WebUtility.HtmlEncode(cell)}</{tag}>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n</body>\n</html>\n");
        return Utf8(html.ToString());
    }

    /// <summary>One RFC 822 message (text body, attachments).</summary>
    public static byte[] Eml(MailMessage mail)
    {
        using var message = Message(mail);
        using var buffer = new MemoryStream();
        message.WriteTo(FormatOptions.Default.Clone(), buffer);
        return buffer.ToArray();
    }

    /// <summary>An mbox mailbox: each message after a <c>From </c> separator line.</summary>
    public static byte[] Mbox(params MailMessage[] mails)
    {
        using var buffer = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Unix;
        foreach (var mail in mails)
        {
            var separator = string.Create(CultureInfo.InvariantCulture, $"From {Address(mail.From)} {mail.Date.UtcDateTime:ddd MMM d HH:mm:ss yyyy}\n");
            buffer.Write(Encoding.ASCII.GetBytes(separator));
            using var message = Message(mail);
            message.WriteTo(options, buffer);
            buffer.Write("\n"u8);
        }

        return buffer.ToArray();
    }

    /// <summary>A zip archive (entries in order, fixed timestamps).</summary>
    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = Stamp;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A gzip-compressed tar (ustar/pax entries, fixed timestamps).</summary>
    public static byte[] TarGz(params (string Name, byte[] Content)[] entries)
    {
        using var tarBuffer = new MemoryStream();
        using (var tar = new TarWriter(tarBuffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name, new Dictionary<string, string>())
                {
                    DataStream = new MemoryStream(content),
                    ModificationTime = Stamp,
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
                    UserName = "backup",
                    GroupName = "backup",
                });
            }
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tarBuffer.ToArray());
        }

        return buffer.ToArray();
    }

    /// <summary>A 7z archive written by SharpCompress (LZMA).</summary>
    public static byte[] SevenZip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new SharpCompress.Writers.SevenZip.SevenZipWriter(
            buffer, new SharpCompress.Writers.SevenZip.SevenZipWriterOptions { LeaveStreamOpen = true }))
        {
            foreach (var (name, content) in entries)
            {
                writer.Write(name, new MemoryStream(content), Stamp.UtcDateTime);
            }
        }

        return buffer.ToArray();
    }

    private static MimeMessage Message(MailMessage mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(mail.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Date = mail.Date;
        message.MessageId = string.Create(CultureInfo.InvariantCulture, $"{mail.Date.ToUnixTimeSeconds()}.{Math.Abs(StableHash(mail.Subject))}@mail.example.org");
        var body = new TextPart("plain") { Text = mail.Body };
        if (mail.Attachments.Length == 0)
        {
            message.Body = body;
            return message;
        }

        var mixed = new Multipart("mixed") { Boundary = "=-boundary-" + message.MessageId.Split('.')[0] };
        mixed.Add(body);
        foreach (var attachment in mail.Attachments)
        {
            mixed.Add(new MimePart(ContentType.Parse(attachment.MediaType))
            {
                Content = new MimeContent(new MemoryStream(attachment.Content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = attachment.Name,
            });
        }

        message.Body = mixed;
        return message;
    }

    private static string Address(string mailbox) => MailboxAddress.Parse(mailbox).Address;

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash == int.MinValue ? 0 : hash;
    }

    /// <summary>Rewrites an Office package with fixed entry timestamps, so the bytes do not depend on the clock.</summary>
    private static byte[] Repack(byte[] package)
    {
        using var input = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                var copy = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = Stamp;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }

        return output.ToArray();
    }
}
