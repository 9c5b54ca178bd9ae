using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PiiScanner.Extraction.Office;

/// <summary>The Office Open XML document kinds told apart by <see cref="OoxmlSniffer"/>.</summary>
internal enum OoxmlKind
{
    None,
    Word,
    Excel,
    PowerPoint,
}

/// <summary>
/// Tells a Word, Excel or PowerPoint package from any other zip by its content: the main part's content type in
/// <c>[Content_Types].xml</c> when that entry lies within the head, else the part folders (<c>word/</c>,
/// <c>xl/</c>, <c>ppt/</c>) named by the local headers in the head, and only then the extension.
/// Thread-safe (stateless).
/// </summary>
internal static class OoxmlSniffer
{
    private const uint LocalHeaderSignature = 0x04034b50;
    private const int MaxContentTypesBytes = 1 << 20;

    /// <summary>Returns the kind of Office package the head belongs to, or <see cref="OoxmlKind.None"/>.</summary>
    public static OoxmlKind Sniff(ReadOnlySpan<byte> head, string path)
    {
        if (head.Length < 30 || BinaryPrimitives.ReadUInt32LittleEndian(head) != LocalHeaderSignature)
        {
            return OoxmlKind.None;
        }

        var fromNames = OoxmlKind.None;
        var offset = 0;
        while (offset + 30 <= head.Length && BinaryPrimitives.ReadUInt32LittleEndian(head[offset..]) == LocalHeaderSignature)
        {
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(head[(offset + 6)..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(head[(offset + 8)..]);
            var compressedSize = BinaryPrimitives.ReadUInt32LittleEndian(head[(offset + 18)..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(head[(offset + 26)..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(head[(offset + 28)..]);
            var nameStart = offset + 30;
            if (nameStart + nameLength > head.Length)
            {
                break;
            }

            var name = Encoding.UTF8.GetString(head.Slice(nameStart, nameLength));
            var dataStart = nameStart + nameLength + extraLength;
            if (name == "[Content_Types].xml" && (flags & 0x08) == 0 && compressedSize <= MaxContentTypesBytes
                && dataStart + compressedSize <= head.Length)
            {
                var kind = FromContentTypes(head.Slice(dataStart, (int)compressedSize), method);
                if (kind != OoxmlKind.None)
                {
                    return kind;
                }
            }

            if (fromNames == OoxmlKind.None)
            {
                fromNames = FromPartName(name);
            }

            // Entries with a data descriptor do not say their size up front; stop walking there.
            if ((flags & 0x08) != 0)
            {
                break;
            }

            // A size that runs past the head (or overflows) ends the walk: the next header is not in view.
            if (dataStart + (long)compressedSize + 30 > head.Length)
            {
                break;
            }

            offset = dataStart + (int)compressedSize;
        }

        if (fromNames != OoxmlKind.None)
        {
            return fromNames;
        }

        // Nothing conclusive in the head (a zip with data descriptors, a long first entry): the extension decides.
        return HasOfficeExtension(path);
    }

    private static OoxmlKind FromContentTypes(ReadOnlySpan<byte> data, ushort method)
    {
        string xml;
        try
        {
            if (method == 0)
            {
                xml = Encoding.UTF8.GetString(data);
            }
            else if (method == 8)
            {
                using var input = new MemoryStream(data.ToArray(), writable: false);
                using var inflater = new DeflateStream(input, CompressionMode.Decompress);
                using var reader = new StreamReader(inflater, Encoding.UTF8);
                var buffer = new char[MaxContentTypesBytes];
                var read = reader.ReadBlock(buffer, 0, buffer.Length);
                xml = new string(buffer, 0, read);
            }
            else
            {
                return OoxmlKind.None;
            }
        }
        catch (InvalidDataException)
        {
            return OoxmlKind.None;
        }

        // Main-part content types: document/template/macro-enabled variants of each application.
        if (xml.Contains("wordprocessingml.document.main+xml", StringComparison.Ordinal)
            || xml.Contains("wordprocessingml.template.main+xml", StringComparison.Ordinal)
            || xml.Contains("application/vnd.ms-word.", StringComparison.Ordinal))
        {
            return OoxmlKind.Word;
        }

        if (xml.Contains("spreadsheetml.sheet.main+xml", StringComparison.Ordinal)
            || xml.Contains("spreadsheetml.template.main+xml", StringComparison.Ordinal)
            || xml.Contains("application/vnd.ms-excel.sheet.macroEnabled.main+xml", StringComparison.Ordinal)
            || xml.Contains("application/vnd.ms-excel.template.macroEnabled.main+xml", StringComparison.Ordinal))
        {
            return OoxmlKind.Excel;
        }

        if (xml.Contains("presentationml.presentation.main+xml", StringComparison.Ordinal)
            || xml.Contains("presentationml.template.main+xml", StringComparison.Ordinal)
            || xml.Contains("presentationml.slideshow.main+xml", StringComparison.Ordinal)
            || xml.Contains("application/vnd.ms-powerpoint.", StringComparison.Ordinal))
        {
            return OoxmlKind.PowerPoint;
        }

        return OoxmlKind.None;
    }

    private static OoxmlKind FromPartName(string name)
    {
        if (name.StartsWith("word/", StringComparison.Ordinal))
        {
            return OoxmlKind.Word;
        }

        if (name.StartsWith("xl/", StringComparison.Ordinal))
        {
            return OoxmlKind.Excel;
        }

        return name.StartsWith("ppt/", StringComparison.Ordinal) ? OoxmlKind.PowerPoint : OoxmlKind.None;
    }

    private static OoxmlKind HasOfficeExtension(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".docx" or ".docm" or ".dotx" or ".dotm" => OoxmlKind.Word,
            ".xlsx" or ".xlsm" or ".xltx" or ".xltm" => OoxmlKind.Excel,
            ".pptx" or ".pptm" or ".potx" or ".potm" or ".ppsx" or ".ppsm" => OoxmlKind.PowerPoint,
            _ => OoxmlKind.None,
        };
    }
}
