using System.Diagnostics;
using System.Reflection;
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
    /// With several roots, each root's items are prefixed with the root's name.
    /// </summary>
    /// <param name="roots">Paths to scan.</param>
    /// <param name="sinks">Receivers of item results and the final index (e.g. <see cref="OutputDirectorySink"/>).</param>
    /// <param name="progress">Optional progress receiver, reported a few times a second from a timer thread.</param>
    /// <param name="cancellationToken">Stops the scan; a cancelled scan throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The complete result, items sorted by path.</returns>
    /// <exception cref="ScanSourceException">A root does not exist or is in a format that cannot be read (the returned task fails with it).</exception>
    public async Task<ScanResult> ScanAsync(
        IEnumerable<string> roots,
        IEnumerable<IScanSink> sinks,
        IProgress<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var list = roots.ToList();
        var names = list.Count > 1 ? SourceResolver.LogicalNames(list) : null;
        // Inside the task: a missing root fails the returned task, it is not thrown at the call.
        var sources = list.Select((root, i) => SourceResolver.Resolve(root, names?[i], _options)).ToList();
        return await ScanAsync(sources, sinks, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scans the given sources and pushes the results into the sinks.</summary>
    /// <inheritdoc cref="ScanAsync(IEnumerable{string}, IEnumerable{IScanSink}, IProgress{ScanProgress}?, CancellationToken)"/>
    public async Task<ScanResult> ScanAsync(
        IEnumerable<IScanSource> sources,
        IEnumerable<IScanSink> sinks,
        IProgress<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(sinks);
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
        var sinkLock = new Lock();
        var pipeline = new ItemPipeline(_options, counters);

        using var progressCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopProgress = new CancelOnDispose(progressCts);

        // Fails the whole scan fast if a worker dies (a bug, not bad input): the producer must not wait forever
        // on a channel nobody reads.
        using var scanCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progressTask = progress is null ? Task.CompletedTask : ReportProgressAsync(progress, counters, progressCts.Token);

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
            var local = new List<ItemResult>();
            try
            {
                await WorkAsync(local).ConfigureAwait(false);
            }
            catch
            {
                await scanCts.CancelAsync().ConfigureAwait(false);
                throw;
            }

            return local;
        }, cancellationToken)).ToArray();

        async Task WorkAsync(List<ItemResult> local)
        {
            await foreach (var item in channel.Reader.ReadAllAsync(scanCts.Token).ConfigureAwait(false))
            {
                var results = await pipeline.ProcessAsync(item, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref counters.TopLevelDone);
                Interlocked.Add(ref counters.TopLevelBytesDone, item.Length ?? 0);
                local.AddRange(results);
                lock (sinkLock)
                {
                    foreach (var result in results)
                    {
                        foreach (var sink in sinkList)
                        {
                            sink.OnItem(result);
                        }
                    }
                }
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

        var perWorker = await Task.WhenAll(workers).ConfigureAwait(false);
        counters.SetPhase(ScanPhase.Resolving);

        // Deterministic order whatever the thread count: items by logical path, then by file-system address.
        var items = perWorker.SelectMany(x => x)
            .OrderBy(r => r.File.Path, StringComparer.Ordinal)
            .ThenBy(r => r.File.Origin?.Inode, StringComparer.Ordinal)
            .ToList();

        var resolved = _options.Resolver.ResolveIndex(items);
        var individuals = resolved.Individuals;
        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sourceList.OfType<IScanSourceFacts>())
        {
            foreach (var (key, value) in source.GetFacts())
            {
                facts[key] = value;
            }
        }

        var summary = SummaryBuilder.Build(
            sourceList.Select(s => s.Description).ToList(),
            items,
            individuals,
            counters.BytesRead,
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
        var result = new ScanResult(items, individuals, summary) { Staff = resolved.Staff };
        counters.SetPhase(ScanPhase.Writing);
        foreach (var sink in sinkList)
        {
            await sink.OnCompletedAsync(result, cancellationToken).ConfigureAwait(false);
        }

        await progressCts.CancelAsync().ConfigureAwait(false);
        await progressTask.ConfigureAwait(false);
        progress?.Report(counters.Snapshot(done: true));
        return result;
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
