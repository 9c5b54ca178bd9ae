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
    /// Runs <paramref name="open"/>; when the package cannot be opened because it is damaged, records
    /// <c>corrupt: …</c> on the context and returns null.
    /// </summary>
    public static T? TryOpen<T>(ExtractionContext context, Func<T> open)
        where T : class
    {
        try
        {
            return open();
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            context.Skip("corrupt: " + Describe(ex));
            return null;
        }
    }

    /// <summary>True for the exceptions a truncated or malformed package raises.</summary>
    public static bool IsDamage(Exception ex) => ex is OpenXmlPackageException or InvalidDataException or FileFormatException
        or XmlException or EndOfStreamException or NotSupportedException;

    /// <summary>A short reason for a damaged package that never quotes its content.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        InvalidDataException or EndOfStreamException => "not a readable zip package (truncated or damaged)",
        FileFormatException => "invalid package structure",
        XmlException => "malformed XML in a package part",
        OpenXmlPackageException => "invalid Office package",
        NotSupportedException => "unsupported package feature",
        _ => "unreadable Office package",
    };
}
