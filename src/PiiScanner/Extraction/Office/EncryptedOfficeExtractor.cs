namespace PiiScanner.Extraction.Office;

/// <summary>
/// Password-protected Word, Excel and PowerPoint files: the package is encrypted inside an OLE2 compound file
/// (<c>EncryptionInfo</c> and <c>EncryptedPackage</c> streams), so nothing can be read without the password.
/// Recorded as <c>skipped: encrypted</c> rather than swept for strings that would only be ciphertext.
/// Stateless and thread-safe.
/// </summary>
internal sealed class EncryptedOfficeExtractor : IExtractor
{
    private static readonly byte[] Ole2Magic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <inheritdoc />
    public string Name => "office-encrypted";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path)
    {
        if (!head.StartsWith(Ole2Magic))
        {
            return false;
        }

        var names = XlsExtractor.Ole2DirectoryNames(head);
        if (names.Contains("EncryptedPackage") || names.Contains("EncryptionInfo") || names.Contains("\u0006DataSpaces")
            || head.IndexOf("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0"u8) >= 0)
        {
            return true;
        }

        if (names.Overlaps(["Workbook", "Book", "WordDocument", "PowerPoint Document"]))
        {
            return false;
        }

        // The directory lies beyond the head; a compound file named like an Open XML package is an encrypted one.
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".docx" or ".docm" or ".xlsx" or ".xlsm" or ".pptx" or ".pptm" or ".ppsx";
    }

    /// <inheritdoc />
    public ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        context.Detail = "ooxml in OLE2 (encrypted package)";
        context.Skip("encrypted");
        return ValueTask.CompletedTask;
    }
}
