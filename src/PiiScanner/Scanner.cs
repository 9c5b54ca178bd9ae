using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Threading.Channels;
using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Resolution;
using PiiScanner.Sources;

namespace PiiScanner;

/// <summary>
/// The scan engine: walks sources, extracts text, detects personal data, assembles person records and resolves
/// them into the per-individual exposure index. Built by <see cref="ScannerBuilder"/>; immutable and thread-safe,
/// so one instance can run several scans, one after the other or at once. Holds no global state.
/// </summary>
public sealed class Scanner
{
    /// <summary>
    /// Called on the worker right after each top-level item is journaled, before any sink hears of it (the CLI's crash
    /// points for the durability tests: sinks are fed asynchronously, so only this point is exact).
    /// </summary>
    internal Action? ItemJournaled { get; set; }

    private readonly ScannerOptions _options;

    internal Scanner(ScannerOptions options) => _options = options;

    /// <summary>The rule set in force (for listing and testing rules).</summary>
    public RuleSet Rules => _options.Rules;

    /// <summary>The detection engine (rules plus code detectors).</summary>
    internal DetectionEngine Detection => _options.Detection;

    /// <summary>SHA-256 (hex) of every rule file in force, shipped and user folders, in load order.</summary>
    public string RulesHash => _options.RulesHash;

    /// <summary>The library's version (with the commit it was built from), as <c>summary.json</c> records it.</summary>
    public static string ToolVersion { get; } =
        typeof(Scanner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Scanner).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The limits in force.</summary>
    public ExtractionLimits Limits => _options.Limits;

    /// <summary>
    /// Scans the given roots — directories, single files or disk images — and pushes the results into the sinks.
    /// With several roots, each root's items are prefixed with the root's name. Finished items are kept in memory;
    /// give a <see cref="ScanJournal"/> (<see cref="OpenJournal"/>) to keep them on disk and make the scan resumable.
    /// </summary>
    /// <param name="roots">Paths to scan.</param>
    /// <param name="sinks">Receivers of item results and the final index (e.g. <see cref="OutputDirectorySink"/>).</param>
    /// <param name="progress">Optional progress receiver, reported a few times a second from a timer thread.</param>
    /// <param name="cancellationToken">Stops the scan; a cancelled scan throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The complete result, items sorted by path.</returns>
    /// <exception cref="ScanSourceException">A root does not exist or is in a format that cannot be read (the returned task fails with it).</exception>
    public Task<ScanResult> ScanAsync(
        IEnumerable<string> roots,
        IEnumerable<IScanSink> sinks,
        IProgress<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default)
        => ScanAsync(roots, sinks, new MemoryJournal(), progress, cancellationToken);

