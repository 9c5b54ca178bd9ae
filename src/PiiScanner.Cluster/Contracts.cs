using PiiScanner.Index;
using PiiScanner.Sources;

namespace PiiScanner.Cluster;

/// <summary>
/// What a scan is, as every silo must rebuild it: the roots (the same paths on every machine), the options that
/// decide its results, and what the client's scanner was built with, so a silo with other rules or another
/// version refuses the scan instead of writing different results into it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ScanSpec
{
    /// <summary>The scan's id (the coordinator grain's key).</summary>
    [Id(0)] public required string ScanId { get; init; }

    /// <summary>Full paths of the roots, in the order given.</summary>
    [Id(1)] public required IReadOnlyList<string> Roots { get; init; }

    /// <summary>How to build the scanner.</summary>
    [Id(2)] public required ScanSettings Settings { get; init; }

    /// <summary>The client's <see cref="Scanner.ToolVersion"/>.</summary>
    [Id(3)] public required string ToolVersion { get; init; }

    /// <summary>The client's <see cref="Scanner.RulesHash"/>.</summary>
    [Id(4)] public required string RulesHash { get; init; }

    /// <summary>The client's <see cref="Scanner.Limits"/> as text (records print every property).</summary>
    [Id(5)] public required string Limits { get; init; }

    /// <summary>
    /// Runs of a unit that may fail (its worker threw, or stopped answering: a crash) before the unit is given up
    /// and reported failed (<see cref="ScanStatus.Failures"/>).
    /// </summary>
    [Id(6)] public int MaxAttempts { get; init; } = 3;

    /// <summary>
    /// An incremental rescan (<c>--since</c>): workers ask the client (<see cref="IResultReceiver.ReuseAsync"/>)
    /// whether each item is unchanged since the previous scan before they read it.
    /// </summary>
    [Id(7)] public bool Incremental { get; init; }
}

/// <summary>What tells a rescan that an item is unchanged: its key and the identity the journal compares.</summary>
[GenerateSerializer, Immutable]
public sealed record ItemIdentity
{
    [Id(0)] public required string Path { get; init; }

    [Id(1)] public string? Inode { get; init; }

    [Id(2)] public long? Length { get; init; }

    [Id(3)] public long? ModifiedUtcTicks { get; init; }

    [Id(4)] public long? FileId { get; init; }

    /// <summary>
    /// The item's SHA-256 as its worker read it, for a rescan that verifies hashes (<c>--verify-hash</c>), once the
    /// client answered <see cref="ReuseAnswer.Hash"/>; null otherwise.
    /// </summary>
    [Id(5)] public string? Sha256 { get; init; }

    public static ItemIdentity From(ScanItem item) => new()
    {
        Path = item.Path,
        Inode = item.Origin?.Inode,
        Length = item.Length,
        ModifiedUtcTicks = item.Modified?.UtcTicks,
        FileId = item.FileId,
    };

    /// <summary>An item that stands for the one met on the silo in <see cref="IScanJournal.TryReuseAsync"/> (it cannot be opened).</summary>
    public ScanItem ToScanItem() => new(Path, Length, null)
    {
        Modified = ModifiedUtcTicks is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
        FileId = FileId,
        Origin = Inode is null ? null : new ItemOrigin { Inode = Inode },
    };
}

/// <summary>Which kind of part of a root a work unit reads.</summary>
public enum UnitKind
{
    /// <summary>A directory of a directory root, without the subdirectories that are units of their own.</summary>
    Directory,

    /// <summary>A whole root that is not a directory: a single file (or a disk image read whole).</summary>
    Root,

    /// <summary>A part of a disk image root: one volume's files, or the raw pages that start in a byte range.</summary>
    ImagePart,
}

