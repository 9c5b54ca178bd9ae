using System.Text;
using PiiScanner.Extraction;
using PiiScanner.Extraction.Pdf;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace PiiScanner.Tests.Extraction.Formats;

public sealed class PdfExtractorTests
{
    [Fact]
    public void Label_and_value_drawn_apart_stay_on_one_line_with_page_and_line_locator()
    {
        var (context, segments) = ExtractorHarness.Run(new PdfExtractor(), IntakeForm(), "intake.pdf");

        Assert.Null(context.SkipReason);
        Assert.Equal(2, context.Counts["pages"]);
        Assert.Equal(1, context.Counts["needsOcr"]);
        Assert.Equal(["page 1 line 1", "page 1 line 2", "page 1 line 3", "page 1 line 4"], segments.Select(s => s.Locator));

        var dob = segments[2];
        Assert.Equal("Date of Birth:  03/04/1961", dob.Text);
        Assert.Equal("Date of Birth", dob.Label);
        Assert.Equal("Name: Jane Example", segments[1].Text);
        Assert.Equal(segments[1].Group, dob.Group);
        Assert.Equal(segments[0].Group, dob.Group);
        Assert.NotEqual(dob.Group, segments[3].Group);
        Assert.Equal("SSN 123-45-6701 on file", segments[3].Text);
    }

    [Fact]
    public void AcroForm_values_come_out_as_one_record()
    {
        var (context, segments) = ExtractorHarness.Run(new PdfExtractor(), FormPdf(), "form.pdf");

        Assert.Null(context.SkipReason);
        var form = Assert.Single(segments, s => s.Locator == "form");
        Assert.Equal(GroupKind.Record, form.GroupKind);
        Assert.Contains(form.Fields!, f => f.Name == "Social Security Number" && f.Value == "123-45-6701");
        Assert.Contains(form.Fields!, f => f.Name == "dob" && f.Value == "1961-03-04");
    }