    /// <summary>
    /// Scans the given roots into <paramref name="journal"/>: each top-level item's results are journaled as it
    /// finishes (and not kept in memory), items the journal already holds are not read again, and resolution and
    /// the sinks read the items back from the journal. The journal is marked complete after every sink has written.
    /// </summary>
    /// <inheritdoc cref="ScanAsync(IEnumerable{string}, IEnumerable{IScanSink}, IProgress{ScanProgress}?, CancellationToken)"/>
    /// <param name="roots">Paths to scan.</param>
    /// <param name="sinks">Receivers of item results and the final index.</param>
    /// <param name="journal">Where finished items go (the same roots it was opened for).</param>
    /// <param name="progress">Optional progress receiver.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    public async Task<ScanResult> ScanAsync(
        IEnumerable<string> roots,
        IEnumerable<IScanSink> sinks,
        IScanJournal journal,
        IProgress<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var list = roots.ToList();
        var names = list.Count > 1 ? SourceResolver.LogicalNames(list) : null;
        // Inside the task: a missing root fails the returned task, it is not thrown at the call.
        var sources = list.Select((root, i) => SourceResolver.Resolve(root, names?[i], _options)).ToList();
        return await ScanAsync(sources, sinks, journal, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scans the given sources and pushes the results into the sinks.</summary>
    /// <inheritdoc cref="ScanAsync(IEnumerable{string}, IEnumerable{IScanSink}, IProgress{ScanProgress}?, CancellationToken)"/>
    public Task<ScanResult> ScanAsync(
        IEnumerable<IScanSource> sources,
        IEnumerable<IScanSink> sinks,
        IProgress<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default)
        => ScanAsync(sources, sinks, new MemoryJournal(), progress, cancellationToken);

    /// <summary>Scans the given sources into <paramref name="journal"/> and pushes the results into the sinks.</summary>
    /// <inheritdoc cref="ScanAsync(IEnumerable{string}, IEnumerable{IScanSink}, IScanJournal, IProgress{ScanProgress}?, CancellationToken)"/>
    public async Task<ScanResult> ScanAsync(
        IEnumerable<IScanSource> sources,
        IEnumerable<IScanSink> sinks,
        IScanJournal journal,
        IProgress<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(journal);
        var sourceList = sources.ToList();
        var sinkList = sinks.ToList();
        var started = _options.Time.GetTimestamp();
        var startedAt = _options.Time.GetUtcNow();
        var counters = new ScanCounters();

        var channel = Channel.CreateBounded<ScanItem>(new BoundedChannelOptions(_options.Threads * 64)
        {
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var writer = new ChannelItemWriter(channel.Writer, counters);
        foreach (var sink in sinkList)
        {
            await sink.OnStartingAsync(cancellationToken).ConfigureAwait(false);
        }

        var pipeline = new ItemPipeline(_options, counters);

        using var progressCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopProgress = new CancelOnDispose(progressCts);

        // Fails the whole scan fast if a worker dies (a bug, not bad input): the producer must not wait forever
        // on a channel nobody reads.
        using var scanCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progressTask = progress is null ? Task.CompletedTask : ReportProgressAsync(progress, counters, progressCts.Token);
        var dispatch = new SinkDispatch(sinkList, scanCts, scanCts.Token);

        // However the scan ends, the sinks' readers stop (they end on their own only after a clean completion).
        using var stopSinks = new CancelOnDispose(scanCts);

        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var source in sourceList)
                {
                    try
                    {
                        await source.EnumerateAsync(writer, scanCts.Token).ConfigureAwait(false);
                    }
                    catch (MissingToolException ex)
                    {
                        throw new ScanSourceException(ex.Message, ex);
                    }
                }
            }
            finally
            {
                counters.SetPhase(ScanPhase.Scanning);
                channel.Writer.TryComplete();
            }
        }, scanCts.Token);

        var workers = Enumerable.Range(0, _options.Threads).Select(_ => Task.Run(async () =>
        {
            try
            {
                await WorkAsync().ConfigureAwait(false);
            }
            catch
            {
                await scanCts.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, cancellationToken)).ToArray();

        async Task WorkAsync()
        {
            await foreach (var item in channel.Reader.ReadAllAsync(scanCts.Token).ConfigureAwait(false))
            {
                if (await journal.TryReuseAsync(item, cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref counters.TopLevelDone);
                    Interlocked.Add(ref counters.TopLevelBytesDone, item.Length ?? 0);
                    continue;
                }

                var (results, bytesRead) = await pipeline.ProcessAsync(item, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref counters.TopLevelDone);
                Interlocked.Add(ref counters.TopLevelBytesDone, item.Length ?? 0);

                // Journaled before any sink hears of it: what a sink saw is in the journal (durable when its group commits).
                journal.Append(item, results, bytesRead);
                ItemJournaled?.Invoke();
                await dispatch.PostAsync(results, scanCts.Token).ConfigureAwait(false);
            }
        }

        try
        {
            await producer.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (scanCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A worker failed and stopped the walk; its exception is rethrown just below.
        }

        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A sink that threw stopped the workers: its exception is the one to report, else the worker's.
            await dispatch.CompleteAsync().ConfigureAwait(false);
            throw;
        }

        await dispatch.CompleteAsync().ConfigureAwait(false);
        counters.SetPhase(ScanPhase.Resolving);

        var totals = journal.Finish();
        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sourceList.OfType<IScanSourceFacts>())
        {
            foreach (var (key, value) in source.GetFacts())
            {
                facts[key] = value;
            }
        }

        // Resolution streams the journal once and spills beside it; the summary counts the items as it reads them.
        // A rescan in which every item is unchanged carries the previous scan's resolution over: same items, same index.
        var durable = journal as ScanJournal;
        SummaryBuilder counts;
        ResolvedIndex resolved;
        var carried = durable?.CarriedOverResolution(durable.Folder);
        if (carried is not null)
        {
            (resolved, counts) = (carried.Index, SummaryBuilder.Decode(carried.Counts));
        }
        else
        {
            // Outputs of the items alone are written on the other core while the items are resolved.
            foreach (var sink in sinkList.OfType<IItemOutputSink>())
            {
                sink.BeginItems(journal, cancellationToken);
            }

            counts = new SummaryBuilder();
            resolved = _options.Resolver.ResolveIndex(journal, durable?.Folder, counts.Add, cancellationToken);
        }

        durable?.SaveResolution(resolved.Individuals, resolved.Staff, counts.Encode());
        var individuals = resolved.Individuals;
        var summary = counts.Build(
            sourceList.Select(s => s.Description).ToList(),
            individuals,
            totals,
            _options.Time.GetElapsedTime(started),
            facts) with
        {
            ToolVersion = ToolVersion,
            RulesHash = _options.RulesHash,
            Limits = _options.Limits,
            Threads = _options.Threads,
            StartedAt = startedAt,
            EndedAt = _options.Time.GetUtcNow(),
            FilesOpened = Interlocked.Read(ref counters.FilesOpened),
            FilesOpenedWithNoAtime = Interlocked.Read(ref counters.FilesOpenedWithNoAtime),
        };

        var result = new ScanResult(new JournalItems(journal), individuals, summary) { Staff = resolved.Staff, Results = journal, Unread = counts.Unread, CarriedFrom = carried };
        counters.SetPhase(ScanPhase.Writing);
        foreach (var sink in sinkList)
        {
            await sink.OnCompletedAsync(result, cancellationToken).ConfigureAwait(false);
        }

        journal.MarkComplete();
        await progressCts.CancelAsync().ConfigureAwait(false);
        await progressTask.ConfigureAwait(false);
        progress?.Report(counters.Snapshot(done: true));
        return result;
    }

