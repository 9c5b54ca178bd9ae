using System.Globalization;

namespace PiiScanner.Extraction.Ocr;

/// <summary>
/// Scanned paper as image files — PNG, JPEG, TIFF (every page of a multi-page fax TIFF) and BMP — read with
/// Tesseract (<see cref="OcrEngine"/>): one segment per recognised line, <c>page P line L</c>, with its OCR
/// confidence. Before anything decodes the image, its header's dimensions are checked: a page over
/// <see cref="OcrOptions.MaxImagePixels"/> (a decompression bomb) makes the item <c>skipped</c> with
/// <c>limit:ocr-image-pixels</c>; TIFF pages past <see cref="OcrOptions.MaxPagesPerDocument"/> are cut off
/// (<c>partial</c>, <c>limit:ocr-pages</c>); recognition past <see cref="OcrOptions.MaxTimePerDocument"/> stops
/// with <c>limit:ocr-time</c>. With OCR off the item is <c>skipped</c> (<c>ocr-disabled</c>); without Tesseract it
/// is <c>partial</c> with <c>ocr-unavailable</c> and the Debian packages to install. Never <c>scanned</c> unread.
/// Stateless and thread-safe.
/// </summary>
internal sealed class ImageExtractor(OcrEngine engine) : IExtractor
{
    /// <inheritdoc />
    public string Name => "image";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => ImageHeader.Sniff(head) is not null;

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var format = ImageHeader.Sniff(context.Head.Span);
        context.Detail = format?.ToString().ToLowerInvariant();
        if (engine.ImageUnavailableReason is { } unavailable)
        {
            context.AddCount("needsOcr");
            if (unavailable == OcrLimitNames.Disabled)
            {
                context.Skip(unavailable);
            }
            else
            {
                context.MarkPartial(unavailable);
            }

            return;
        }

        var options = engine.Options;
        if (context.Item.Length is long length && length > options.MaxImageBytes)
        {
            context.Skip(OcrLimitNames.ImageBytes);
            return;
        }

        byte[] data;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await context.Content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > options.MaxImageBytes)
                {
                    context.Skip(OcrLimitNames.ImageBytes);
                    return;
                }

                buffer.Write(chunk, 0, read);
            }

            data = buffer.ToArray();
        }

        var info = ImageHeader.Read(data);
        if (info is null)
        {
            context.Skip(format == ImageFormat.Tiff && data.Length >= 4 && data[2] is 43 or 0 && data[3] is 43 or 0
                ? "unsupported: BigTIFF"
                : "corrupt: unreadable image header");
            return;
        }

        var pages = info.Pages.Count;
        context.AddCount("pages", pages);
        if (info.Pages.Any(p => engine.CheckSize(p.Width, p.Height) is not null))
        {
            context.Skip(OcrLimitNames.ImagePixels);
            return;
        }

        ReadOnlyMemory<byte> input = data;
        if (pages > options.MaxPagesPerDocument)
        {
            input = ImageHeader.TruncateTiff(data, info, options.MaxPagesPerDocument);
            context.MarkPartial(OcrLimitNames.Pages);
        }

        using var document = engine.StartDocument(cancellationToken);
        IReadOnlyList<OcrLine> lines;
        try
        {
            lines = await engine.RecognizeAsync(input, document.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            context.Skip(OcrLimitNames.Time);
            return;
        }
        catch (OcrToolException ex)
        {
            if (ex.Reason.StartsWith(OcrLimitNames.Unavailable, StringComparison.Ordinal))
            {
                context.MarkPartial(ex.Reason);
            }
            else
            {
                context.Skip(ex.Reason);
            }

            return;
        }

        context.AddCount("ocrPages", Math.Min(pages, options.MaxPagesPerDocument));
        var group = 0;
        OcrEngine.Emit(context, lines, page: null, ref group);
        if (lines.Count == 0)
        {
            context.Detail = string.Create(CultureInfo.InvariantCulture, $"{context.Detail}, no text recognised");
        }
    }
}
