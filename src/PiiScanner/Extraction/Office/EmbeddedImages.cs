using DocumentFormat.OpenXml.Packaging;
using PiiScanner.Extraction.Ocr;

namespace PiiScanner.Extraction.Office;

/// <summary>
/// Pictures inside an Office document (a scanned form pasted into a Word file, a photographed ID on a slide or in a
/// workbook): each PNG, JPEG, TIFF or BMP part big enough to hold text is scanned as a member
/// <c>notes.docx!word/media/image1.png</c>, which the image extractor
/// reads with OCR (or records as <c>skipped</c>/<c>partial</c> with the reason it could not). Icons, bullets and
/// small logos are counted (<c>smallImages</c>) and not read. Bounded by count and bytes per document.
/// </summary>
internal static class EmbeddedImages
{
    /// <summary>Smallest picture (width × height) read: a line of text at 200 dpi is about 1600 × 60.</summary>
    internal const long MinPixels = 60_000;

    private const int MaxImages = 200;
    private const long MaxBytes = 256L << 20;

    /// <summary>Collects the pictures under <paramref name="part"/> (the main part of a document) in package order.</summary>
    public static List<(string Name, byte[] Data)> Collect(ExtractionContext context, OpenXmlPart part)
    {
        var images = new List<(string, byte[])>();
        var seen = new HashSet<Uri>();
        var total = 0L;
        foreach (var image in ImageParts(part))
        {
            if (!seen.Add(image.Uri))
            {
                continue;
            }

            if (images.Count >= MaxImages)
            {
                context.MarkPartial(LimitNames.Entries);
                break;
            }

            using var stream = image.GetStream(FileMode.Open, FileAccess.Read);
            var head = new byte[32];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (ImageHeader.Sniff(head.AsSpan(0, read)) is null)
            {
                continue; // EMF/WMF/SVG drawings: no scan inside
            }

            stream.Position = 0;
            if (total + stream.Length > MaxBytes)
            {
                context.MarkPartial(LimitNames.ExpandedBytes);
                break;
            }

            var data = new byte[stream.Length];
            stream.ReadExactly(data);
            var info = ImageHeader.Read(data);
            if (info is not null && info.Pages.All(p => p.Width * p.Height < MinPixels))
            {
                context.AddCount("smallImages");
                continue;
            }

            total += data.Length;
            images.Add((image.Uri.OriginalString.TrimStart('/'), data));
        }

        return images;
    }

    /// <summary>Every picture part under <paramref name="root"/> (slides, sheets' drawings, headers), each once, in package order.</summary>
    private static IEnumerable<ImagePart> ImageParts(OpenXmlPart root)
    {
        var visited = new HashSet<Uri>();
        var queue = new Queue<OpenXmlPart>([root]);
        while (queue.Count > 0)
        {
            var part = queue.Dequeue();
            if (!visited.Add(part.Uri))
            {
                continue;
            }

            if (part is ImagePart image)
            {
                yield return image;
                continue;
            }

            // Templates: slide masters and layouts, themes (backgrounds and logos on every slide, no one's data).
            if (part is SlideMasterPart or SlideLayoutPart or NotesMasterPart or HandoutMasterPart or ThemePart)
            {
                continue;
            }

            foreach (var child in part.Parts)
            {
                queue.Enqueue(child.OpenXmlPart);
            }
        }
    }

    /// <summary>Scans the collected pictures as members of the document.</summary>
    public static async ValueTask ScanAsync(ExtractionContext context, List<(string Name, byte[] Data)> images, CancellationToken cancellationToken)
    {
        foreach (var (name, data) in images)
        {
            context.AddCount("images");
            var child = ContainerMembers.Child(context, name, data.Length);
            if (!ContainerMembers.DepthAllows(context))
            {
                await ContainerMembers.SkipTooDeepAsync(context, child, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using var content = new MemoryStream(data, writable: false);
            await context.ProcessChildAsync(child, content, cancellationToken).ConfigureAwait(false);
        }
    }
}
