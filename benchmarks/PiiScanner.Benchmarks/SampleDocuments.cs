using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MimeKit;
using PiiScanner.Testing;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace PiiScanner.Benchmarks;

/// <summary>Builds synthetic documents of each format in memory for the extraction benchmarks.</summary>
internal static class SampleDocuments
{
    public static string[] Lines(int count)
        => Enumerable.Range(0, count).Select(i => string.Create(
            CultureInfo.InvariantCulture,
            $"Patient: Jane {(char)('A' + (i % 26))}. Doe{i}  DOB: 03/04/1961  SSN: {100 + (i % 500):000}-{10 + (i % 80):00}-{1000 + (i % 8000):0000}  Notes: follow-up in two weeks.")).ToArray();

    public static byte[] Text(int lines) => Encoding.UTF8.GetBytes(string.Join('\n', Lines(lines)) + "\n");

    public static byte[] Utf16(int lines) => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(string.Join('\n', Lines(lines)) + "\n")];

    public static byte[] Csv(int rows)
    {
        var sb = new StringBuilder("First Name,Last Name,SSN,DOB,Address,City,State,Zip\n");
        for (var i = 0; i < rows; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Jane,Doe{i},{100 + (i % 500):000}-{10 + (i % 80):00}-{1000 + (i % 8000):0000},03/04/1961,\"{i} Oak St\",Helena,MT,59601\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static byte[] Json(int records)
    {
        var sb = new StringBuilder("{\"patients\":[");
        for (var i = 0; i < records; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",");
            sb.Append(CultureInfo.InvariantCulture, $"{{\"name\":{{\"first\":\"Jane\",\"last\":\"Doe{i}\"}},\"dob\":\"1961-03-04\",\"ssn\":\"{100 + (i % 500):000}-{10 + (i % 80):00}-{1000 + (i % 8000):0000}\"}}");
        }

        return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
    }

    public static byte[] Docx(int paragraphs)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new W.Body();
            foreach (var line in Lines(paragraphs))
            {
                body.Append(new W.Paragraph(new W.Run(new W.Text(line))));
            }

            main.Document = new W.Document(body);
        }

        return stream.ToArray();
    }

    public static byte[] Xlsx(int rows)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(Row(1, "First Name", "Last Name", "SSN", "DOB"));
            for (var i = 0; i < rows; i++)
            {
                data.Append(Row((uint)i + 2, "Jane", "Doe" + i.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"{100 + (i % 500):000}-{10 + (i % 80):00}-{1000 + (i % 8000):0000}"), "03/04/1961"));
            }

            sheetPart.Worksheet = new Worksheet(data);
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Patients" });
        }

        return stream.ToArray();

        static Row Row(uint index, params string[] values)
        {
            var row = new Row { RowIndex = index };
            for (var c = 0; c < values.Length; c++)
            {
                row.Append(new Cell
                {
                    CellReference = ((char)('A' + c)).ToString() + index.ToString(CultureInfo.InvariantCulture),
                    DataType = CellValues.InlineString,
                    InlineString = new InlineString(new Text(values[c])),
                });
            }

            return row;
        }
    }

    public static byte[] Pdf(int pages, int linesPerPage)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var lines = Lines(pages * linesPerPage);
        for (var p = 0; p < pages; p++)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.Letter);
            for (var l = 0; l < linesPerPage; l++)
            {
                page.AddText(lines[(p * linesPerPage) + l][..Math.Min(90, lines[(p * linesPerPage) + l].Length)], 9, new UglyToad.PdfPig.Core.PdfPoint(30, 760 - (l * 14)), font);
            }
        }

        return builder.Build();
    }

    public static byte[] Eml(int lines)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Intake Desk", "intake@example.org"));
        message.To.Add(new MailboxAddress("Records", "records@example.org"));
        message.Subject = "Applicants";
        var body = new BodyBuilder { TextBody = string.Join('\n', Lines(lines)) };
        body.Attachments.Add("applicants.csv", Csv(lines));
        message.Body = body.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    public static byte[] Zip(int rows)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "a.csv", "nested/b.csv" })
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(Csv(rows));
            }
        }

        return stream.ToArray();
    }

    public static byte[] Pptx(int slides)
    {
        var lines = Lines(slides * 3);
        return FormatFiles.Pptx([.. Enumerable.Range(0, slides).Select(s => (
            "Client " + s.ToString(CultureInfo.InvariantCulture),
            lines[(s * 3)..((s * 3) + 3)],
            (string?)"Speaker notes: check the SSN before sharing."))]);
    }

    public static byte[] Html(int rows)
    {
        var table = new List<string[]> { new[] { "Name", "SSN", "DOB", "Address" } };
        for (var i = 0; i < rows; i++)
        {
            table.Add([
                "Jane Doe" + i.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{100 + (i % 500):000}-{10 + (i % 80):00}-{1000 + (i % 8000):0000}"),
                "03/04/1961",
                string.Create(CultureInfo.InvariantCulture, $"{i} Oak St, Helena, MT 59601")]);
        }

        return FormatFiles.Html("Clients", "All clients.", [.. table]);
    }

    public static byte[] Mbox(int messages, int linesPerMessage)
    {
        var lines = Lines(messages * linesPerMessage);
        var date = new DateTimeOffset(2021, 3, 1, 9, 0, 0, TimeSpan.Zero);
        return FormatFiles.Mbox([.. Enumerable.Range(0, messages).Select(m => new PiiScanner.Testing.MailMessage(
            "Intake Desk <intake@example.org>",
            "Records <records@example.org>",
            "Client " + m.ToString(CultureInfo.InvariantCulture),
            date.AddMinutes(m),
            string.Join('\n', lines[(m * linesPerMessage)..((m + 1) * linesPerMessage)]) + "\n"))]);
    }

    public static byte[] TarGz(int rows) => FormatFiles.TarGz(("a.csv", Csv(rows)), ("nested/b.csv", Csv(rows)));

    public static byte[] SevenZip(int rows) => FormatFiles.SevenZip(("a.csv", Csv(rows)), ("nested/b.csv", Csv(rows)));
}
