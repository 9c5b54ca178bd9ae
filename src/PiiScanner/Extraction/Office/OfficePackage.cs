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
        ExtractionContext context, Func<Stream, T> open, Action<T> read, CancellationToken cancellationToken)
        where T : OpenXmlPackage
    {
        var stream = await context.GetSeekableContentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var package = open(stream);
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
