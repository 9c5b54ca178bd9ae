using DocumentFormat.OpenXml.Packaging;
using PiiScanner.Extraction;
using PiiScanner.Extraction.Ocr;
using PiiScanner.Extraction.Pdf;
using PiiScanner.Tests.EndToEnd;
using PiiScanner.Tests.Extraction.Formats;
using PiiScanner.Tests.Shared;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Extraction.Ocr;

/// <summary>
/// Scanned intake forms, made in the test by rendering a form to pixels: PNG, JPEG, multi-page fax TIFF and an
/// image-only PDF are read with Tesseract, and the people on them reach the index with page/line locators.
/// </summary>
public sealed class OcrExtractionTests(ITestOutputHelper output)
{
    private static readonly FormPerson First = ScannedForms.Person(11);
    private static readonly FormPerson Second = ScannedForms.Person(12);
    private static readonly FormPerson Third = ScannedForms.Person(13);

    private static OcrEngine Engine(OcrOptions? options = null) => OcrEngine.Create(options ?? new OcrOptions());

    [Fact]
    public void A_scanned_png_form_comes_out_line_by_line_with_labels_and_confidence()
    {
        if (!OcrTestKit.Have(output))
        {
            return;
        }

        var page = ScannedForms.Render(ScannedForms.TextPdf([First]), 200)[0];
        var (context, segments) = ExtractorHarness.Run(new ImageExtractor(Engine()), ScannedForms.Png(page), "scan.png");

        Assert.Null(context.SkipReason);
        Assert.Empty(context.PartialReasons);
        Assert.Equal(1, context.Counts["ocrPages"]);
        foreach (var s in segments)
        {
            output.WriteLine($"{s.Locator}: {s.Text} ({s.OcrConfidence:0.00})");
        }

        var ssn = Assert.Single(segments, s => s.Text.Contains(First.Ssn, StringComparison.Ordinal));
        Assert.Equal("page 1 line 5", ssn.Locator);
        Assert.Equal("Social Security No", ssn.Label);
        Assert.InRange(ssn.OcrConfidence!.Value, 0.5, 1.0);
        Assert.NotNull(ssn.OcrWords);
        Assert.Equal(First.Ssn, ssn.Text.Substring(ssn.OcrWords[^1].Start, ssn.OcrWords[^1].Length));
        Assert.Contains(segments, s => s.Locator == "page 1 line 3" && s.Text == "Patient Name: " + First.Name);
        Assert.Contains(segments, s => s.Locator == "page 1 line 4" && s.Text == "Date of Birth: " + First.Dob);
    }

    [Fact]
    public void Every_page_of_a_fax_tiff_is_read_and_the_page_limit_cuts_the_rest()
    {
        if (!OcrTestKit.Have(output))
        {
            return;
        }

        var pages = ScannedForms.Render(ScannedForms.TextPdf([First, Second, Third]), 200);
        var tiff = ScannedForms.Tiff(pages, fax: true);

        var (all, segments) = ExtractorHarness.Run(new ImageExtractor(Engine()), tiff, "fax.tif");
        Assert.Null(all.SkipReason);
        Assert.Empty(all.PartialReasons);
        Assert.Equal(3, all.Counts["pages"]);
        Assert.Contains(segments, s => s.Locator == "page 1 line 5" && s.Text.Contains(First.Ssn, StringComparison.Ordinal));
        Assert.Contains(segments, s => s.Locator == "page 2 line 5" && s.Text.Contains(Second.Ssn, StringComparison.Ordinal));
        Assert.Contains(segments, s => s.Locator == "page 3 line 5" && s.Text.Contains(Third.Ssn, StringComparison.Ordinal));

        var (cut, cutSegments) = ExtractorHarness.Run(new ImageExtractor(Engine(new OcrOptions { MaxPagesPerDocument = 2 })), tiff, "fax.tif");
        Assert.Equal([OcrLimitNames.Pages], cut.PartialReasons);
        Assert.DoesNotContain(cutSegments, s => s.Locator.ToString().StartsWith("page 3 ", StringComparison.Ordinal));
        Assert.Contains(cutSegments, s => s.Text.Contains(Second.Ssn, StringComparison.Ordinal));
    }

