using System.Globalization;
using PiiScanner.Extraction.Ocr;
using PiiScanner.Extraction.Structure;
using UglyToad.PdfPig;
using UglyToad.PdfPig.AcroForms;
using UglyToad.PdfPig.AcroForms.Fields;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Exceptions;

namespace PiiScanner.Extraction.Pdf;

/// <summary>
/// PDF documents (PdfPig): text per page in reading order, rebuilt from words grouped into lines by baseline —
/// never <c>page.Text</c>, which runs lines together. One segment per line (<c>page P line L</c>, L in reading
/// order), blocks split at large vertical gaps, a two-column region read column by column (<see cref="PdfColumns"/>), "Label:  value" lines kept whole with their label; AcroForm field values as one record
/// (<c>form</c>). Encrypted files open with the empty user password when they can, else <c>skipped: encrypted</c>;
/// pages without a text layer are counted as <c>needsOcr</c> and, when they hold an image or drawing, rendered with
/// poppler and read with Tesseract (<see cref="OcrEngine"/>): their lines come out as <c>page P line L</c> with
/// their OCR confidence (counted as <c>ocrPages</c>). With OCR off or unavailable such a page makes the PDF
/// <c>partial</c> (<c>ocr-disabled</c>, <c>ocr-unavailable: …</c>); OCR's page, time and image-size limits make it
/// <c>partial</c> with the limit's name. A page whose text layer holds only a few words over an image covering half
/// the page or more (a scan with a Bates number or fax header drawn on it) is read both ways (<c>mixedPages</c>),
/// the OCR lines numbered after the text layer's. Checks the time limit between pages. Stateless and thread-safe.
/// </summary>
internal sealed class PdfExtractor(OcrEngine ocr) : IExtractor
{
    private const int SniffWindow = 1024;
    private const int MinOcrDpi = 100;

    // A page with fewer words than this in its text layer over a page-sized image is a scan with a stamp on it.
    private const int MaxOverlayWords = 40;
    private static readonly byte[] Magic = "%PDF-"u8.ToArray();

    /// <summary>Creates the extractor with OCR as configured by default (on, tools from <c>PATH</c>).</summary>
    public PdfExtractor()
        : this(OcrEngine.Create(new OcrOptions()))
    {
    }