    [Fact]
    public void Truncated_pdf_gives_a_reason_and_no_crash()
    {
        var bytes = IntakeForm();
        var truncated = bytes[..(bytes.Length / 3)];

        var (context, segments) = ExtractorHarness.Run(new PdfExtractor(), truncated, "cut.pdf");

        // PdfPig's lenient parser may rebuild part of a cut file; either way the outcome is stated.
        Assert.True(context.SkipReason is not null || context.PartialReasons.Count > 0 || segments.Count > 0 || context.Counts.ContainsKey("pages"));
        if (context.SkipReason is { } reason)
        {
            Assert.StartsWith("corrupt:", reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Garbage_after_pdf_magic_is_skipped_as_corrupt()
    {
        var bytes = Encoding.ASCII.GetBytes("%PDF-1.4\nthis is not really a PDF at all\n");
        Assert.True(new PdfExtractor().CanExtract(bytes, "x"));

        var (context, segments) = ExtractorHarness.Run(new PdfExtractor(), bytes, "fake.pdf");

        Assert.Empty(segments);
        Assert.StartsWith("corrupt:", context.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Xref_stream_with_absurd_field_widths_is_skipped_before_pdfpig_overflows_the_stack()
    {
        var bytes = Encoding.ASCII.GetBytes(
            "%PDF-1.3\n13 0 obj\n<</Filter/FlateDecode/Index[7 21]/Length 52/Root 8 0 R/Size 28/Type/XRef/W[1 2 166666666666666666666666666]>>stream\nxx\nendstream\nendobj\nstartxref\n9\n%%EOF\n");

        var (context, segments) = ExtractorHarness.Run(new PdfExtractor(), bytes, "hostile.pdf");

        Assert.Empty(segments);
        Assert.Equal("corrupt: invalid cross-reference stream field widths", context.SkipReason);
    }

    [Fact]
    public void Time_limit_stops_between_pages_and_marks_partial()
    {
        var (context, segments) = ExtractorHarness.Run(
            new PdfExtractor(), IntakeForm(), "intake.pdf", new ExtractionLimits { MaxTimePerItem = TimeSpan.Zero });

        Assert.Contains(LimitNames.Time, context.PartialReasons);
        Assert.Empty(segments);
    }

    [Fact]
    public void Two_column_form_reads_the_left_column_then_the_right_with_each_label_above_its_value()
    {
        var bytes = Page(
            (50, 750, "APPLICATION FOR ASSISTANCE"),
            (50, 710, "Applicant Name"), (50, 694, "Ana Ruiz"),
            (320, 710, "Mailing Address"), (320, 694, "12 Oak St"), (320, 680, "Helena, MT 59601"),
            (50, 660, "Date of Birth"), (50, 644, "03/04/1961"),
            (320, 640, "Reference No."), (320, 624, "688-23-9509"),
            (50, 610, "Social Security Number"), (50, 594, "123-45-6701"),
            (50, 520, "Reviewed by: Karen Whitlow"));

        var (_, segments) = ExtractorHarness.Run(new PdfExtractor(), bytes, "form.pdf");

        Assert.Equal(
            ["APPLICATION FOR ASSISTANCE", "Applicant Name", "Ana Ruiz", "Date of Birth", "03/04/1961", "Social Security Number", "123-45-6701",
                "Mailing Address", "12 Oak St", "Helena, MT 59601", "Reference No.", "688-23-9509", "Reviewed by: Karen Whitlow"],
            segments.Select(s => s.Text));
        Assert.Equal(Enumerable.Range(1, 13).Select(n => $"page 1 line {n}"), segments.Select(s => s.Locator.ToString()));
        Assert.Single(segments.Skip(1).Take(11).Select(s => s.Group).Distinct());
        Assert.NotEqual(segments[0].Group, segments[1].Group);
        Assert.NotEqual(segments[11].Group, segments[12].Group);
    }

    [Fact]
    public void Labels_beside_their_values_in_a_column_are_not_split()
    {
        var bytes = Page(
            (50, 710, "Name:"), (200, 710, "Ana Ruiz"),
            (50, 694, "Date of Birth:"), (200, 694, "03/04/1961"),
            (50, 678, "Address:"), (200, 678, "12 Oak St"), (200, 664, "Helena, MT 59601"),
            (50, 648, "Notes"));

        var (_, segments) = ExtractorHarness.Run(new PdfExtractor(), bytes, "labels.pdf");

        Assert.Equal(["Name:  Ana Ruiz", "Date of Birth:  03/04/1961", "Address:  12 Oak St", "Helena, MT 59601", "Notes"], segments.Select(s => s.Text));
    }

    [Theory]
    [InlineData(80, 150)]
    [InlineData(150, 300)]
    public void Table_rows_are_not_split_into_columns(double second, double third)
    {
        var bytes = Page(
            (50, 710, "Name"), (second, 710, "SSN"), (third, 710, "DOB"),
            (50, 694, "Ana"), (second, 694, "123-45-6701"), (third, 694, "03/04/1961"),
            (50, 678, "Bo"), (second, 678, "123-45-6702"),
            (50, 662, "Cy"), (third, 662, "04/05/1962"),
            (50, 646, "Di"), (second, 646, "123-45-6704"), (third, 646, "05/06/1963"));

        var (_, segments) = ExtractorHarness.Run(new PdfExtractor(), bytes, "table.pdf");

        Assert.Equal(5, segments.Count);
        Assert.StartsWith("Ana", segments[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("03/04/1961", segments[1].Text, StringComparison.Ordinal);
    }

    private static byte[] Page(params (double X, double Y, string Text)[] texts)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.Letter);
        foreach (var (x, y, text) in texts)
        {
            page.AddText(text, 11, new PdfPoint(x, y), font);
        }

        return builder.Build();
    }

    private static byte[] IntakeForm()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.Letter);
        page.AddText("Patient Intake", 14, new PdfPoint(50, 740), font);
        page.AddText("Name: Jane Example", 11, new PdfPoint(50, 718), font);
        page.AddText("Date of Birth:", 11, new PdfPoint(50, 700), font);
        page.AddText("03/04/1961", 11, new PdfPoint(200, 700), font);
        page.AddText("SSN 123-45-6701 on file", 11, new PdfPoint(50, 560), font);
        builder.AddPage(PageSize.Letter);
        return builder.Build();
    }

    /// <summary>A one-page PDF with an AcroForm of two filled text fields, written object by object.</summary>
    private static byte[] FormPdf()
    {
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R] >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R 5 0 R] >>",
            "<< /Type /Annot /Subtype /Widget /FT /Tx /T (ssn) /TU (Social Security Number) /V (123-45-6701) /Rect [100 700 300 720] /P 3 0 R >>",
            "<< /Type /Annot /Subtype /Widget /FT /Tx /T (dob) /V (1961-03-04) /Rect [100 660 300 680] /P 3 0 R >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
