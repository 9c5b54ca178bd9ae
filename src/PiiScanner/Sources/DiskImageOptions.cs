namespace PiiScanner.Sources;

/// <summary>What <see cref="DiskImageSource"/> reads out of an image. Immutable.</summary>
public sealed record DiskImageOptions
{
    /// <summary>Emit deleted directory entries (and orphan files) as items. On by default.</summary>
    public bool IncludeDeleted { get; init; } = true;

    /// <summary>
    /// Scan unallocated space as raw pages: unallocated data units of every file system, space outside
    /// partitions, and partitions without a file system The Sleuth Kit recognises. On by default.
    /// </summary>
    public bool ScanUnallocated { get; init; } = true;

    /// <summary>
    /// Scan the whole image, byte for byte, as raw pages (like bulk_extractor), in addition to the files.
    /// When on, the unallocated pages are not emitted separately (the whole-image pages cover them).
    /// </summary>
    public bool ScanWholeImage { get; init; }

    /// <summary>Hash the image (SHA-256) before enumerating and again for <see cref="IScanSourceFacts.GetFacts"/>. On by default.</summary>
    public bool HashImage { get; init; } = true;

    /// <summary>
    /// Verify an E01 set with libewf's <c>ewfverify</c> (Debian <c>ewf-tools</c>) before enumerating: every chunk's
    /// checksum and the MD5 over the data against the one stored at acquisition. Reads the whole image once more.
    /// The outcome is the <c>image.ewf.verify</c> fact. On by default.
    /// </summary>
    public bool VerifyEwf { get; init; } = true;

    /// <summary>
    /// Ask The Sleuth Kit (<c>ifind -d</c>, <c>ffind</c>) which file owns the bytes of each raw-page finding, for
    /// <see cref="Detection.Finding.Owner"/> (a bounded number of lookups per page, cached per data unit). On by default.
    /// </summary>
    public bool LocateOwners { get; init; } = true;

    /// <summary>
    /// Folder holding The Sleuth Kit's programs (<c>fls</c>, <c>icat</c>…); null searches <c>PATH</c>.
    /// </summary>
    public string? ToolDirectory { get; init; }

    /// <summary>
    /// The image's name when it is one of several roots of a scan (see <see cref="Scanner.ResolveSource"/>): it
    /// prefixes its items' paths (<c>disk2.E01/p1/home/a.txt</c>) and its facts' keys
    /// (<c>disk2.E01/image.sha256.before</c>), so two images in one scan never share a path or a fact. Null: no prefix.
    /// </summary>
    public string? LogicalName { get; init; }

    /// <summary>
    /// Read only this part of the image (a work unit of a scan cut up for a cluster); null reads all of it. A part
    /// does not hash the image (<see cref="DiskImageSource.HashBeforeAsync"/>), and only one verifies an E01 set
    /// (<see cref="DiskImagePart.VerifiesImage"/>).
    /// </summary>
    public DiskImagePart? Part { get; init; }

    /// <summary>
    /// Read file contents with one <c>icat</c> per file, as when libtsk cannot be loaded, instead of in-process
    /// (benchmarks and tests of the fallback; file slack is then not read).
    /// </summary>
    internal bool ReadWithTools { get; init; }
}
