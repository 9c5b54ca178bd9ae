using PiiScanner.Sources;

namespace PiiScanner.Index;

/// <summary>
/// One finished top-level item as a journal stores it: the item's identity (path, file-system address, size,
/// modification time, inode), the bytes read for it, and each of its results (its own and its container members')
/// in the journal's lossless encoding. Made where the item was read (<see cref="Create"/>) and appended where the
/// scan's journal is (<see cref="ScanJournal.Append(FinishedItem)"/>): the same process for a local scan, another
/// machine for a scan on a cluster. Immutable.
/// </summary>
/// <remarks><b>Sensitive.</b> <see cref="FinishedResult.Data"/> holds every finding with its full, unmasked value.</remarks>
/// <param name="Path">The top-level item's logical path.</param>
/// <param name="Inode">Its file-system address inside a disk image (<see cref="ItemOrigin.Inode"/>), or null.</param>
/// <param name="Length">Its size as listed, when known.</param>
/// <param name="ModifiedUtcTicks">Its modification time (UTC ticks), when known.</param>
/// <param name="FileId">Its inode on the share, when known.</param>
/// <param name="Sha256">Its SHA-256 (hex) when the scan hashed it.</param>
/// <param name="BytesRead">Bytes read to produce the results.</param>
/// <param name="Results">The results in the order the pipeline produced them (members before their container).</param>
public sealed record FinishedItem(
    string Path,
    string? Inode,
    long? Length,
    long? ModifiedUtcTicks,
    long? FileId,
    string? Sha256,
    long BytesRead,
    IReadOnlyList<FinishedResult> Results)
{
    /// <summary>The journal's key of the item: its path and, for an item of a disk image, its file-system address.</summary>
    public string Key => KeyOf(Path, Inode);

    /// <summary>Encodes a top-level item's results as the journal stores them.</summary>
    /// <param name="item">The top-level item.</param>
    /// <param name="results">Its results, in the order the pipeline produced them.</param>
    /// <param name="bytesRead">Bytes read to produce them.</param>
    public static FinishedItem Create(ScanItem item, IReadOnlyList<ItemResult> results, long bytesRead)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(results);
        var rows = results.Select(r => new FinishedResult(r.File.Path, r.File.Origin?.Inode, JournalCodec.Encode(r))).ToList();
        var sha256 = results.LastOrDefault(r => r.File.Path == item.Path)?.File.Sha256;
        return new FinishedItem(item.Path, item.Origin?.Inode, item.Length, item.Modified?.UtcTicks, item.FileId, sha256, bytesRead, rows);
    }

    internal static string KeyOf(string path, string? inode) => inode is null ? path : path + "\0" + inode;
}

/// <summary>One result of a <see cref="FinishedItem"/>: its logical path, file-system address and encoded result.</summary>
/// <param name="Path">The result's logical path (a container member's <c>outer.zip!inner</c>).</param>
/// <param name="Inode">Its file-system address inside a disk image, or null.</param>
/// <param name="Data">The <see cref="ItemResult"/> in the journal's encoding (read back by <see cref="IItemResultReader"/>).</param>
public sealed record FinishedResult(string Path, string? Inode, byte[] Data);
