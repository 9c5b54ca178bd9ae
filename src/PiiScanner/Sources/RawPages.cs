namespace PiiScanner.Sources;

/// <summary>
/// How a disk-image source cuts raw byte ranges (unallocated space, the whole image) into items: pages of
/// <see cref="PageSize"/> bytes, each followed by up to <see cref="PageOverlap"/> bytes that also start the next
/// page, so that text cut by a page boundary is seen whole once.
/// </summary>
internal static class RawPages
{
    /// <summary>Bytes a page owns.</summary>
    public const int PageSize = 4 << 20;

    /// <summary>Bytes a page shares with the next one.</summary>
    public const int PageOverlap = 4 << 10;
}
