using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace PiiScanner.Tests.Extraction.Formats;

/// <summary>Builds small Office documents in memory with synthetic people.</summary>
internal static class OfficeDocuments
{
    public static byte[] Docx()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new W.Document(new W.Body(
                Heading("Intake summary"),
                Para("Client: Jane Example"),
                Para("Date of Birth: 03/04/1961"),
                Para(string.Empty),
                Para("Follow-up visit scheduled."),
                Table(
                    ["Name", "SSN", "DOB"],
                    ["Jane Example", "123-45-6701", "03/04/1961"],
                    ["John Sample", "123-45-6702", "07/08/1972"]),
                new W.Paragraph(new W.Run(new W.Text("Case note with a box"))
                {
                    // A text box anchored in the paragraph (VML form, as older Word writes it).
                },
                new W.Run(new W.Picture(new DocumentFormat.OpenXml.Vml.Shape(new DocumentFormat.OpenXml.Vml.TextBox(
                    new W.TextBoxContent(Para("Boxed SSN: 123-45-6703")))))))));

            var header = main.AddNewPart<HeaderPart>();
            header.Header = new W.Header(Para("CONFIDENTIAL - Example County Health"));
            var comments = main.AddNewPart<WordprocessingCommentsPart>();
            comments.Comments = new W.Comments(new W.Comment(Para("Check MRN 778899")) { Id = "0", Author = "Reviewer" });
            var footnotes = main.AddNewPart<FootnotesPart>();
            footnotes.Footnotes = new W.Footnotes(new W.Footnote(Para("Source: intake form 12")) { Id = 1 });
        }

        return stream.ToArray();
    }

    public static byte[] Xlsx()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new S.Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new S.Stylesheet(
                new S.NumberingFormats(
                    new S.NumberingFormat { NumberFormatId = 164, FormatCode = "000-00-0000" },
                    new S.NumberingFormat { NumberFormatId = 165, FormatCode = "00000" }),
                new S.Fonts(new S.Font()),
                new S.Fills(new S.Fill()),
                new S.Borders(new S.Border()),
                new S.CellFormats(
                    new S.CellFormat { NumberFormatId = 0 },
                    new S.CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                    new S.CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                    new S.CellFormat { NumberFormatId = 165, ApplyNumberFormat = true }));

            var shared = workbook.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new S.SharedStringTable(
                Shared("Name"), Shared("SSN"), Shared("DOB"), Shared("ZIP"), Shared("Jane Example"), Shared("Total"),
                new S.SharedStringItem(new S.Run(new S.Text("John ")), new S.Run(new S.Text("Sample"))));

            var sheets = workbook.Workbook.AppendChild(new S.Sheets());
            AddSheet(workbook, sheets, 1, "Patients", new S.SheetData(
                Row(1, Str("A1", 0), Str("B1", 1), Str("C1", 2), Str("D1", 3)),
                Row(2, Str("A2", 4), Num("B2", "12345678", 2), Num("C2", "22344", 1), Num("D2", "2134", 3)),
                Row(3, Str("A3", 6), Num("B3", "123456701", 0), Num("C3", "26518", 1), Num("D3", "59601", 3))));
            AddSheet(workbook, sheets, 2, "Billing Q1", new S.SheetData(
                Row(1, Str("A1", 5), Inline("B1", "Amount")),
                Row(2, Inline("A2", "Jane Example"), new S.Cell(new S.CellFormula("SUM(1,2)"), new S.CellValue("3")) { CellReference = "B2" }),
                Row(3, Inline("A3", "John Sample"), new S.Cell(new S.CellFormula("\"ID-\"&\"42\""), new S.CellValue("ID-42")) { CellReference = "B3", DataType = S.CellValues.String })));
        }

        return stream.ToArray();

        static S.SharedStringItem Shared(string text) => new(new S.Text(text));
        static S.Row Row(uint index, params S.Cell[] cells) => new(cells) { RowIndex = index };
        static S.Cell Str(string reference, int index) => new(new S.CellValue(index.ToString(System.Globalization.CultureInfo.InvariantCulture))) { CellReference = reference, DataType = S.CellValues.SharedString };
        static S.Cell Num(string reference, string value, uint style) => new(new S.CellValue(value)) { CellReference = reference, StyleIndex = style };
        static S.Cell Inline(string reference, string text) => new(new S.InlineString(new S.Text(text))) { CellReference = reference, DataType = S.CellValues.InlineString };
    }

    public static byte[] Pptx()
    {
        using var stream = new MemoryStream();
        using (var document = PresentationDocument.Create(stream, PresentationDocumentType.Presentation))
        {
            var presentation = document.AddPresentationPart();
            var slide = presentation.AddNewPart<SlidePart>();
            slide.Slide = new P.Slide(new P.CommonSlideData(new P.ShapeTree(TextShape(null, "Outreach list", "Contact: Jane Example"))));
            var notes = slide.AddNewPart<NotesSlidePart>();
            notes.NotesSlide = new P.NotesSlide(new P.CommonSlideData(new P.ShapeTree(
                TextShape(P.PlaceholderValues.SlideImage, "slide image"),
                TextShape(P.PlaceholderValues.Body, "Her SSN is 123-45-6701"))));
            var second = presentation.AddNewPart<SlidePart>();
            second.Slide = new P.Slide(new P.CommonSlideData(new P.ShapeTree(TextShape(null, "Thank you"))));
            presentation.Presentation = new P.Presentation(new P.SlideIdList(
                new P.SlideId { Id = 256, RelationshipId = presentation.GetIdOfPart(slide) },
                new P.SlideId { Id = 257, RelationshipId = presentation.GetIdOfPart(second) }));
        }

        return stream.ToArray();

        static P.Shape TextShape(P.PlaceholderValues? placeholder, params string[] paragraphs)
        {
            var application = new P.ApplicationNonVisualDrawingProperties();
            if (placeholder is { } type)
            {
                application.PlaceholderShape = new P.PlaceholderShape { Type = type };
            }

            return new P.Shape(
                new P.NonVisualShapeProperties(new P.NonVisualDrawingProperties { Id = 2, Name = "Text" }, new P.NonVisualShapeDrawingProperties(), application),
                new P.ShapeProperties(),
                new P.TextBody([new A.BodyProperties(), .. paragraphs.Select(p => new A.Paragraph(new A.Run(new A.Text(p))))]));
        }
    }

    private static WorksheetPart AddSheet(WorkbookPart workbook, S.Sheets sheets, uint id, string name, S.SheetData data)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        part.Worksheet = new S.Worksheet(data);
        sheets.AppendChild(new S.Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
        return part;
    }

    private static W.Paragraph Para(string text) => new(new W.Run(new W.Text(text) { Space = SpaceProcessingModeValues.Preserve }));

    private static W.Paragraph Heading(string text)
        => new(new W.ParagraphProperties(new W.ParagraphStyleId { Val = "Heading1" }), new W.Run(new W.Text(text)));

    private static W.Table Table(params string[][] rows)
        => new([.. rows.Select(cells => new W.TableRow([.. cells.Select(c => new W.TableCell(Para(c)))]))]);
}
