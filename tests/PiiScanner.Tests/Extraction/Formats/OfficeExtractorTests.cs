using PiiScanner.Extraction;
using PiiScanner.Extraction.Office;

namespace PiiScanner.Tests.Extraction.Formats;

public sealed class OfficeExtractorTests
{
    [Fact]
    public void Docx_paragraphs_tables_and_side_parts_come_out_with_locators()
    {
        var bytes = OfficeDocuments.Docx();
        var extractor = new DocxExtractor();
        Assert.True(extractor.CanExtract(bytes.AsSpan(0, Math.Min(bytes.Length, 8192)), "notes.bin"));
        Assert.False(new XlsxExtractor().CanExtract(bytes, "notes.xlsx"));

        var (context, segments) = ExtractorHarness.Run(extractor, bytes, "notes.docx");
        Assert.Null(context.SkipReason);
        Assert.Empty(context.PartialReasons);

        var dob = Assert.Single(segments, s => s.Text == "Date of Birth: 03/04/1961");
        Assert.Equal("paragraph 3", dob.Locator);
        Assert.Equal("Date of Birth", dob.Label);
        var client = Assert.Single(segments, s => s.Text == "Client: Jane Example");
        Assert.Equal(dob.Group, client.Group);
        var heading = Assert.Single(segments, s => s.Text == "Intake summary");
        Assert.Equal(client.Group, heading.Group);
        var after = Assert.Single(segments, s => s.Text == "Follow-up visit scheduled.");
        Assert.Equal("paragraph 5", after.Locator);
        Assert.NotEqual(dob.Group, after.Group);

        var row = Assert.Single(segments, s => s.Locator == "table 1 row 2");
        Assert.Equal(GroupKind.Record, row.GroupKind);
        Assert.Equal(
            [("Name", "Jane Example"), ("SSN", "123-45-6701"), ("DOB", "03/04/1961")],
            row.Fields!.Select(f => (f.Name, f.Value)));
        Assert.Equal("table 1 row 2 col 2", row.Fields![1].Locator);
        Assert.Contains(segments, s => s.Locator == "table 1 row 3" && s.Fields!.Any(f => f.Value == "123-45-6702"));
        Assert.DoesNotContain(segments, s => s.Locator == "table 1 row 1");

        Assert.Contains(segments, s => s.Text == "Boxed SSN: 123-45-6703" && s.Locator.ToString().StartsWith("textbox 1", StringComparison.Ordinal) && s.Label == "Boxed SSN");
        Assert.Contains(segments, s => s.Text == "CONFIDENTIAL - Example County Health" && s.Locator == "header 1 paragraph 1");
        Assert.Contains(segments, s => s.Text == "Check MRN 778899" && s.Locator == "comment 0 paragraph 1");
        Assert.Contains(segments, s => s.Text == "Source: intake form 12" && s.Locator == "footnote 1 paragraph 1");
    }

    [Fact]
    public void Xlsx_rows_carry_headers_formats_and_cell_locators()
    {
        var bytes = OfficeDocuments.Xlsx();
        var extractor = new XlsxExtractor();
        Assert.True(extractor.CanExtract(bytes, "roster.dat"));
        Assert.False(new DocxExtractor().CanExtract(bytes, "roster.docx"));

        // A non-seekable stream (an archive member) must work too.
        var (context, segments) = ExtractorHarness.Run(extractor, bytes, "roster.xlsx", seekable: false);
        Assert.Null(context.SkipReason);
        Assert.Equal(2, context.Counts["sheets"]);

        var jane = Assert.Single(segments, s => s.Locator == "Patients!A2");
        Assert.Equal(GroupKind.Record, jane.GroupKind);
        Assert.Equal(
            [("Name", "Jane Example", "Patients!A2"), ("SSN", "012-34-5678", "Patients!B2"), ("DOB", "1961-03-04", "Patients!C2"), ("ZIP", "02134", "Patients!D2")],
            jane.Fields!.Select(f => (f.Name, f.Value, f.Locator)));

        var john = Assert.Single(segments, s => s.Locator == "Patients!A3");
        Assert.Equal(
            [("Name", "John Sample"), ("SSN", "123456701"), ("DOB", "1972-08-07"), ("ZIP", "59601")],
            john.Fields!.Select(f => (f.Name, f.Value)));
        Assert.DoesNotContain(segments, s => s.Locator == "Patients!A1");

        var billing = segments.Where(s => s.Locator.ToString().StartsWith("'Billing Q1'!", StringComparison.Ordinal)).ToList();
        Assert.Equal(["'Billing Q1'!A2", "'Billing Q1'!A3"], billing.Select(s => s.Locator));
        Assert.Equal(("Amount", "3", "'Billing Q1'!B2"), (billing[0].Fields![1].Name, billing[0].Fields![1].Value, billing[0].Fields![1].Locator));
        Assert.Equal("ID-42", billing[1].Fields![1].Value);
        Assert.NotEqual(jane.Group, john.Group);
    }

