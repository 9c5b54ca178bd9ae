using System.Globalization;
using System.Text;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Ocr;

/// <summary>One recognised line: its page (1-based), Tesseract's block, and its words with their confidences.</summary>
internal sealed record OcrLine(int Page, int Block, IReadOnlyList<(string Text, double Confidence)> Words)
{
    /// <summary>The words joined by single spaces.</summary>
    public string Text => string.Join(' ', Words.Select(w => w.Text));
}

/// <summary>A failure of the recogniser or renderer that makes the page unreadable, with the reason to record.</summary>
internal sealed class OcrToolException : Exception
{
    public OcrToolException(string reason)
        : base(reason) => Reason = reason;

    public OcrToolException()
        : this("ocr-failed") { }

    public OcrToolException(string message, Exception innerException)
        : base(message, innerException) => Reason = message;

    /// <summary>The reason for <c>files.jsonl</c> (fixed words, never the tool's own output).</summary>
    public string Reason { get; }
}

/// <summary>
/// Drives Tesseract (and poppler's <c>pdftocairo</c> for PDF pages): the image goes in on standard input and the
/// words come back as TSV on standard output, so nothing is written to disk and every word keeps its page, block
/// and line. One instance serves all workers; each call runs its own processes. Tesseract runs single-threaded
/// (<c>OMP_THREAD_LIMIT=1</c>): the scan already keeps every core busy with its own workers.
/// </summary>
internal sealed class OcrEngine
{
    /// <summary>The Debian packages that bring Tesseract and its English data.</summary>
    internal const string Packages = "tesseract-ocr tesseract-ocr-eng";

    private const long MaxTsvBytes = 64L << 20;
    private const long MaxRenderBytes = 512L << 20;
    private static readonly Dictionary<string, string> ToolEnvironment = new(StringComparer.Ordinal) { ["OMP_THREAD_LIMIT"] = "1" };

    private readonly string? _tesseract;
    private readonly string? _pdftocairo;

    internal OcrEngine(OcrOptions options, string? tesseract, string? pdftocairo)
    {
        Options = options;
        _tesseract = tesseract;
        _pdftocairo = pdftocairo;
    }

    /// <summary>The options in force.</summary>
    public OcrOptions Options { get; }

    /// <summary>The engine for <paramref name="options"/>, with the tools found on <c>PATH</c>.</summary>
    public static OcrEngine Create(OcrOptions options)
        => new(options, PstExtractor.FindOnPath("tesseract"), PstExtractor.FindOnPath("pdftocairo"));

    /// <summary>
    /// Why images cannot be recognised (OCR off, or Tesseract missing), or null when they can.
    /// </summary>
    public string? ImageUnavailableReason => !Options.Enabled ? OcrLimitNames.Disabled
        : _tesseract is null ? $"{OcrLimitNames.Unavailable}: tesseract not found (install Debian packages {Packages})"
        : null;

    /// <summary>Why image-only PDF pages cannot be recognised, or null when they can.</summary>
    public string? PdfUnavailableReason => ImageUnavailableReason
        ?? (_pdftocairo is null ? $"{OcrLimitNames.Unavailable}: pdftocairo not found (install Debian package poppler-utils)" : null);

