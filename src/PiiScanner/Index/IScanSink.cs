using PiiScanner.Detection;
using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>
/// Receives what a scan produces. The engine calls <see cref="OnStartingAsync"/> once before the first item, then
/// <see cref="OnItemAsync"/> once per item read in this run as items finish, then <see cref="OnCompletedAsync"/> once
/// with the resolved index. Items resumed or carried over from a journal are not read again and come only in the
/// result.
/// </summary>
/// <remarks>
/// Each sink has its own queue and is called from one task at a time: <see cref="OnItemAsync"/> is never called
/// concurrently with itself on one sink, and takes a top-level item's results (members first, as the item produced
/// them) one after the other in completion order. Sinks do not wait for one another; a sink that is slow to return
/// holds up the scan only once its queue is full. Every item has been handed to every sink before
/// <see cref="OnCompletedAsync"/>, which is called on one sink after another in the order the sinks were given. A
/// sink that throws stops the scan, whose task then fails with that exception.
/// </remarks>
public interface IScanSink
{
    /// <summary>The scan is about to start (an output sink clears what an earlier run left).</summary>
    ValueTask OnStartingAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// An item (file or container member) is done; already in the journal's open group when the scan has a journal
    /// (durable once that group commits, <see cref="JournalOptions.CommitEvery"/>): after a crash, a resumed scan may
    /// deliver again an item whose group had not committed. <see cref="OnCompletedAsync"/> has each item exactly once.
    /// </summary>
    ValueTask OnItemAsync(ItemResult item, CancellationToken cancellationToken);

    /// <summary>The scan is done; <paramref name="result"/> holds everything in a deterministic order.</summary>
    ValueTask OnCompletedAsync(ScanResult result, CancellationToken cancellationToken);
}

/// <summary>The outcome of one item: its file record, findings and records. Immutable.</summary>
/// <param name="File">The file record.</param>
/// <param name="Findings">Findings in document order.</param>
/// <param name="Records">Person records assembled from the findings.</param>
public sealed record ItemResult(FileRecord File, IReadOnlyList<Finding> Findings, IReadOnlyList<PersonRecord> Records);

/// <summary>The outcome of a scan, in a deterministic order (items sorted by path).</summary>
/// <param name="Items">Every item, sorted by path (ordinal).</param>
/// <param name="Individuals">The exposure index, sorted by id.</param>
/// <param name="Summary">Totals and timings.</param>
public sealed record ScanResult(IReadOnlyList<ItemResult> Items, IReadOnlyList<Individual> Individuals, ScanSummary Summary)
{
    /// <summary>
    /// The items again, streamed in the same order without holding them all (a scan's journal); sinks read this
    /// rather than <see cref="Items"/>, which a journaled scan loads on first use.
    /// </summary>
    public IItemResultReader Results { get; init; } = new ItemListReader(Items);

    /// <summary>Prescribers, providers and staff named in the sources (not people to notify), sorted by name.</summary>
    public IReadOnlyList<StaffMember> Staff { get; init; } = [];

    /// <summary>Items the scan meant to read and could not (failed, or refused by the file system), counted as resolution read them.</summary>
    internal long Unread { get; init; }

    /// <summary>
    /// The previous scan whose resolution this one carried over (an unchanged rescan): its outputs are this scan's, so
    /// a sink may copy them instead of writing them again. Null otherwise.
    /// </summary>
    internal CarriedIndex? CarriedFrom { get; init; }
}

/// <summary>How often one rule's regular expression ran out of time in a scan.</summary>
/// <param name="Files">Items (files or container members) on which it did; each is <c>partial</c>.</param>
/// <param name="ExamplePath">The first of them in path order.</param>
public sealed record RegexTimeoutTotals(long Files, string ExamplePath);

/// <summary>Scan totals for <c>summary.json</c>.</summary>
public sealed record ScanSummary
{
    /// <summary>Scanned roots (descriptions, not contents).</summary>
    public required IReadOnlyList<string> Roots { get; init; }

    /// <summary>Items by status (every status, zero included).</summary>
    public required IReadOnlyDictionary<FileStatus, long> FilesByStatus { get; init; }

    /// <summary>Findings by element.</summary>
    public required IReadOnlyDictionary<string, long> FindingsByElement { get; init; }

    /// <summary>Individuals by element exposed.</summary>
    public required IReadOnlyDictionary<string, long> IndividualsByElement { get; init; }

    /// <summary>Number of individuals.</summary>
    public long Individuals { get; init; }

    /// <summary>Bytes read from items.</summary>
    public long BytesRead { get; init; }

    /// <summary>What changed since the previous scan, for an incremental scan (<c>--since</c>); null otherwise.</summary>
    public ScanChanges? Changes { get; init; }

    /// <summary>Wall-clock time of the scan.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Version of the library that ran the scan (<see cref="Scanner.ToolVersion"/>).</summary>
    public string? ToolVersion { get; init; }

    /// <summary>SHA-256 of the rule files in force (<see cref="Scanner.RulesHash"/>).</summary>
    public string? RulesHash { get; init; }

    /// <summary>The limits the scan ran under.</summary>
    public Extraction.ExtractionLimits? Limits { get; init; }

    /// <summary>Worker threads (the output does not depend on it).</summary>
    public int Threads { get; init; }

    /// <summary>When the scan started and ended (the scanner's clock).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <inheritdoc cref="StartedAt"/>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Files of the evidence opened for reading.</summary>
    public long FilesOpened { get; init; }

    /// <summary>Of <see cref="FilesOpened"/>, those opened with <c>O_NOATIME</c> (their last-access time left alone).</summary>
    public long FilesOpenedWithNoAtime { get; init; }

    /// <summary>
    /// Rules whose regular expression ran out of time, by rule id (sorted): on how many items, and the first such
    /// item's path. Empty when none did. Values are never reported, only rule ids and paths.
    /// </summary>
    public IReadOnlyDictionary<string, RegexTimeoutTotals> RegexTimeouts { get; init; } = new SortedDictionary<string, RegexTimeoutTotals>(StringComparer.Ordinal);

    /// <summary>Extra facts from sources (image hashes before/after, tool versions…), sorted by key.</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
