namespace PiiScanner.Sources;

/// <summary>
/// One thing to scan: a file on a share, a member of an archive, a mail attachment, a file inside a disk image,
/// or a run of raw bytes (unallocated space). Immutable.
/// </summary>
/// <param name="Path">
/// Logical path relative to the scanned root, with <c>/</c> separators; container members are joined with
/// <c>!</c> (<c>Backups/nightly.zip!nested/2021.zip!old_clients.csv</c>).
/// </param>
/// <param name="Length">Size in bytes when known (archives can lie; extractors never trust it for limits).</param>
/// <param name="Open">
/// Opens the content read-only. The caller owns and disposes the stream. Null for items that are recorded but
/// never opened (links, devices, FIFOs) — those carry a <see cref="SkipReason"/>.
/// </param>
public sealed record ScanItem(string Path, long? Length, Func<CancellationToken, Stream>? Open)
{
    /// <summary>When set, the item is recorded as <c>skipped</c> with this reason and never opened.</summary>
    public string? SkipReason { get; init; }

    /// <summary>Container nesting depth: 0 for a file on the share, 1 for a member of an archive on it, …</summary>
    public int Depth { get; init; }

    /// <summary>Where the bytes came from when it is not a plain file (disk images, unallocated space).</summary>
    public ItemOrigin? Origin { get; init; }

    /// <summary>
    /// Name of the extractor to use instead of sniffing (e.g. <c>raw</c> for unallocated space), or null to sniff.
    /// </summary>
    public string? ExtractorHint { get; init; }

    /// <summary>Last-modified time when the source knows it.</summary>
    public DateTimeOffset? Modified { get; init; }

    /// <summary>
    /// The file's inode when the source knows it (files on a Unix share). With <see cref="Length"/> and
    /// <see cref="Modified"/> it tells a rescan (<c>--since</c>) or a resumed scan that a file is unchanged.
    /// </summary>
    public long? FileId { get; init; }

    /// <summary>
    /// For raw runs of a disk image: names the file that owns a byte at an image offset (see
    /// <see cref="DiskImageSource.LocateAsync"/>), or null when nothing can be said. The pipeline calls it for the
    /// image offsets of the item's findings (a bounded number per item) and records the answer as
    /// <see cref="Detection.Finding.Owner"/>. Null for items that cannot be located.
    /// </summary>
    public Func<long, CancellationToken, Task<string?>>? LocateOffset { get; init; }

    /// <summary>
    /// Read-only access to the files beside the item (a copybook next to a data file), or null when the source
    /// offers none (container members, disk images, single files given on their own).
    /// </summary>
    public IItemSiblings? Siblings { get; init; }
}

/// <summary>
/// Forensic provenance of an item read out of a disk image: which partition, which file-system address,
/// whether the name was deleted, and where in the image the bytes start (for raw runs).
/// </summary>
public sealed record ItemOrigin
{
    /// <summary>Partition index or label (as <c>mmls</c> lists it), null for an unpartitioned image.</summary>
    public string? Partition { get; init; }

    /// <summary>File-system address (inode / MFT entry) as The Sleuth Kit reports it, e.g. <c>12</c> or <c>35-128-1</c>.</summary>
    public string? Inode { get; init; }

    /// <summary>True when the directory entry is deleted (the content may be partly overwritten).</summary>
    public bool Deleted { get; init; }

    /// <summary>Byte offset of the item's first byte in the image, for raw runs such as unallocated space.</summary>
    public long? ImageOffset { get; init; }
}