    /// <summary>A token that trips after <see cref="OcrOptions.MaxTimePerDocument"/> or with <paramref name="item"/>.</summary>
    public CancellationTokenSource StartDocument(CancellationToken item)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(item);
        source.CancelAfter(Options.MaxTimePerDocument);
        return source;
    }

    /// <summary>The limit a page of this size trips, or null when it may be decoded.</summary>
    public string? CheckSize(long width, long height)
        => width <= 0 || height <= 0 ? null
            : width > Options.MaxImageDimension || height > Options.MaxImageDimension || width * height > Options.MaxImagePixels
                ? OcrLimitNames.ImagePixels
                : null;

    /// <summary>Recognises an image (PNG, JPEG, TIFF — every page of it — BMP, PNM) and returns its lines in reading order.</summary>
    /// <exception cref="OcrToolException">Tesseract failed or its language data is missing.</exception>
    public async Task<IReadOnlyList<OcrLine>> RecognizeAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        var tesseract = _tesseract ?? throw new OcrToolException(ImageUnavailableReason ?? OcrLimitNames.Unavailable);
        var result = await ToolRun.RunAsync(
            tesseract,
            ["stdin", "stdout", "-l", Options.Language, "--psm", "3", "tsv"],
            image,
            MaxTsvBytes,
            cancellationToken,
            ToolEnvironment).ConfigureAwait(false);
        if (result.ExitCode != 0 || result.OutputCut)
        {
            if (result.StdErr.Contains("Failed loading language", StringComparison.Ordinal)
                || result.StdErr.Contains("Error opening data file", StringComparison.Ordinal))
            {
                throw new OcrToolException($"{OcrLimitNames.Unavailable}: no Tesseract data for language '{Options.Language}' (install Debian package tesseract-ocr-{Options.Language.Split('+')[0]})");
            }

            throw new OcrToolException(result.OutputCut
                ? "ocr-failed: recognised text over the size limit"
                : $"ocr-failed: tesseract could not read the image (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)})");
        }

        return ParseTsv(Encoding.UTF8.GetString(result.StdOut));
    }

    /// <summary>Renders one PDF page (1-based) to a grey PNG at <see cref="OcrOptions.PdfDpi"/>.</summary>
    /// <exception cref="OcrToolException">The renderer failed.</exception>
    public async Task<byte[]> RenderPdfPageAsync(ReadOnlyMemory<byte> pdf, int page, int dpi, CancellationToken cancellationToken)
    {
        var pdftocairo = _pdftocairo ?? throw new OcrToolException(PdfUnavailableReason ?? OcrLimitNames.Unavailable);
        var number = page.ToString(CultureInfo.InvariantCulture);
        var result = await ToolRun.RunAsync(
            pdftocairo,
            ["-png", "-gray", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", number, "-l", number, "-singlefile", "-", "-"],
            pdf,
            MaxRenderBytes,
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || result.OutputCut || result.StdOut.Length == 0)
        {
            throw new OcrToolException(result.OutputCut
                ? OcrLimitNames.ImagePixels
                : $"ocr-failed: pdftocairo could not render page {number} (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)})");
        }

        return result.StdOut;
    }

    /// <summary>
    /// Parses Tesseract's TSV (<c>level page_num block_num par_num line_num word_num left top width height conf text</c>):
    /// level-5 rows are words; words of one (page, block, paragraph, line) make a line, in the order Tesseract read them.
    /// </summary>
    internal static List<OcrLine> ParseTsv(string tsv)
    {
        var lines = new List<OcrLine>();
        (int Page, int Block, int Par, int Line) current = (-1, -1, -1, -1);
        List<(string, double)>? words = null;
        foreach (var row in tsv.Split('\n'))
        {
            var cells = row.TrimEnd('\r').Split('\t');
            if (cells.Length < 12 || cells[0] != "5")
            {
                continue;
            }

            var text = cells[11].Trim();
            if (text.Length == 0
                || !int.TryParse(cells[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var page)
                || !int.TryParse(cells[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var block)
                || !int.TryParse(cells[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var par)
                || !int.TryParse(cells[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var line))
            {
                continue;
            }

            var confidence = double.TryParse(cells[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var c) ? Math.Clamp(c / 100.0, 0, 1) : 0;
            var key = (page, block, par, line);
            if (key != current || words is null)
            {
                if (words is { Count: > 0 })
                {
                    lines.Add(new OcrLine(current.Page, current.Block, words));
                }

                current = key;
                words = [];
            }

            words.Add((text, confidence));
        }

        if (words is { Count: > 0 })
        {
            lines.Add(new OcrLine(current.Page, current.Block, words));
        }

        return lines;
    }

    /// <summary>
    /// Emits one segment per line, <c>page P line L</c> (L counted through the page in reading order), grouped by
    /// Tesseract's blocks, labelled as a "Label: value" line is, with the line's and each word's confidence.
    /// </summary>
    /// <param name="context">Where segments go.</param>
    /// <param name="lines">The recognised lines.</param>
    /// <param name="page">The page number to write (a PDF page), or null to take each line's own (a TIFF page).</param>
    /// <param name="group">The item's running group number.</param>
    /// <param name="linesBefore">Lines already emitted for the page (a PDF page's text layer): numbering goes on after them.</param>
    public static void Emit(ExtractionContext context, IReadOnlyList<OcrLine> lines, int? page, ref int group, int linesBefore = 0)
    {
        var lineOnPage = linesBefore;
        var lastPage = -1;
        var lastBlock = -1;
        foreach (var line in lines)
        {
            var number = page ?? line.Page;
            if (number != lastPage)
            {
                lineOnPage = lastPage == -1 ? linesBefore : 0;
                lastBlock = -1;
                lastPage = number;
            }

            if (line.Block != lastBlock)
            {
                group++;
                lastBlock = line.Block;
            }

            var text = new StringBuilder();
            var words = new List<OcrWord>(line.Words.Count);
            var sum = 0.0;
            foreach (var (word, confidence) in line.Words)
            {
                if (text.Length > 0)
                {
                    text.Append(' ');
                }

                words.Add(new OcrWord(text.Length, word.Length, confidence));
                text.Append(word);
                sum += confidence;
            }

            var value = text.ToString();
            lineOnPage++;
            context.Emit(new Segment(Locator.Line(lineOnPage, "page " + number.ToString(CultureInfo.InvariantCulture) + " "), value)
            {
                Group = group,
                Label = LabelValue.FindLabel(value),
                OcrConfidence = Math.Round(sum / line.Words.Count, 4),
                OcrWords = words,
            });
        }

        context.AddCount("ocrLines", lines.Count);
    }
}