/// <summary>One part of the walk, leased to one silo at a time. Immutable.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkUnit
{
    /// <summary>The unit's number in the plan (0, 1, …).</summary>
    [Id(0)] public required int Id { get; init; }

    /// <summary>Which root (index into <see cref="ScanSpec.Roots"/>).</summary>
    [Id(1)] public required int Root { get; init; }

    /// <summary>What the unit reads.</summary>
    [Id(2)] public required UnitKind Kind { get; init; }

    /// <summary>For <see cref="UnitKind.Directory"/>: the directory relative to the root, <c>/</c>-separated (empty: the root).</summary>
    [Id(3)] public string Directory { get; init; } = string.Empty;

    /// <summary>For <see cref="UnitKind.Directory"/>: subdirectories (relative to the root) that are units of their own.</summary>
    [Id(4)] public IReadOnlyList<string> Excluded { get; init; } = [];

    /// <summary>For <see cref="UnitKind.ImagePart"/>: the volume whose files it reads (<see cref="DiskImagePart.Volume"/>), or null for pages.</summary>
    [Id(5)] public int? ImageVolume { get; init; }

    /// <summary>For <see cref="UnitKind.ImagePart"/> of pages: <see cref="DiskImagePart.PagesFrom"/>.</summary>
    [Id(6)] public long PagesFrom { get; init; }

    /// <summary>For <see cref="UnitKind.ImagePart"/> of pages: <see cref="DiskImagePart.PagesTo"/>.</summary>
    [Id(7)] public long PagesTo { get; init; }

    /// <summary>
    /// For <see cref="UnitKind.Directory"/>, a batch of a large flat directory: the first name of the directory's
    /// own entries it reads (ordinal; null: from the first). See <see cref="DirectorySource.Subtree"/>.
    /// </summary>
    [Id(8)] public string? NamesFrom { get; init; }

    /// <summary>For a batch: the name past its last entry (null: to the last).</summary>
    [Id(9)] public string? NamesTo { get; init; }

    /// <summary>For <see cref="UnitKind.ImagePart"/> of files: <see cref="DiskImagePart.FilesFrom"/>.</summary>
    [Id(10)] public string? FilesFrom { get; init; }

    /// <summary>For <see cref="UnitKind.ImagePart"/> of files: <see cref="DiskImagePart.FilesTo"/>.</summary>
    [Id(11)] public string? FilesTo { get; init; }

    /// <summary>The part of the image a <see cref="UnitKind.ImagePart"/> unit reads.</summary>
    public DiskImagePart ImagePart => ImageVolume is { } volume ? DiskImagePart.Files(volume, FilesFrom, FilesTo) : DiskImagePart.Pages(PagesFrom, PagesTo);

    internal static WorkUnit ForImagePart(int id, int root, DiskImagePart part) => new()
    {
        Id = id,
        Root = root,
        Kind = UnitKind.ImagePart,
        ImageVolume = part.Volume,
        FilesFrom = part.FilesFrom,
        FilesTo = part.FilesTo,
        PagesFrom = part.PagesFrom,
        PagesTo = part.PagesTo,
    };
}

/// <summary>A unit leased to a worker: what to read, the token that acknowledges it, and where its results go.</summary>
[GenerateSerializer, Immutable]
public sealed record UnitLease
{
    [Id(0)] public required ScanSpec Spec { get; init; }

    [Id(1)] public required WorkUnit Unit { get; init; }

    /// <summary>Names this lease: a result or acknowledgement under an older lease of the same unit is told apart.</summary>
    [Id(2)] public required Guid Token { get; init; }

    /// <summary>The client that journals the results.</summary>
    [Id(3)] public required IResultReceiver Receiver { get; init; }

    /// <summary>How long the lease lasts without a renewal.</summary>
    [Id(4)] public required TimeSpan Duration { get; init; }
}

/// <summary>A finished top-level item on the wire: <see cref="FinishedItem"/> with Orleans serialization.</summary>
[GenerateSerializer, Immutable]
public sealed record ItemPayload
{
    /// <summary>The item's key and identity (as a rescan compares it).</summary>
    [Id(0)] public required ItemIdentity Item { get; init; }

    [Id(1)] public string? Sha256 { get; init; }

    [Id(2)] public long BytesRead { get; init; }

    /// <summary>The results: logical path, file-system address, encoded result (full values: sensitive).</summary>
    [Id(3)] public required IReadOnlyList<ResultPayload> Results { get; init; }

    public static ItemPayload From(FinishedItem item) => new()
    {
        Item = new ItemIdentity { Path = item.Path, Inode = item.Inode, Length = item.Length, ModifiedUtcTicks = item.ModifiedUtcTicks, FileId = item.FileId },
        Sha256 = item.Sha256,
        BytesRead = item.BytesRead,
        Results = [.. item.Results.Select(r => new ResultPayload(r.Path, r.Inode, r.Data))],
    };