    /// <summary>
    /// The source that a scan of <paramref name="roots"/> reads the root at <paramref name="index"/> with (its
    /// items' logical paths depend on all the roots): for a scan cut into work units that run elsewhere (a cluster).
    /// </summary>
    /// <exception cref="ScanSourceException">The root does not exist or is in a format that cannot be read.</exception>
    public IScanSource ResolveSource(IReadOnlyList<string> roots, int index)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, roots.Count);
        var names = roots.Count > 1 ? SourceResolver.LogicalNames(roots) : null;
        return SourceResolver.Resolve(roots[index], names?[index], _options);
    }

    /// <summary>
    /// Opens (or creates) the durable journal of a scan of <paramref name="roots"/> in <paramref name="directory"/>
    /// (the output folder): an unfinished scan of the same roots with the same rules, limits and version is
    /// resumed; an empty or missing folder starts a new one. See <see cref="ScanJournal"/>.
    /// </summary>
    /// <exception cref="ScanJournalException">
    /// The folder holds a scan of other roots or options, a finished scan, or other files (without
    /// <see cref="JournalOptions.Restart"/>); or <see cref="JournalOptions.Resume"/> is set and there is nothing to
    /// resume; or <see cref="JournalOptions.Since"/> is not a finished scan of the same roots and options.
    /// </exception>
    public ScanJournal OpenJournal(string directory, IEnumerable<string> roots, JournalOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(options);
        return ScanJournal.Open(directory, Fingerprint(roots), options);
    }

    /// <summary>What decides the results of a scan, hashed: a journal resumes or carries over only a scan of the same.</summary>
    private string Fingerprint(IEnumerable<string> roots)
    {
        var text = new System.Text.StringBuilder();
        text.Append("version ").Append(typeof(Scanner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion).Append('\n');
        foreach (var root in roots)
        {
            text.Append("root ").Append(Path.GetFullPath(root)).Append('\n');
        }

        text.Append("rules ").Append(_options.RulesHash).Append('\n');
        text.Append("limits ").Append(_options.Limits).Append('\n');
        text.Append("hash ").Append(_options.HashItems).Append('\n');

        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    private async Task ReportProgressAsync(IProgress<ScanProgress> progress, ScanCounters counters, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                progress.Report(counters.Snapshot(done: false));
            }
        }
        catch (OperationCanceledException)
        {
            // The scan finished or was cancelled; the final report follows.
        }
    }

    /// <summary>Stops the progress timer however the scan ends (a failed worker or sink included).</summary>
    private readonly struct CancelOnDispose(CancellationTokenSource source) : IDisposable
    {
        public void Dispose() => source.Cancel();
    }

    /// <summary>A journal's items as a list, read on first use (for callers of <see cref="ScanResult.Items"/>).</summary>
    private sealed class JournalItems(IItemResultReader journal) : IReadOnlyList<ItemResult>
    {
        private readonly Lazy<List<ItemResult>> _items = new(() => journal.Read(CancellationToken.None).ToList());

        public int Count => _items.Value.Count;

        public ItemResult this[int index] => _items.Value[index];

        public IEnumerator<ItemResult> GetEnumerator() => _items.Value.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class ChannelItemWriter(ChannelWriter<ScanItem> writer, ScanCounters counters) : ItemWriter
    {
        public override ValueTask WriteAsync(ScanItem item, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref counters.ItemsQueued);
            Interlocked.Add(ref counters.BytesQueued, item.Length ?? 0);
            return writer.WriteAsync(item, cancellationToken);
        }
    }
}

