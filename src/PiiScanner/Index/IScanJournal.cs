using PiiScanner.Sources;

namespace PiiScanner.Index;

/// <summary>
/// Reads the results of a scan's finished items back, in the scan's one deterministic order: logical path
/// (ordinal), then file-system address (<see cref="ItemOrigin.Inode"/>, ordinal, none first), then the order in which
/// one top-level item produced its results (members before the container that holds them).
/// </summary>
/// <remarks>
/// This is the seam between the scan and what comes after it: resolution and the output writers read finished
/// items from here, not from lists kept in memory, so an implementation may keep them on disk
/// (<see cref="ScanJournal"/>), in memory, or in a cluster's store (grains persisting each work unit before they
/// acknowledge it, merged in this order). <see cref="Read"/> may be called several times; each call streams the
/// items afresh and holds only the item being read. Safe to read from one thread at a time once the scan's
/// items are all written.
/// </remarks>
public interface IItemResultReader
{
    /// <summary>Streams every finished item, in the order above.</summary>
    IEnumerable<ItemResult> Read(CancellationToken cancellationToken);
}

/// <summary>
/// Where a scan keeps the results of its finished items as they finish, so that memory for them is released at
/// once and a killed scan can go on where it stopped. The unit of work is the top-level item (a file on the
/// share, a file of a disk image) together with every container member read out of it.
/// </summary>
/// <remarks>
/// The engine calls <see cref="TryReuseAsync"/> for every top-level item before reading it, <see cref="Append"/>
/// once it is read (from several workers at once: implementations are thread-safe), <see cref="Finish"/> when the
/// walk is done, <see cref="IItemResultReader.Read"/> for resolution and the outputs, and
/// <see cref="MarkComplete"/> after every sink has written.
/// </remarks>
public interface IScanJournal : IItemResultReader
{
    /// <summary>
    /// True when the item's results are already in the journal (journaled by an earlier run of this scan, or
    /// carried over unchanged from a previous scan) so the item is not read again; false when it must be read.
    /// </summary>
    ValueTask<bool> TryReuseAsync(ScanItem item, CancellationToken cancellationToken);

    /// <summary>Durably records one top-level item's results (the item's and its members'), all or nothing.</summary>
    /// <param name="item">The top-level item.</param>
    /// <param name="results">Its results, in the order the pipeline produced them.</param>
    /// <param name="bytesRead">Bytes read to produce them (for the scan's byte total).</param>
    void Append(ScanItem item, IReadOnlyList<ItemResult> results, long bytesRead);

    /// <summary>The walk is over: drops items journaled earlier that this run did not meet, and returns the totals.</summary>
    JournalTotals Finish();

    /// <summary>Every output is written: the scan is complete and is no longer resumable.</summary>
    void MarkComplete();
}

/// <summary>What a journal knows about the whole scan once the walk is over.</summary>
/// <param name="BytesRead">Bytes read from items to produce the journaled results (carried-over items count 0).</param>
/// <param name="Changes">Top-level items new, changed, unchanged and gone since the previous scan; null without one.</param>
public sealed record JournalTotals(long BytesRead, ScanChanges? Changes);

/// <summary>How an incremental scan (<c>--since</c>) differs from the scan it started from. Counts top-level items.</summary>
public sealed record ScanChanges
{
    /// <summary>The previous scan's output folder (full path).</summary>
    public required string Previous { get; init; }

    /// <summary>Items the previous scan did not have.</summary>
    public long New { get; init; }

    /// <summary>Items whose size, modification time or inode (or, when verified, content hash) differ: read again.</summary>
    public long Changed { get; init; }

    /// <summary>Items carried over from the previous scan without being read.</summary>
    public long Unchanged { get; init; }

    /// <summary>Items of the previous scan that this scan did not meet.</summary>
    public long Gone { get; init; }
}

/// <summary>The change values of <see cref="FileRecord.Change"/>.</summary>
public static class FileChange
{
    /// <summary>Not in the previous scan.</summary>
    public const string New = "new";

    /// <summary>In the previous scan with another size, modification time, inode or hash: read again.</summary>
    public const string Changed = "changed";

    /// <summary>Carried over from the previous scan without being read.</summary>
    public const string Unchanged = "unchanged";
}