    [Fact]
    public void Pptx_slide_text_and_notes_come_out_per_slide()
    {
        var bytes = OfficeDocuments.Pptx();
        var extractor = new PptxExtractor();
        Assert.True(extractor.CanExtract(bytes, "deck"));

        var (context, segments) = ExtractorHarness.Run(extractor, bytes, "deck.pptx");
        Assert.Null(context.SkipReason);
        Assert.Equal(2, context.Counts["slides"]);
        Assert.Contains(segments, s => s.Locator == "slide 1" && s.Text == "Contact: Jane Example" && s.Label == "Contact");
        Assert.Contains(segments, s => s.Locator == "slide 1 notes" && s.Text == "Her SSN is 123-45-6701");
        Assert.DoesNotContain(segments, s => s.Text == "slide image");
        Assert.Contains(segments, s => s.Locator == "slide 2" && s.Text == "Thank you");
    }

    [Theory]
    [InlineData("docx")]
    [InlineData("xlsx")]
    [InlineData("pptx")]
    public void Truncated_office_file_is_skipped_as_corrupt(string kind)
    {
        var bytes = kind switch
        {
            "docx" => OfficeDocuments.Docx(),
            "xlsx" => OfficeDocuments.Xlsx(),
            _ => OfficeDocuments.Pptx(),
        };
        IExtractor extractor = kind switch
        {
            "docx" => new DocxExtractor(),
            "xlsx" => new XlsxExtractor(),
            _ => new PptxExtractor(),
        };
        var truncated = bytes[..(bytes.Length * 2 / 3)];
        Assert.True(extractor.CanExtract(truncated, "x." + kind));

        var (context, _) = ExtractorHarness.Run(extractor, truncated, "x." + kind);
        var reason = context.SkipReason ?? string.Join(';', context.PartialReasons);
        Assert.StartsWith("corrupt:", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Xls_claims_ole2_workbooks_but_not_word_documents()
    {
        var extractor = new XlsExtractor();
        Assert.True(extractor.CanExtract(Ole2With("Root Entry", "Workbook"), "a.bin"));
        Assert.True(extractor.CanExtract(Ole2With("Root Entry", "Book"), "a.bin"));
        Assert.False(extractor.CanExtract(Ole2With("Root Entry", "WordDocument", "1Table"), "a.xls"));
        Assert.False(extractor.CanExtract(Ole2With("Root Entry", "EncryptionInfo", "EncryptedPackage"), "a.xlsx"));
        Assert.False(extractor.CanExtract("PK\u0003\u0004"u8, "a.xls"));
    }

    [Fact]
    public void Password_protected_office_file_is_skipped_as_encrypted()
    {
        var bytes = Ole2With("Root Entry", "\u0006DataSpaces", "EncryptionInfo", "EncryptedPackage");
        var extractor = new EncryptedOfficeExtractor();
        Assert.True(extractor.CanExtract(bytes, "salaries.bin"));
        Assert.False(extractor.CanExtract(Ole2With("Root Entry", "WordDocument"), "letter.doc"));

        var (context, segments) = ExtractorHarness.Run(extractor, bytes, "salaries.xlsx");
        Assert.Equal("encrypted", context.SkipReason);
        Assert.Empty(segments);
    }

    [Fact]
    public void Xls_that_is_not_a_workbook_is_skipped_not_thrown()
    {
        var (context, segments) = ExtractorHarness.Run(new XlsExtractor(), Ole2With("Root Entry", "Workbook"), "a.xls");
        Assert.Empty(segments);
        Assert.NotNull(context.SkipReason ?? context.PartialReasons.FirstOrDefault());
    }

    /// <summary>An OLE2 header plus a first directory sector (sector 0) naming the given streams.</summary>
    private static byte[] Ole2With(params string[] names)
    {
        var bytes = new byte[1024];
        byte[] magic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        magic.CopyTo(bytes, 0);
        BitConverter.GetBytes((ushort)9).CopyTo(bytes, 0x1E);
        BitConverter.GetBytes(0).CopyTo(bytes, 0x30);
        for (var i = 0; i < names.Length; i++)
        {
            var offset = 512 + (i * 128);
            var encoded = System.Text.Encoding.Unicode.GetBytes(names[i]);
            encoded.CopyTo(bytes, offset);
            BitConverter.GetBytes((ushort)(encoded.Length + 2)).CopyTo(bytes, offset + 0x40);
        }

        return bytes;
    }
}