/// <summary>What a scan is doing.</summary>
public enum ScanPhase
{
    /// <summary>The sources are still finding items (items are scanned meanwhile).</summary>
    Walking,

    /// <summary>Every item has been found; the rest are being scanned.</summary>
    Scanning,

    /// <summary>Records are being resolved into individuals.</summary>
    Resolving,

    /// <summary>The sinks are writing the index.</summary>
    Writing,

    /// <summary>Finished.</summary>
    Done,
}

/// <summary>A snapshot of a running scan's progress. Counts only, never a path or a value.</summary>
/// <param name="ItemsQueued">Top-level items found by the sources so far.</param>
/// <param name="ItemsDone">Items finished (including container members).</param>
/// <param name="BytesRead">Bytes read from items (including container members' expanded bytes).</param>
/// <param name="Findings">Findings so far.</param>
/// <param name="Completed">True for the final report.</param>
public readonly record struct ScanProgress(long ItemsQueued, long ItemsDone, long BytesRead, long Findings, bool Completed)
{
    /// <summary>What the scan is doing.</summary>
    public ScanPhase Phase { get; init; }

    /// <summary>Top-level items finished, of <see cref="ItemsQueued"/>.</summary>
    public long TopLevelDone { get; init; }

    /// <summary>Bytes of the top-level items found so far (their sizes as listed).</summary>
    public long BytesQueued { get; init; }

    /// <summary>Bytes of the top-level items finished, of <see cref="BytesQueued"/>.</summary>
    public long BytesDone { get; init; }
}

/// <summary>Shared counters of a scan, updated with <see cref="Interlocked"/>.</summary>
internal sealed class ScanCounters
{
#pragma warning disable SA1401, CA1051 // fields for Interlocked
    public long ItemsQueued;
    public long ItemsDone;
    public long BytesRead;
    public long Findings;
    public long ExpandedBytes;
    public long TopLevelDone;
    public long BytesQueued;
    public long TopLevelBytesDone;
    public long FilesOpened;
    public long FilesOpenedWithNoAtime;
#pragma warning restore SA1401, CA1051

    private int _phase;

    public void SetPhase(ScanPhase phase) => Volatile.Write(ref _phase, (int)phase);

    public ScanProgress Snapshot(bool done) => new(
        Interlocked.Read(ref ItemsQueued),
        Interlocked.Read(ref ItemsDone),
        Interlocked.Read(ref BytesRead),
        Interlocked.Read(ref Findings),
        done)
    {
        Phase = done ? ScanPhase.Done : (ScanPhase)Volatile.Read(ref _phase),
        TopLevelDone = Interlocked.Read(ref TopLevelDone),
        BytesQueued = Interlocked.Read(ref BytesQueued),
        BytesDone = Interlocked.Read(ref TopLevelBytesDone),
    };
}

/// <summary>A scan root that cannot be read (missing, unsupported image format, missing tool).</summary>
public sealed class ScanSourceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScanSourceException()
    {
    }

    /// <summary>Creates the exception with a message meant for the user.</summary>
    public ScanSourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ScanSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