    public FinishedItem ToFinishedItem() =>
        new(Item.Path, Item.Inode, Item.Length, Item.ModifiedUtcTicks, Item.FileId, Sha256, BytesRead, [.. Results.Select(r => new FinishedResult(r.Path, r.Inode, r.Data))]);
}

/// <summary>One encoded result of an <see cref="ItemPayload"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record ResultPayload([property: Id(0)] string Path, [property: Id(1)] string? Inode, [property: Id(2)] byte[] Data);

/// <summary>Counts of a unit (or of the whole scan), never a path or a value.</summary>
[GenerateSerializer, Immutable]
public sealed record UnitCounts
{
    /// <summary>Top-level items found.</summary>
    [Id(0)] public long Items { get; init; }

    /// <summary>Their listed sizes.</summary>
    [Id(1)] public long Bytes { get; init; }

    /// <summary>Items done including container members.</summary>
    [Id(2)] public long AllItems { get; init; }

    /// <summary>Findings.</summary>
    [Id(3)] public long Findings { get; init; }

    /// <summary>Top-level items finished.</summary>
    [Id(4)] public long ItemsDone { get; init; }

    /// <summary>Listed sizes of the top-level items finished.</summary>
    [Id(5)] public long BytesDone { get; init; }

    /// <summary>True once the unit's walk has found every item.</summary>
    [Id(6)] public bool Walked { get; init; }

    public static UnitCounts operator +(UnitCounts a, UnitCounts b) => new()
    {
        Items = a.Items + b.Items,
        Bytes = a.Bytes + b.Bytes,
        AllItems = a.AllItems + b.AllItems,
        Findings = a.Findings + b.Findings,
        ItemsDone = a.ItemsDone + b.ItemsDone,
        BytesDone = a.BytesDone + b.BytesDone,
        Walked = a.Walked && b.Walked,
    };
}

/// <summary>What a unit hands in when it is finished.</summary>
[GenerateSerializer, Immutable]
public sealed record UnitResult
{
    [Id(0)] public required UnitCounts Counts { get; init; }

    /// <summary>Facts of the unit's source for <c>summary.json</c> (a disk image's hashes); never personal data.</summary>
    [Id(1)] public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();
}

/// <summary>Where a scan stands.</summary>
[GenerateSerializer, Immutable]
public sealed record ScanStatus
{
    [Id(0)] public int Units { get; init; }

    [Id(1)] public int UnitsDone { get; init; }

    /// <summary>Units leased now.</summary>
    [Id(2)] public int UnitsLeased { get; init; }

    /// <summary>Counts of the finished units.</summary>
    [Id(3)] public UnitCounts Done { get; init; } = new() { Walked = true };

    /// <summary>Leases that expired or were given up and handed out again.</summary>
    [Id(4)] public int Retakes { get; init; }

    /// <summary>The silo that holds the coordinator (for an operator; the test stops a silo that does not).</summary>
    [Id(5)] public string Host { get; init; } = string.Empty;

    /// <summary>Facts of the finished units' sources, by root index (a disk image's parts merged, <see cref="DiskImageSource.MergePartFacts"/>).</summary>
    [Id(6)] public IReadOnlyDictionary<int, IReadOnlyDictionary<string, string>> Facts { get; init; } = new Dictionary<int, IReadOnlyDictionary<string, string>>();

    /// <summary>Why workers refused the scan (another rules hash or version), if any did.</summary>
    [Id(7)] public IReadOnlyList<string> Refusals { get; init; } = [];

    /// <summary>A bit per unit, set when the unit is done.</summary>
    [Id(8)] public byte[] DoneUnits { get; init; } = [];

    /// <summary>Units given up after <see cref="ScanSpec.MaxAttempts"/> failed runs (counted in <see cref="UnitsDone"/>: nothing more is done with them).</summary>
    [Id(9)] public IReadOnlyList<UnitFailure> Failures { get; init; } = [];

    public bool Finished => Units > 0 && UnitsDone == Units;

    public bool IsDone(int unit) => Bits.IsSet(DoneUnits, unit);
}

/// <summary>A unit given up: what it was to read, how often it failed, and the last error (a type name or a sentence, never a path or a value).</summary>
[GenerateSerializer, Immutable]
public sealed record UnitFailure([property: Id(0)] WorkUnit Unit, [property: Id(1)] int Attempts, [property: Id(2)] string Error);

