namespace PiiScanner.Sources;

/// <summary>
/// A part of a disk image that a scan cut into work units (a cluster scan) reads on its own: the files of one volume
/// (or of one range of its file paths), or the raw pages that start in one byte range of the image. The parts of
/// <see cref="DiskImageSource.PlanPartsAsync"/> together yield exactly the items of one whole enumeration, with the
/// same paths. Immutable.
/// </summary>
public sealed record DiskImagePart
{
    private DiskImagePart(int? volume, string? filesFrom, string? filesTo, long pagesFrom, long pagesTo)
        => (Volume, FilesFrom, FilesTo, PagesFrom, PagesTo) = (volume, filesFrom, filesTo, pagesFrom, pagesTo);

    /// <summary>
    /// For a files part: the volume's index, 0-based, in the order the image is enumerated (its file-system
    /// partitions in <c>mmls</c> order; 0 alone for an image without a partition table). Null for a pages part.
    /// </summary>
    public int? Volume { get; }

    /// <summary>
    /// For a files part that holds a range of the volume's file paths: the first path it holds (ordinal order; the
    /// item path after the volume's label and <c>/</c>, as <c>docs/a.txt</c> or <c>gone.txt#13</c>). Null: from the
    /// first. The first part of a volume (this null) also yields the volume's skipped items (a listing that failed,
    /// a volume without a file system).
    /// </summary>
    public string? FilesFrom { get; }

    /// <summary>For a files part: the path past its last (the next part's <see cref="FilesFrom"/>); null: to the last.</summary>
    public string? FilesTo { get; }

    /// <summary>For a pages part: the first image offset whose raw page belongs to it.</summary>
    public long PagesFrom { get; }

    /// <summary>For a pages part: the image offset past the part (a page starting here belongs to the next part).</summary>
    public long PagesTo { get; }

    /// <summary>
    /// True for the part that verifies an E01 set (<c>ewfverify</c>): volume 0's first files part, which every plan
    /// has. No part hashes the image: whoever reads the parts hashes it before the first and after the last
    /// (<see cref="DiskImageSource.HashBeforeAsync"/>, then <see cref="DiskImageSource.GetFacts"/>).
    /// </summary>
    public bool VerifiesImage => Volume == 0 && FilesFrom is null;

    /// <summary>
    /// The files of a volume: every item but the raw pages (its files, deleted entries, slack, and the skipped
    /// items that say what could not be listed).
    /// </summary>
    public static DiskImagePart Files(int volume) => Files(volume, null, null);

    /// <summary>
    /// The files of a volume whose paths (see <see cref="FilesFrom"/>) are in <c>[from, to)</c> in ordinal order, with
    /// their slack; null bounds are open. Every part of a volume lists the volume (<c>fls -r -p</c>) and keeps its range.
    /// </summary>
    public static DiskImagePart Files(int volume, string? from, string? to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(volume);
        if (from is not null && to is not null && string.CompareOrdinal(from, to) >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(to), "the range of paths is empty");
        }

        return new DiskImagePart(volume, from, to, 0, 0);
    }

    /// <summary>The raw pages (unallocated space, space outside partitions, unlisted volumes, whole-image pages) that start in <c>[from, to)</c>.</summary>
    public static DiskImagePart Pages(long from, long to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        return new DiskImagePart(null, null, null, from, to);
    }

    internal bool HasFiles(int volume) => Volume == volume;

    /// <summary>The first files part of <paramref name="volume"/>: it yields the volume's own skipped items and lists it in <c>image.partitions</c>.</summary>
    internal bool IsFirstOf(int volume) => Volume == volume && FilesFrom is null;

    internal bool HasFile(string path) => (FilesFrom is null || string.CompareOrdinal(path, FilesFrom) >= 0) && (FilesTo is null || string.CompareOrdinal(path, FilesTo) < 0);

    internal bool HasPages(long start, long length) => Volume is null && start < PagesTo && start + length > PagesFrom;

    internal bool HasPage(long start) => Volume is null && start >= PagesFrom && start < PagesTo;
}