    /// <inheritdoc />
    public string Name => "pdf";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path)
        => head[..Math.Min(head.Length, SniffWindow)].IndexOf(Magic) >= 0;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var stream = await context.GetSeekableContentAsync(cancellationToken).ConfigureAwait(false);
        var clock = ItemClock.Start(context);
        if (PdfPrecheck.HasHostileXrefWidths(stream, cancellationToken))
        {
            context.Skip("corrupt: invalid cross-reference stream field widths");
            return;
        }

        PdfDocument document;
        try
        {
            document = PdfDocument.Open(stream, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
        }
        catch (PdfDocumentEncryptedException)
        {
            context.Skip("encrypted");
            return;
        }
        catch (Exception ex) when (IsPdfPigFailure(ex))
        {
            context.Skip("corrupt: " + Describe(ex));
            return;
        }

        using (document)
        {
            context.Detail = "pdf " + document.Version.ToString("0.0", CultureInfo.InvariantCulture)
                + (document.IsEncrypted ? ", encrypted (empty user password)" : string.Empty);
            var group = 0;
            int pageCount;
            try
            {
                pageCount = document.NumberOfPages;
            }
            catch (Exception ex) when (IsPdfPigFailure(ex))
            {
                context.Skip("corrupt: " + Describe(ex));
                return;
            }

            using var ocrDocument = ocr.StartDocument(cancellationToken);
            var ocrState = new OcrState(stream, ocrDocument.Token);
            for (var number = 1; number <= pageCount; number++)
            {
                if (clock.IsOver(context, cancellationToken))
                {
                    return;
                }

                context.AddCount("pages");
                try
                {
                    var page = document.GetPage(number);
                    var (lines, words) = ReadPage(context, page, ref group);
                    if (lines == 0)
                    {
                        context.AddCount("needsOcr");
                        ocrState.Group = group;
                        await RecognizePageAsync(context, page, ocrState, 0, cancellationToken).ConfigureAwait(false);
                        group = ocrState.Group;
                    }
                    else if (words < MaxOverlayWords && IsScanUnderText(page))
                    {
                        // A scanned page with a little text drawn over it (a Bates number, a fax header, a stamp):
                        // the scan is read too, its lines numbered after the text layer's.
                        context.AddCount("mixedPages");
                        ocrState.Group = group;
                        await RecognizePageAsync(context, page, ocrState, lines, cancellationToken).ConfigureAwait(false);
                        group = ocrState.Group;
                    }
                }
                catch (PdfDocumentEncryptedException)
                {
                    context.Skip("encrypted");
                    return;
                }
                catch (Exception ex) when (IsPdfPigFailure(ex))
                {
                    context.AddCount("damagedPages");
                    context.MarkPartial("corrupt: damaged pages");
                }
            }

            try
            {
                ReadForm(context, document, ref group);
            }
            catch (Exception ex) when (IsPdfPigFailure(ex))
            {
                context.MarkPartial("corrupt: damaged form");
            }
        }
    }

    /// <summary>
    /// Reads a page without a text layer with OCR, when it has anything drawn on it. Every reason the page cannot be
    /// read is recorded (the PDF becomes partial); after the page or time limit no further page is recognised.
    /// </summary>
    private async Task RecognizePageAsync(ExtractionContext context, Page page, OcrState state, int linesBefore, CancellationToken cancellationToken)
    {
        var images = page.GetImages().ToList();
        if (images.Count == 0 && page.Paths.Count == 0)
        {
            context.AddCount("blankPages");
            return;
        }

        if (ocr.PdfUnavailableReason is { } unavailable)
        {
            context.MarkPartial(unavailable);
            return;
        }

        if (state.Stopped)
        {
            return;
        }

        var options = ocr.Options;
        if (state.Pages >= options.MaxPagesPerDocument)
        {
            context.MarkPartial(OcrLimitNames.Pages);
            state.Stopped = true;
            return;
        }

        // A hostile embedded image (declared far larger than any scan) is not handed to a decoder.
        if (images.Any(i => ocr.CheckSize(i.WidthInSamples, i.HeightInSamples) is not null))
        {
            context.AddCount("ocrSkippedPages");
            context.MarkPartial(OcrLimitNames.ImagePixels);
            return;
        }

        // Render at the configured resolution, lowered for an oversized page to stay within the pixel limit.
        var dpi = (double)options.PdfDpi;
        var width = page.Width / 72.0;
        var height = page.Height / 72.0;
        if (width > 0 && height > 0)
        {
            var fit = Math.Min(
                Math.Sqrt(options.MaxImagePixels / (width * height)),
                options.MaxImageDimension / Math.Max(width, height));
            dpi = Math.Min(dpi, Math.Floor(fit));
        }

        if (dpi < MinOcrDpi)
        {
            context.AddCount("ocrSkippedPages");
            context.MarkPartial(OcrLimitNames.ImagePixels);
            return;
        }

        var pdf = state.Bytes(options.MaxImageBytes);
        if (pdf is null)
        {
            context.MarkPartial(OcrLimitNames.ImageBytes);
            state.Stopped = true;
            return;
        }

        state.Pages++;
        try
        {
            var png = await ocr.RenderPdfPageAsync(pdf.Value, page.Number, (int)dpi, state.Token).ConfigureAwait(false);
            var lines = await ocr.RecognizeAsync(png, state.Token).ConfigureAwait(false);
            context.AddCount("ocrPages");
            var group = state.Group;
            OcrEngine.Emit(context, lines, page.Number, ref group, linesBefore);
            state.Group = group;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            context.MarkPartial(OcrLimitNames.Time);
            state.Stopped = true;
        }
        catch (OcrToolException ex)
        {
            context.AddCount("ocrFailedPages");
            context.MarkPartial(ex.Reason);
        }
    }

    /// <summary>
    /// Emits the page's lines. Returns false when the page has no text layer (a scan that needs OCR).
    /// </summary>
    private static (int Lines, int Words) ReadPage(ExtractionContext context, Page page, ref int group)
    {
        var words = page.GetWords().Where(w => !string.IsNullOrWhiteSpace(w.Text)).ToList();
        if (words.Count == 0)
        {
            return (0, 0);
        }

        var blocks = PdfLines.Build(words);
        var lineNumber = 0;
        PdfBlock? previous = null;
        foreach (var block in blocks)
        {
            // Lines further apart than two line heights (baseline to baseline) start a new block; the columns of a
            // two-column region stay in one block.
            if (previous is null || previous.Bottom - block.Top > 2 * Math.Max(previous.Size, block.Size)
                || block.Top > previous.Bottom)
            {
                group++;
            }

            previous = block;
            foreach (var text in block.Lines)
            {
                SegmentText.EmitText(context, $"page {page.Number} line {++lineNumber}", text, group, LabelValue.FindLabel(text));
            }
        }

        return (lineNumber, words.Count);
    }

    /// <summary>True when images cover at least half of the page: a scan, whatever text was drawn over it.</summary>
    private static bool IsScanUnderText(Page page)
    {
        var area = page.Width * page.Height;
        if (area <= 0)
        {
            return false;
        }

        var covered = 0.0;
        foreach (var image in page.GetImages())
        {
            covered += Math.Abs(image.BoundingBox.Width * image.BoundingBox.Height);
        }

        return covered >= area / 2;
    }

    private static void ReadForm(ExtractionContext context, PdfDocument document, ref int group)
    {
        if (!document.TryGetForm(out var form))
        {
            return;
        }

        var fields = new List<Field>();
        foreach (var field in form.GetFields())
        {
            var value = FieldValue(field);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var name = field.Information.AlternateName is { Length: > 0 } alternate ? alternate
                : field.Information.PartialName ?? string.Empty;
            var locator = field.PageNumber is { } pageNumber ? $"form page {pageNumber}" : "form";
            fields.Add(new Field(name, value.Trim(), locator));
        }

        if (fields.Count > 0)
        {
            context.AddCount("formFields", fields.Count);
            context.Emit(new Segment("form", string.Empty) { Fields = fields, Group = ++group, GroupKind = GroupKind.Record });
        }
    }

    private static string? FieldValue(AcroFieldBase field) => field switch
    {
        AcroTextField text => text.Value,
        AcroComboBoxField combo => string.Join(", ", combo.SelectedOptions),
        AcroListBoxField list => string.Join(", ", list.SelectedOptions),
        AcroCheckboxField or AcroRadioButtonField or AcroPushButtonField or AcroSignatureField => null,
        _ => null,
    };

    /// <summary>
    /// True for the failures PdfPig raises on damaged files (thrown from inside its code, also when the framework
    /// call it made is what threw); anything else is a bug of ours and propagates.
    /// </summary>
    private static bool IsPdfPigFailure(Exception ex)
        => ex is PdfDocumentFormatException
            || (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException
                    or KeyNotFoundException or InvalidCastException or OverflowException or FormatException
                    or EndOfStreamException or NotSupportedException or InvalidDataException or IOException
                    or ArithmeticException or NotImplementedException
                && ex.StackTrace?.Contains("UglyToad.PdfPig", StringComparison.Ordinal) == true);

    /// <summary>A short reason for a damaged file, chosen from fixed words so that no file content leaks into it.</summary>
    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        if (message.Contains("xref", StringComparison.OrdinalIgnoreCase) || message.Contains("cross reference", StringComparison.OrdinalIgnoreCase))
        {
            return "damaged cross-reference table";
        }

        if (message.Contains("trailer", StringComparison.OrdinalIgnoreCase))
        {
            return "missing trailer";
        }

        if (message.Contains("header", StringComparison.OrdinalIgnoreCase) || message.Contains("version", StringComparison.OrdinalIgnoreCase))
        {
            return "no PDF header";
        }

        if (message.Contains("catalog", StringComparison.OrdinalIgnoreCase) || message.Contains("root", StringComparison.OrdinalIgnoreCase))
        {
            return "missing document catalog";
        }

        if (ex is PdfDocumentStackDepthException)
        {
            return "structure nested too deeply";
        }

        return ex is EndOfStreamException ? "truncated" : "unreadable PDF structure";
    }

    /// <summary>OCR progress through one PDF: pages recognised, the document's OCR deadline, the bytes the renderer reads.</summary>
    private sealed class OcrState(Stream stream, CancellationToken token)
    {
        private ReadOnlyMemory<byte>? _bytes;

        public CancellationToken Token { get; } = token;

        public int Pages { get; set; }

        public int Group { get; set; }

        public bool Stopped { get; set; }

        /// <summary>The whole PDF (read once), or null when it is larger than <paramref name="max"/>.</summary>
        public ReadOnlyMemory<byte>? Bytes(long max)
        {
            if (_bytes is null)
            {
                if (stream.Length > max)
                {
                    return null;
                }

                var position = stream.Position;
                stream.Position = 0;
                var data = new byte[stream.Length];
                stream.ReadExactly(data);
                stream.Position = position;
                _bytes = data;
            }

            return _bytes;
        }
    }
}
