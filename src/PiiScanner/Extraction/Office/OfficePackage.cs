using System.IO.Packaging;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;

namespace PiiScanner.Extraction.Office;

/// <summary>Opens Office packages read-only and turns the ways a damaged package fails into skip reasons.</summary>
internal static class OfficePackage
{
    /// <summary>Settings for read-only opening: no auto-save, markup compatibility left as written.</summary>
    public static OpenSettings ReadOnlySettings { get; } = new() { AutoSave = false };

    /// <summary>
    /// Opens the content as a package with <paramref name="open"/> and reads it with <paramref name="read"/>; when the
    /// package turns out to be damaged, records <c>corrupt: …</c> — skipped when nothing was read yet, else partial.
    /// </summary>
    public static async ValueTask ReadAsync<T>(
        ExtractionContext context, Func<Stream, bool, T> open, Action<T> read, CancellationToken cancellationToken)
        where T : OpenXmlPackage
    {
        var stream = await context.GetSeekableContentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Given a read-only stream, the Open XML SDK copies the whole package into a temporary file (to be able
            // to rewrite malformed URIs): a copy of the evidence on disk. Given a private in-memory copy opened for
            // editing it works in memory; nothing is ever saved (AutoSave is off) and the original is untouched.
            // Only packages over the in-memory limit go the SDK's way.
            using var copy = await InMemoryCopyAsync(stream, context.Limits.MaxInMemoryBytes, cancellationToken).ConfigureAwait(false);
            using var package = copy is null ? open(stream, false) : open(copy, true);
            read(package);
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            var reason = "corrupt: " + Describe(ex);
            if (context.SegmentCount == 0)
            {
                context.Skip(reason);
            }
            else
            {
                context.MarkPartial(reason);
            }
        }
    }

    /// <summary>True for the exceptions a truncated or malformed package raises.</summary>
    private static async ValueTask<MemoryStream?> InMemoryCopyAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        if (!stream.CanSeek || stream.Length > limit)
        {
            return null;
        }

        var copy = new MemoryStream(checked((int)stream.Length));
        stream.Position = 0;
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        copy.Position = 0;
        return copy;
    }

    /// <summary>Whether an exception means the package is damaged (rather than a bug).</summary>
    public static bool IsDamage(Exception ex) => ex is OpenXmlPackageException or InvalidDataException or FileFormatException
        or XmlException or EndOfStreamException or NotSupportedException
        || (ex is InvalidOperationException or ArgumentException or KeyNotFoundException
            && ex.StackTrace is { } trace
            && (trace.Contains("DocumentFormat.OpenXml", StringComparison.Ordinal) || trace.Contains("System.IO.Packaging", StringComparison.Ordinal)));

    /// <summary>A short reason for a damaged package that never quotes its content.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        InvalidDataException or EndOfStreamException => "not a readable zip package (truncated or damaged)",
        FileFormatException => "invalid package structure",
        XmlException => "malformed XML in a package part",
        OpenXmlPackageException => "invalid Office package",
        NotSupportedException => "unsupported package feature",
        InvalidOperationException or ArgumentException or KeyNotFoundException => "invalid package structure",
        _ => "unreadable Office package",
    };
}
