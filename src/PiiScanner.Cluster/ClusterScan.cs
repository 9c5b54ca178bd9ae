using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PiiScanner.Index;
using PiiScanner.Sources;

namespace PiiScanner.Cluster;

/// <summary>How a client cuts and waits for a cluster scan.</summary>
public sealed class ClusterScanOptions
{
    /// <summary>Stop splitting directory roots once the plan has this many units.</summary>
    public int TargetUnits { get; set; } = 256;

    /// <summary>Split directory roots no deeper than this.</summary>
    public int MaxSplitDepth { get; set; } = 6;

    /// <summary>A directory with more entries of its own than this is cut into batches of this many, by name (a flat directory of millions of files is not one unit).</summary>
    public int FilesPerUnit { get; set; } = 10_000;

    /// <summary>
    /// The journal is an incremental rescan's (opened with <see cref="JournalOptions.Since"/>): workers ask whether
    /// each item is unchanged before reading it (and, with <see cref="JournalOptions.VerifyHash"/>, hash those that
    /// look unchanged and ask again with the hash).
    /// </summary>
    public bool Incremental { get; set; }

    /// <summary>Runs of a unit that may fail (the worker threw, or its silo died) before the unit is reported failed in <c>files.jsonl</c> and the scan goes on without it.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// About how many bytes of a disk image's raw pages (unallocated space, unlisted volumes) one unit reads
    /// (<see cref="DiskImageSource.PlanPartsAsync"/>).
    /// </summary>
    public long ImagePageRangeBytes { get; set; } = 4L << 30;

    /// <summary>
    /// About how many bytes of a disk image volume's files (their listed sizes) one unit reads: a volume's files are
    /// cut by path into units of about this much (<see cref="DiskImageSource.PlanPartsAsync"/>). Each unit lists the
    /// whole volume again (<c>fls -r</c>, metadata only) to find its files, so units much smaller cost listing time.
    /// </summary>
    public long ImageFileBytes { get; set; } = 8L << 30;

    /// <summary>At most about this many entries of a disk image volume's files in one unit (see <see cref="ImageFileBytes"/>).</summary>
    public int ImageFilesPerUnit { get; set; } = 100_000;

