namespace PiiScanner.Sources;

/// <summary>
/// A part of a disk image that a scan cut into work units (a cluster scan) reads on its own: the files of one volume,
/// or the raw pages that start in one byte range of the image. The parts of <see cref="DiskImageSource.PlanPartsAsync"/>
/// together yield exactly the items of one whole enumeration, with the same paths. Immutable.
/// </summary>
public sealed record DiskImagePart
{
    private DiskImagePart(int? volume, long pagesFrom, long pagesTo) => (Volume, PagesFrom, PagesTo) = (volume, pagesFrom, pagesTo);

    /// <summary>
    /// For a files part: the volume's index, 0-based, in the order the image is enumerated (its file-system
    /// partitions in <c>mmls</c> order; 0 alone for an image without a partition table). Null for a pages part.
    /// </summary>
    public int? Volume { get; }

    /// <summary>For a pages part: the first image offset whose raw page belongs to it.</summary>
    public long PagesFrom { get; }

    /// <summary>For a pages part: the image offset past the part (a page starting here belongs to the next part).</summary>
    public long PagesTo { get; }

    /// <summary>
    /// True for the part that also hashes the image before and after it reads (and verifies an E01 set): volume 0's
    /// files, which every plan has. The other parts do not read the whole image again.
    /// </summary>
    public bool HashesImage => Volume == 0;

    /// <summary>
    /// The files of a volume: every item but the raw pages (its files, deleted entries, slack, and the skipped
    /// items that say what could not be listed).
    /// </summary>
    public static DiskImagePart Files(int volume)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(volume);
        return new DiskImagePart(volume, 0, 0);
    }

    /// <summary>The raw pages (unallocated space, space outside partitions, unlisted volumes, whole-image pages) that start in <c>[from, to)</c>.</summary>
    public static DiskImagePart Pages(long from, long to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        return new DiskImagePart(null, from, to);
    }

    internal bool HasFiles(int volume) => Volume == volume;

    internal bool HasPages(long start, long length) => Volume is null && start < PagesTo && start + length > PagesFrom;

    internal bool HasPage(long start) => Volume is null && start >= PagesFrom && start < PagesTo;
}