    [Fact]
    public void Image_only_pdf_pages_are_rendered_and_recognised()
    {
        if (!OcrTestKit.Have(output))
        {
            return;
        }

        var pages = ScannedForms.Render(ScannedForms.TextPdf([First, Second]), 200);
        var pdf = ScannedForms.ImageOnlyPdf(pages);

        var (context, segments) = ExtractorHarness.Run(new PdfExtractor(Engine()), pdf, "scan.pdf");
        Assert.Null(context.SkipReason);
        Assert.Empty(context.PartialReasons);
        Assert.Equal(2, context.Counts["needsOcr"]);
        Assert.Equal(2, context.Counts["ocrPages"]);
        Assert.Contains(segments, s => s.Locator == "page 2 line 5" && s.Text.Contains(Second.Ssn, StringComparison.Ordinal) && s.OcrConfidence is not null);

        var (off, offSegments) = ExtractorHarness.Run(new PdfExtractor(Engine(OcrOptions.Disabled)), pdf, "scan.pdf");
        Assert.Equal([OcrLimitNames.Disabled], off.PartialReasons);
        Assert.Empty(offSegments);
        Assert.Equal(2, off.Counts["needsOcr"]);
    }

    [Fact]
    public void A_scan_with_a_bates_number_drawn_over_it_is_read_both_ways()
    {
        if (!OcrTestKit.Have(output))
        {
            return;
        }

        var pages = ScannedForms.Render(ScannedForms.TextPdf([Third]), 200);
        var pdf = ScannedForms.ImageOnlyPdf(pages, stamp: "CONFIDENTIAL ABC000123");

        var (context, segments) = ExtractorHarness.Run(new PdfExtractor(Engine()), pdf, "production.pdf");
        Assert.Empty(context.PartialReasons);
        Assert.Equal(1, context.Counts["mixedPages"]);
        Assert.Equal("page 1 line 1", segments[0].Locator);
        Assert.Equal("CONFIDENTIAL ABC000123", segments[0].Text);
        Assert.Null(segments[0].OcrConfidence);
        Assert.Contains(segments, s => s.Locator == "page 1 line 6" && s.Text.Contains(Third.Ssn, StringComparison.Ordinal) && s.OcrConfidence is not null);
    }

    [Fact]
    public void Without_tesseract_an_image_is_partial_with_ocr_unavailable_naming_the_package()
    {
        var engine = new OcrEngine(new OcrOptions(), tesseract: null, pdftocairo: null);
        var png = ScannedForms.Png(new GrayPage(20, 20, new byte[400], 200));

        var (context, _) = ExtractorHarness.Run(new ImageExtractor(engine), png, "scan.png");
        Assert.Null(context.SkipReason);
        var reason = Assert.Single(context.PartialReasons);
        Assert.StartsWith("ocr-unavailable", reason, StringComparison.Ordinal);
        Assert.Contains("tesseract-ocr", reason, StringComparison.Ordinal);

        var (off, _) = ExtractorHarness.Run(new ImageExtractor(new OcrEngine(OcrOptions.Disabled, "/usr/bin/tesseract", null)), png, "scan.png");
        Assert.Equal(OcrLimitNames.Disabled, off.SkipReason);
    }

    [Fact]
    public void Decompression_bombs_are_skipped_by_their_headers_and_the_page_and_time_limits_hold()
    {
        // The bomb needs no tool: it is refused before Tesseract would run.
        var engine = new OcrEngine(new OcrOptions(), "/bin/false", null);
        var (bomb, _) = ExtractorHarness.Run(new ImageExtractor(engine), ScannedForms.PngHeaderOnly(100_000, 100_000), "bomb.png");
        Assert.Equal(OcrLimitNames.ImagePixels, bomb.SkipReason);

        // A fax TIFF whose second page declares 100 000 × 100 000 pixels over a few bytes.
        var tiffBomb = ScannedForms.Tiff([new GrayPage(40, 40, new byte[1600], 200), new GrayPage(100_000, 100_000, new byte[64], 200)]);
        var (tiff, _) = ExtractorHarness.Run(new ImageExtractor(engine), tiffBomb, "fax.tif");
        Assert.Equal(OcrLimitNames.ImagePixels, tiff.SkipReason);

        if (!OcrTestKit.Have(output))
        {
            return;
        }

        var page = ScannedForms.Render(ScannedForms.TextPdf([First]), 200)[0];

        // The page limit of a scanned PDF: the first page is read, the PDF is partial.
        var twoPages = ScannedForms.ImageOnlyPdf([page, page]);
        var (limited, limitedSegments) = ExtractorHarness.Run(new PdfExtractor(Engine(new OcrOptions { MaxPagesPerDocument = 1 })), twoPages, "scan.pdf");
        Assert.Equal([OcrLimitNames.Pages], limited.PartialReasons);
        Assert.Equal(1, limited.Counts["ocrPages"]);
        Assert.Contains(limitedSegments, s => s.Locator == "page 1 line 5" && s.Text.Contains(First.Ssn, StringComparison.Ordinal));
        Assert.DoesNotContain(limitedSegments, s => s.Locator.ToString().StartsWith("page 2 ", StringComparison.Ordinal));

        var slow = Engine(new OcrOptions { MaxTimePerDocument = TimeSpan.FromMilliseconds(1) });
        var (timed, _) = ExtractorHarness.Run(new ImageExtractor(slow), ScannedForms.Png(page), "scan.png");
        Assert.Equal(OcrLimitNames.Time, timed.SkipReason);
    }