/// <summary>
/// The coordinator of one scan (key: the scan id). Holds the plan and which units are done in the cluster's grain
/// storage, so a coordinator that restarts (its silo died) resumes from there; leases are held in memory only —
/// after a restart every unfinished unit is simply handed out again, which is safe because results are idempotent
/// by item key.
/// </summary>
public interface IScanCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the scan with this plan, or, when the cluster already holds this scan and <paramref name="reset"/> is
    /// false, keeps the plan and the units done it holds. Returns true when it kept an earlier state.
    /// </summary>
    Task<bool> StartAsync(ScanSpec spec, IReadOnlyList<WorkUnit> plan, bool reset);

    /// <summary>Where the scan stands; attaches (again) the client that journals the results, when one is given.</summary>
    Task<ScanStatus> StatusAsync(IResultReceiver? receiver);

    /// <summary>The next unit for a worker, or null when none is waiting or no client is attached.</summary>
    Task<UnitLease?> LeaseAsync(string worker);

    /// <summary>Extends a lease; false when the lease was lost (expired and handed out again, or the unit is done).</summary>
    Task<bool> RenewAsync(int unit, Guid token);

    /// <summary>
    /// The unit's results are journaled by the client: marks it done (persisted). False, and nothing counted, when
    /// the lease is no longer the unit's latest (the unit was handed to another worker, or to the same worker again,
    /// after the lease expired or another client took the scan over) or the unit is done already.
    /// </summary>
    Task<bool> CompleteAsync(int unit, Guid token, UnitResult result);

    /// <summary>The worker gives the unit back (it is stopping, or it cannot run this scan: <paramref name="refusal"/>).</summary>
    Task AbandonAsync(int unit, Guid token, string? refusal);

    /// <summary>
    /// The unit's run failed (<paramref name="error"/>: the exception's type, never a path or a value): it is leased
    /// again, or, after <see cref="ScanSpec.MaxAttempts"/> failed runs, given up (<see cref="ScanStatus.Failures"/>).
    /// </summary>
    Task FailAsync(int unit, Guid token, string error);

    /// <summary>The client has written the index: forgets the scan.</summary>
    Task FinishAsync();
}

/// <summary>The scans a cluster is running, for workers to find (key 0). Persisted.</summary>
public interface IScanRegistryGrain : IGrainWithIntegerKey
{
    Task AddAsync(string scanId);

    Task RemoveAsync(string scanId);

    Task<IReadOnlyList<string>> ScansAsync();
}

/// <summary>
/// The client of a scan, reached by silos as an Orleans observer: it journals each batch of finished items
/// durably before it returns, so a unit is acknowledged only after its results are safe.
/// </summary>
public interface IResultReceiver : IGrainObserver
{
    /// <summary>Journals finished items of a unit under a lease; <paramref name="progress"/> is the unit's counts so far.</summary>
    Task DeliverAsync(int unit, Guid token, IReadOnlyList<ItemPayload> items, UnitCounts progress);

    /// <summary>
    /// In an incremental rescan: <see cref="ReuseAnswer.Reused"/> when the item is unchanged since the previous scan
    /// (or journaled already by this one), and its results were carried over into the journal; the worker then does
    /// not read it. In a rescan that verifies hashes, an item that looks unchanged is answered
    /// <see cref="ReuseAnswer.Hash"/> until the worker asks again with its <see cref="ItemIdentity.Sha256"/>.
    /// </summary>
    Task<ReuseAnswer> ReuseAsync(int unit, Guid token, ItemIdentity item);

    /// <summary>Makes every carried-over item of the unit durable (before the unit is acknowledged).</summary>
    Task CommitAsync(int unit, Guid token);
}

/// <summary>The client's answer to <see cref="IResultReceiver.ReuseAsync"/>.</summary>
public enum ReuseAnswer
{
    /// <summary>Changed, new, or its hash differs: the worker reads it.</summary>
    Read,

    /// <summary>Carried over: the worker does not read it.</summary>
    Reused,

    /// <summary>It looks unchanged and the rescan verifies hashes: the worker asks again with the item's SHA-256.</summary>
    Hash,
}

/// <summary>A set of unit numbers as a bit per unit.</summary>
internal static class Bits
{
    public static bool IsSet(byte[] bits, int index) => index >= 0 && index / 8 < bits.Length && (bits[index / 8] & (1 << (index % 8))) != 0;
}
