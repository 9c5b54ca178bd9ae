namespace PiiScanner.Extraction;

/// <summary>
/// The ordered list of extractors. The first whose <see cref="IExtractor.CanExtract"/> accepts the content wins,
/// so specific formats come before generic ones (zip-based Office formats before zip, text last).
/// Immutable and thread-safe.
/// </summary>
internal sealed class ExtractorRegistry
{
    private readonly IExtractor[] _extractors;

    /// <summary>Creates a registry of extractors in priority order.</summary>
    public ExtractorRegistry(IEnumerable<IExtractor> extractors) => _extractors = [.. extractors];

    /// <summary>The built-in extractors, most specific first, with the name vocabulary shipped next to the application.</summary>
    public static ExtractorRegistry CreateDefault() => CreateDefault(Tables.NameVocabulary.LoadDefault());

    /// <summary>The built-in extractors; <paramref name="names"/> helps name the columns of tables without a header.</summary>
    internal static ExtractorRegistry CreateDefault(Tables.NameVocabulary names) => CreateDefault(names, new OcrOptions());

    /// <summary>The built-in extractors, with OCR as <paramref name="ocr"/> says.</summary>
    internal static ExtractorRegistry CreateDefault(Tables.NameVocabulary names, OcrOptions ocr)
        => CreateDefault(names, Ocr.OcrEngine.Create(ocr));

    /// <summary>The built-in extractors, recognising scans with <paramref name="ocr"/>.</summary>
    internal static ExtractorRegistry CreateDefault(Tables.NameVocabulary names, Ocr.OcrEngine ocr) => new(
    [
        // one line per extractor, most specific first
        new Office.DocxExtractor(),      // zip whose main part is a Word document (before any generic zip)
        new Office.XlsxExtractor(),      // zip whose main part is a workbook
        new Office.PptxExtractor(),      // zip whose main part is a presentation
        new Office.XlsExtractor(),       // OLE2 with a Workbook stream (not .doc)
        new Office.EncryptedOfficeExtractor(), // OLE2 holding a password-protected docx/xlsx/pptx
        new Pdf.PdfExtractor(ocr),       // %PDF- in the first KiB; image-only pages through OCR
        new Ocr.ImageExtractor(ocr),     // PNG, JPEG, TIFF, BMP scans through OCR (before the strings sweep)

        // Mail and archives: after the zip-based Office formats and PDF (a docx is a zip), before markup and
        // text (an .eml with an HTML body is mail first). Magic-number formats, then header-sniffed mail.
        new PstExtractor(),
        new MsgExtractor(),              // OLE2 with MAPI property streams (after the OLE2 Office formats above)
        new SevenZipExtractor(),
        new ZipExtractor(),
        new CompressedStreamExtractor(CompressedFormat.Gzip),
        new CompressedStreamExtractor(CompressedFormat.Bzip2),
        new CompressedStreamExtractor(CompressedFormat.Xz),
        new TarExtractor(),
        new MboxExtractor(),
        new EmlExtractor(),

        new Sql.SqlDumpExtractor(),      // mysqldump / pg_dump / CREATE TABLE, INSERT INTO, COPY scripts: before markup
                                         // (string values may hold HTML), json and delimited tables
        new Markup.HtmlExtractor(),      // markup with HTML elements (before xml)
        new Markup.XmlExtractor(),       // any other markup
        new JsonExtractor(),
        new FixedWidth.FixedWidthExtractor(), // constant-width records without delimiters (before delimited and text)
        new DelimitedExtractor(names),
        new TextExtractor(),

        // Printable-strings sweep: claims binaries nothing above understood (.doc, unknown formats); goes just
        // before the generic `binary` skip, which then only sees compressed media and empty files.
        new StringsExtractor(),
        new BinaryExtractor(), // accepts anything: must stay last
        new Raw.RawExtractor(), // never sniffed (CanExtract is false): chosen by the "raw" hint of disk-image pages
    ]);

    /// <summary>The extractors in priority order.</summary>
    public IReadOnlyList<IExtractor> Extractors => _extractors;

    /// <summary>Picks the extractor for the content, or null when none accepts it.</summary>
    public IExtractor? Select(ReadOnlySpan<byte> head, string path)
    {
        foreach (var extractor in _extractors)
        {
            if (extractor.CanExtract(head, path))
            {
                return extractor;
            }
        }

        return null;
    }

    /// <summary>Finds an extractor by name (for <see cref="Sources.ScanItem.ExtractorHint"/>).</summary>
    public IExtractor? Find(string name)
        => Array.Find(_extractors, e => string.Equals(e.Name, name, StringComparison.Ordinal));
}
