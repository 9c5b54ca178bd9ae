namespace PiiScanner.Extraction;

/// <summary>
/// How scanned paper is read: image files (PNG, JPEG, TIFF including multi-page fax TIFF, BMP) and PDF pages
/// without a text layer are recognised with Tesseract (Debian <c>tesseract-ocr</c>, <c>tesseract-ocr-eng</c>;
/// PDF pages are rendered with poppler's <c>pdftocairo</c>, Debian <c>poppler-utils</c>). On by default.
/// Every limit trips with its name in <c>files.jsonl</c> (<see cref="OcrLimitNames"/>).
/// </summary>
public sealed record OcrOptions
{
    /// <summary>OCR on (the default) or off. Off: image files are <c>skipped</c> and image-only PDF pages make the
    /// PDF <c>partial</c>, both with reason <c>ocr-disabled</c>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Tesseract language(s), as its <c>-l</c> option takes them (<c>eng</c>, <c>eng+spa</c>).</summary>
    public string Language { get; init; } = "eng";

    /// <summary>Resolution PDF pages are rendered at before recognition.</summary>
    public int PdfDpi { get; init; } = 300;

    /// <summary>Most pages recognised in one document (image pages of a TIFF, image-only pages of a PDF).</summary>
    public int MaxPagesPerDocument { get; init; } = 100;

    /// <summary>Wall-clock time allowed for recognising one document (within the item's own time limit).</summary>
    public TimeSpan MaxTimePerDocument { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Largest image (width × height, read from its header before anything decodes it) that is recognised; a bigger
    /// one is a decompression bomb or no scan of paper. 150 megapixels is an A0 sheet at 300 dpi.
    /// </summary>
    public long MaxImagePixels { get; init; } = 150_000_000;

    /// <summary>Largest width or height, in pixels, of an image that is recognised.</summary>
    public int MaxImageDimension { get; init; } = 30_000;

    /// <summary>Largest image file handed to the recogniser.</summary>
    public long MaxImageBytes { get; init; } = 256L << 20;

    /// <summary>The options with OCR off.</summary>
    public static OcrOptions Disabled { get; } = new() { Enabled = false };
}

/// <summary>Reasons recorded for OCR in <c>files.jsonl</c>.</summary>
public static class OcrLimitNames
{
    /// <summary>More pages than <see cref="OcrOptions.MaxPagesPerDocument"/>.</summary>
    public const string Pages = "limit:ocr-pages";

    /// <summary>Recognition took longer than <see cref="OcrOptions.MaxTimePerDocument"/>.</summary>
    public const string Time = "limit:ocr-time";

    /// <summary>An image over <see cref="OcrOptions.MaxImagePixels"/> or <see cref="OcrOptions.MaxImageDimension"/>.</summary>
    public const string ImagePixels = "limit:ocr-image-pixels";

    /// <summary>An image file over <see cref="OcrOptions.MaxImageBytes"/>.</summary>
    public const string ImageBytes = "limit:ocr-image-bytes";

    /// <summary>Reason prefix when Tesseract (or the PDF renderer) is not installed.</summary>
    public const string Unavailable = "ocr-unavailable";

    /// <summary>Reason when OCR was turned off.</summary>
    public const string Disabled = "ocr-disabled";
}