    [Fact]
    public async Task Scanned_forms_in_every_image_layout_put_their_people_in_the_index_with_page_and_line()
    {
        if (!OcrTestKit.Have(output))
        {
            return;
        }

        using var temp = new TempFolder();
        var share = temp.Combine("share");
        Directory.CreateDirectory(share);
        var people = Enumerable.Range(21, 5).Select(ScannedForms.Person).ToList();
        var renders = ScannedForms.Render(ScannedForms.TextPdf(people), 200);
        await File.WriteAllBytesAsync(Path.Combine(share, "intake.png"), ScannedForms.Png(ScannedForms.Roughen(renders[0], 1)));
        await File.WriteAllBytesAsync(Path.Combine(share, "intake.jpg"), ScannedForms.RenderJpeg(ScannedForms.TextPdf([people[1]]), 200));
        await File.WriteAllBytesAsync(Path.Combine(share, "fax.tif"), ScannedForms.Tiff([renders[2], renders[3]], fax: true));
        await File.WriteAllBytesAsync(Path.Combine(share, "scan.pdf"), ScannedForms.ImageOnlyPdf([renders[4]]));
        var outDir = temp.Combine("out");

        var (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", outDir, "--reveal", "--quiet");
        Assert.True(code == 0, stderr);

        var files = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")).ToDictionary(f => f.GetProperty("path").GetString()!);
        foreach (var (path, extractor) in new[] { ("intake.png", "image"), ("intake.jpg", "image"), ("fax.tif", "image"), ("scan.pdf", "pdf") })
        {
            Assert.Equal("scanned", files[path].GetProperty("status").GetString());
            Assert.Equal(extractor, files[path].GetProperty("extractor").GetString());
        }

        var findings = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "findings.jsonl"));
        var expected = new (FormPerson Person, string Path, int Page)[]
        {
            (people[0], "intake.png", 1), (people[1], "intake.jpg", 1), (people[2], "fax.tif", 1), (people[3], "fax.tif", 2), (people[4], "scan.pdf", 1),
        };
        foreach (var (person, path, page) in expected)
        {
            Assert.Contains(findings, f => Is(f, path, $"page {page} line 5", "ssn", person.Ssn));
            Assert.Contains(findings, f => Is(f, path, $"page {page} line 4", "dob", OcrTestKit.IsoDob(person)));
            Assert.Contains(findings, f => Is(f, path, $"page {page} line 3", "name", person.Name));
        }