    /// <summary>How often the client asks the coordinator where the scan stands (and shows progress).</summary>
    public TimeSpan Poll { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Told, once each, why workers refused the scan or gave a unit back after a failure (never a path or a value).</summary>
    public Action<string>? Warn { get; set; }

    /// <summary>How long the coordinator may be unreachable (a silo died and the cluster is noticing) before the scan fails.</summary>
    public TimeSpan Unreachable { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// A scan run on an Orleans cluster, from the client: plans the units, hands them to the scan's coordinator grain,
/// journals every finished item the silos deliver into the scan's own <see cref="ScanJournal"/> (durably, before
/// the delivery returns and so before the unit can be acknowledged), and once every unit is done resolves and writes
/// the index here from that journal, exactly as a local scan does after its walk. The output is therefore the
/// local scan's, byte for byte: the same items with the same logical paths, read by the same pipeline, resolved
/// by the same code from the same journal order.
/// </summary>
internal static class ClusterScan
{
    /// <summary>Runs the scan of <paramref name="roots"/> on the cluster; results go to <paramref name="journal"/> and the sinks.</summary>
    /// <param name="client">A connected cluster client.</param>
    /// <param name="scanner">Built from <paramref name="settings"/> (<see cref="ScanSettings.CreateBuilder"/>).</param>
    /// <param name="settings">What every silo builds its scanner from.</param>
    /// <param name="roots">The roots, at the same paths on every silo.</param>
    /// <param name="outDir">The output folder (with the roots, it names the scan in the cluster).</param>
    /// <param name="journal">The scan's journal in <paramref name="outDir"/>.</param>
    /// <param name="sinks">The writers of the index.</param>
    /// <param name="progress">Progress, in the phases of a local scan.</param>
    /// <param name="options">Planning and polling.</param>
    /// <param name="cancellationToken">Stops waiting; the cluster keeps the scan's state for a later run to resume.</param>
    /// <returns>The scan's result, and where the cluster's scan stood when its last unit was done.</returns>
    public static async Task<(ScanResult Result, ScanStatus Status)> RunAsync(
        IClusterClient client,
        Scanner scanner,
        ScanSettings settings,
        IReadOnlyList<string> roots,
        string outDir,
        ScanJournal journal,
        IEnumerable<IScanSink> sinks,
        IProgress<ScanProgress>? progress,
        ClusterScanOptions options,
        CancellationToken cancellationToken)
    {
        var fullRoots = roots.Select(Path.GetFullPath).ToList();
        // Fails on a missing or unreadable root before anything is planned, as a local scan does.
        var sources = fullRoots.Select((_, i) => scanner.ResolveSource(fullRoots, i)).ToList();
        var spec = new ScanSpec
        {
            ScanId = ScanId(outDir, scanner, fullRoots),
            Roots = fullRoots,
            Settings = settings,
            ToolVersion = Scanner.ToolVersion,
            RulesHash = scanner.RulesHash,
            Limits = scanner.Limits.ToString(),
            MaxAttempts = options.MaxAttempts,
            Incremental = options.Incremental,
        };
        var imageParts = new Dictionary<int, IReadOnlyList<DiskImagePart>>();
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is DiskImageSource image)
            {
                imageParts[i] = await image.PlanPartsAsync(options.ImagePageRangeBytes, options.ImageFileBytes, options.ImageFilesPerUnit, cancellationToken).ConfigureAwait(false);

                // Hashed here, before any unit of the image is read, and again (GetFacts) once every unit has ended.
                await image.HashBeforeAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var plan = UnitPlanner.Plan(fullRoots, settings.ExcludedPaths, options.TargetUnits, options.MaxSplitDepth, imageParts, options.FilesPerUnit);
        var receiver = new ResultReceiver(journal);
        var reference = client.CreateObjectReference<IResultReceiver>(receiver);
        try
        {
            var coordinator = client.GetGrain<IScanCoordinatorGrain>(spec.ScanId);

            // A resumed journal goes on with the units the cluster still holds as done (their items are in it); a
            // new journal starts the cluster's scan over.
            if (await coordinator.StartAsync(spec, plan, reset: !journal.Resumed).ConfigureAwait(false))
            {
                journal.KeepJournaledItems();
            }

            ScanStatus status;
            var unreachableSince = (long?)null;
            var warned = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                try
                {
                    status = await coordinator.StatusAsync(reference).ConfigureAwait(false);
                    unreachableSince = null;
                    foreach (var refusal in status.Refusals.Where(warned.Add))
                    {
                        options.Warn?.Invoke(refusal);
                    }

                    progress?.Report(receiver.Progress(status, done: false));
                    if (status.Finished)
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException && (unreachableSince ??= Environment.TickCount64) + (long)options.Unreachable.TotalMilliseconds > Environment.TickCount64)
                {
                    // A silo died (perhaps the coordinator's or this client's gateway): the coordinator comes back on
                    // another silo from the stored plan once the cluster has noticed; ask again.
                }

                await Task.Delay(options.Poll, cancellationToken).ConfigureAwait(false);
            }

            // From here the journal is read: a late delivery (a silo that lost its lease) is refused.
            receiver.Close();
            if (status.Failures.Count > 0)
            {
                journal.Append([.. status.Failures.Select(f => FailedUnitItem(f, sources[f.Unit.Root]))]);
            }

            var final = receiver.Progress(status, done: false);
            var collected = sources.Select((s, i) => (IScanSource)new CollectedSource(s, Facts(s, status.Facts.GetValueOrDefault(i)))).ToList();
            var result = await scanner.ScanAsync(collected, sinks, journal, progress is null ? null : new AfterCollection(progress, final), cancellationToken).ConfigureAwait(false);
            await coordinator.FinishAsync().ConfigureAwait(false);
            return (result, status);
        }
        finally
        {
            client.DeleteObjectReference<IResultReceiver>(reference);
        }
    }

    /// <summary>
    /// A root's facts for <c>summary.json</c>: those its units handed in, and for a disk image the hashes this client
    /// took before the first unit and now, after the last (<see cref="DiskImageSource.HashBeforeAsync"/>).
    /// </summary>
    private static IReadOnlyDictionary<string, string>? Facts(IScanSource root, IReadOnlyDictionary<string, string>? units)
        => root is DiskImageSource image ? DiskImageSource.MergePartFacts([image.GetFacts(), .. units is null ? [] : new[] { units }]) : units;

    /// <summary>
    /// The record of a unit given up, in <c>files.jsonl</c>: <c>failed</c> at the unit's directory (or its batch's
    /// first name), image part or file, saying what was not read. Items its runs delivered before failing were read
    /// in full and stay; nothing it did not deliver is reported.
    /// </summary>
    internal static FinishedItem FailedUnitItem(UnitFailure failure, IScanSource root)
    {
        var unit = failure.Unit;
        static string Join(string prefix, string path) => prefix.Length == 0 ? path : path.Length == 0 ? prefix : prefix + "/" + path;
        var (path, what) = (unit.Kind, root) switch
        {
            (UnitKind.Directory, DirectorySource directory) when unit.NamesFrom is { } from
                => (Join(directory.LogicalPath, Join(unit.Directory, "$batch/" + from)), "a batch of the directory's entries, from this name on"),
            (UnitKind.Directory, DirectorySource directory)
                => (Join(directory.LogicalPath, unit.Directory), unit.Excluded.Count == 0 ? "this directory and everything below it" : "this directory, and its subdirectories that were not units of their own"),
            (UnitKind.ImagePart, DiskImageSource image) when unit.ImageVolume is { } volume && unit.FilesFrom is { } from
                => (Join(image.LogicalPath, string.Create(CultureInfo.InvariantCulture, $"$volume-{volume + 1}/$batch/{from}")), $"files of the image's volume {volume + 1}, from this path on"),
            (UnitKind.ImagePart, DiskImageSource image) when unit.ImageVolume is { } volume
                => (Join(image.LogicalPath, string.Create(CultureInfo.InvariantCulture, $"$volume-{volume + 1}")), unit.FilesTo is null ? $"the files of the image's volume {volume + 1}" : $"the first files of the image's volume {volume + 1}"),
            (UnitKind.ImagePart, DiskImageSource image)
                => (Join(image.LogicalPath, string.Create(CultureInfo.InvariantCulture, $"$pages/{unit.PagesFrom:D15}")), string.Create(CultureInfo.InvariantCulture, $"the image's raw pages from offset {unit.PagesFrom}")),
            (_, SingleFileSource file) => (file.LogicalPath, "this file"),
            _ => (root.Description, "this root"),
        };
        path = path.Length == 0 ? "." : path;
        var reason = string.Create(CultureInfo.InvariantCulture, $"error: not read: its cluster work unit (unit {unit.Id}: {what}) failed {failure.Attempts} times, last: {failure.Error}");
        var record = new FileRecord { Path = path, Status = FileStatus.Failed, Reason = reason };
        return FinishedItem.Create(new ScanItem(path, null, null), [new ItemResult(record, [], [])], 0);
    }

    /// <summary>The scan's name in the cluster: the output folder, the roots and what decides the results.</summary>
    internal static string ScanId(string outDir, Scanner scanner, IEnumerable<string> roots)
    {
        var text = new StringBuilder();
        text.Append("out ").Append(Path.GetFullPath(outDir)).Append('\n');
        text.Append("version ").Append(Scanner.ToolVersion).Append('\n');
        text.Append("rules ").Append(scanner.RulesHash).Append('\n');
        text.Append("limits ").Append(scanner.Limits).Append('\n');
        foreach (var root in roots)
        {
            text.Append("root ").Append(root).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    /// <summary>A root whose items were all read on the cluster: it describes the root and walks nothing.</summary>
    private sealed class CollectedSource(IScanSource root, IReadOnlyDictionary<string, string>? facts) : IScanSource, IScanSourceFacts
    {
        public string Description => root.Description;

        public Task EnumerateAsync(ItemWriter output, CancellationToken cancellationToken) => Task.CompletedTask;

        public IReadOnlyDictionary<string, string> GetFacts() => facts ?? new Dictionary<string, string>();
    }

    /// <summary>The local scan's reports once the items are collected: its phases (resolving, writing, done) with the cluster's counts.</summary>
    private sealed class AfterCollection(IProgress<ScanProgress> inner, ScanProgress counts) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => inner.Report(counts with
        {
            Completed = value.Completed,
            Phase = value.Completed ? ScanPhase.Done : value.Phase < ScanPhase.Resolving ? ScanPhase.Resolving : value.Phase,
        });
    }
}

/// <summary>
/// The client's side of deliveries: journals each item durably (idempotent by item key) before returning, and keeps
/// the latest counts each unit under lease reported, for progress.
/// </summary>
internal sealed class ResultReceiver(ScanJournal journal) : IResultReceiver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (Guid Token, UnitCounts Counts)> _units = [];
    private bool _closed;

    public Task DeliverAsync(int unit, Guid token, IReadOnlyList<ItemPayload> items, UnitCounts progress)
    {
        ArgumentNullException.ThrowIfNull(items);
        ThrowIfClosed();
        journal.Append([.. items.Select(i => i.ToFinishedItem())]);

        lock (_lock)
        {
            _units[unit] = (token, progress);
        }

        return Task.CompletedTask;
    }

    public async Task<ReuseAnswer> ReuseAsync(int unit, Guid token, ItemIdentity item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ThrowIfClosed();
        return await journal.TryReuseAsync(item.ToScanItem(), item.Sha256, CancellationToken.None).ConfigureAwait(false) switch
        {
            true => ReuseAnswer.Reused,
            false => ReuseAnswer.Read,
            null => ReuseAnswer.Hash,
        };
    }

    public Task CommitAsync(int unit, Guid token)
    {
        ThrowIfClosed();
        journal.Append([]); // commits the carried-over items batched so far
        return Task.CompletedTask;
    }

    private void ThrowIfClosed()
    {
        lock (_lock)
        {
            if (_closed)
            {
                throw new InvalidOperationException("the scan's items are collected");
            }
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }
    }

    /// <summary>Counts of the finished units plus the latest of those being read; walking until every unit's walk is over.</summary>
    public ScanProgress Progress(ScanStatus status, bool done)
    {
        var counts = status.Done;
        var walked = status.UnitsDone;
        lock (_lock)
        {
            foreach (var (unit, (_, c)) in _units)
            {
                if (!status.IsDone(unit))
                {
                    counts += c with { Walked = true };
                    walked += c.Walked ? 1 : 0;
                }
            }
        }

        return new ScanProgress(counts.Items, counts.AllItems, counts.BytesDone, counts.Findings, done)
        {
            Phase = walked < status.Units ? ScanPhase.Walking : ScanPhase.Scanning,
            TopLevelDone = counts.ItemsDone,
            BytesQueued = counts.Bytes,
            BytesDone = counts.BytesDone,
        };
    }
}