        var individuals = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "individuals.jsonl"));
        foreach (var (person, _, _) in expected)
        {
            var individual = Assert.Single(individuals, i => SyntheticShareTests.Strings(i, "ssn").Contains(person.Ssn));
            Assert.Equal(person.Name, individual.GetProperty("name").GetString());
        }

        // --no-ocr: nothing unread is reported scanned.
        var offDir = temp.Combine("off");
        (code, _, stderr) = await CliRunner.RunAsync("scan", share, "--out", offDir, "--quiet", "--no-ocr");
        Assert.True(code == 0, stderr);
        var off = SyntheticShareTests.ReadJsonl(Path.Combine(offDir, "files.jsonl")).ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal("skipped", off["intake.png"].GetProperty("status").GetString());
        Assert.Equal("ocr-disabled", off["fax.tif"].GetProperty("reason").GetString());
        Assert.Equal("partial", off["scan.pdf"].GetProperty("status").GetString());
        Assert.Equal("ocr-disabled", off["scan.pdf"].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_scan_pasted_into_a_word_document_is_a_member_read_by_ocr_and_an_icon_is_not()
    {
        if (!OcrTestKit.Have(output))
        {
            return;
        }

        var page = ScannedForms.Render(ScannedForms.TextPdf([Second]), 200)[0];
        byte[] docx;
        using (var stream = new MemoryStream())
        {
            using (var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Create(stream, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
            {
                var main = document.AddMainDocumentPart();
                main.Document = new DocumentFormat.OpenXml.Wordprocessing.Document(new DocumentFormat.OpenXml.Wordprocessing.Body(
                    new DocumentFormat.OpenXml.Wordprocessing.Paragraph(new DocumentFormat.OpenXml.Wordprocessing.Run(new DocumentFormat.OpenXml.Wordprocessing.Text("Scanned intake attached below.")))));
                var scan = main.AddImagePart(DocumentFormat.OpenXml.Packaging.ImagePartType.Png);
                using (var data = new MemoryStream(ScannedForms.Png(page)))
                {
                    scan.FeedData(data);
                }

                var icon = main.AddImagePart(DocumentFormat.OpenXml.Packaging.ImagePartType.Png);
                using (var data = new MemoryStream(ScannedForms.Png(new GrayPage(32, 32, new byte[32 * 32], 96))))
                {
                    icon.FeedData(data);
                }
            }

            docx = stream.ToArray();
        }

        var host = new PiiScanner.Tests.Extraction.Containers.ContainerTestHost();
        var top = await host.ScanAsync("notes.docx", docx);
        Assert.Equal("scanned", top.Status);
        Assert.Equal(1, top.Counts["images"]);
        Assert.Equal(1, top.Counts["smallImages"]);
        var member = Assert.Single(host.Records, r => r.Depth == 1);
        Assert.Matches(@"^notes\.docx!(word/)?media/image[^/]*\.png$", member.Path);
        Assert.Equal("image", member.Extractor);
        Assert.Contains(member.Segments, s => s.Locator == "page 1 line 5" && s.Text.Contains(Second.Ssn, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_photographed_form_on_a_slide_or_in_a_workbook_is_a_member_read_by_ocr()
    {
        if (!OcrTestKit.Have(output))
        {
            return;
        }

        var png = ScannedForms.Png(ScannedForms.Render(ScannedForms.TextPdf([Third]), 200)[0]);
        var documents = new Dictionary<string, byte[]>
        {
            ["deck.pptx"] = WithPicture(OfficeDocuments.Pptx(), png, presentation: true),
            ["roster.xlsx"] = WithPicture(OfficeDocuments.Xlsx(), png, presentation: false),
        };
        foreach (var (name, bytes) in documents)
        {
            var host = new PiiScanner.Tests.Extraction.Containers.ContainerTestHost();
            var top = await host.ScanAsync(name, bytes);
            Assert.Equal("scanned", top.Status);
            Assert.Equal(1, top.Counts["images"]);
            var member = Assert.Single(host.Records, r => r.Depth == 1);
            Assert.Equal("image", member.Extractor);
            Assert.Contains(member.Segments, s => s.Text.Contains(Third.Ssn, StringComparison.Ordinal));
        }
    }

    private static byte[] WithPicture(byte[] document, byte[] png, bool presentation)
    {
        using var stream = new MemoryStream();
        stream.Write(document);
        stream.Position = 0;
        using (OpenXmlPackage package = presentation ? PresentationDocument.Open(stream, true) : SpreadsheetDocument.Open(stream, true))
        {
            var image = package is PresentationDocument deck
                ? deck.PresentationPart!.SlideParts.First().AddImagePart(ImagePartType.Png)
                : ((SpreadsheetDocument)package).WorkbookPart!.WorksheetParts.First().AddNewPart<DrawingsPart>().AddImagePart(ImagePartType.Png);
            using var data = new MemoryStream(png);
            image.FeedData(data);
        }

        return stream.ToArray();
    }

    private static bool Is(System.Text.Json.JsonElement finding, string path, string locator, string type, string value)
        => finding.GetProperty("path").GetString() == path
           && finding.GetProperty("locator").GetString() == locator
           && finding.GetProperty("type").GetString() == type
           && finding.GetProperty("value").GetString() == value;
}
