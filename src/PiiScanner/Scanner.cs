using System.Diagnostics;
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
    public DetectionEngine Detection => _options.Detection;

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
    /// <exception cref="ScanSourceException">A root does not exist or is in a format that cannot be read.</exception>
    public Task<ScanResult> ScanAsync(
        IEnumerable<string> roots,
        IEnumerable<IScanSink> sinks,
        IProgress<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var list = roots.ToList();
        var sources = list.Select(root => SourceResolver.Resolve(root, list.Count > 1, _options)).ToList();
        return ScanAsync(sources, sinks, progress, cancellationToken);
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
        var counters = new ScanCounters();

        var channel = Channel.CreateBounded<ScanItem>(new BoundedChannelOptions(_options.Threads * 64)
        {
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var writer = new ChannelItemWriter(channel.Writer, counters);
        var sinkLock = new Lock();
        foreach (var sink in sinkList)
        {
            await sink.OnStartingAsync(cancellationToken).ConfigureAwait(false);
        }

        var pipeline = new ItemPipeline(_options, counters);

        using var progressCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

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
        await progressCts.CancelAsync().ConfigureAwait(false);
        await progressTask.ConfigureAwait(false);

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
            facts);
        var result = new ScanResult(items, individuals, summary) { Staff = resolved.Staff };
        foreach (var sink in sinkList)
        {
            await sink.OnCompletedAsync(result, cancellationToken).ConfigureAwait(false);
        }

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

    private sealed class ChannelItemWriter(ChannelWriter<ScanItem> writer, ScanCounters counters) : ItemWriter
    {
        public override ValueTask WriteAsync(ScanItem item, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref counters.ItemsQueued);
            return writer.WriteAsync(item, cancellationToken);
        }
    }
}

/// <summary>A snapshot of a running scan's progress.</summary>
/// <param name="ItemsQueued">Top-level items found by the sources so far.</param>
/// <param name="ItemsDone">Items finished (including container members).</param>
/// <param name="BytesRead">Bytes read from items.</param>
/// <param name="Findings">Findings so far.</param>
/// <param name="Completed">True for the final report.</param>
public readonly record struct ScanProgress(long ItemsQueued, long ItemsDone, long BytesRead, long Findings, bool Completed);

/// <summary>Shared counters of a scan, updated with <see cref="Interlocked"/>.</summary>
internal sealed class ScanCounters
{
#pragma warning disable SA1401, CA1051 // fields for Interlocked
    public long ItemsQueued;
    public long ItemsDone;
    public long BytesRead;
    public long Findings;
    public long ExpandedBytes;
#pragma warning restore SA1401, CA1051

    public ScanProgress Snapshot(bool done) => new(
        Interlocked.Read(ref ItemsQueued),
        Interlocked.Read(ref ItemsDone),
        Interlocked.Read(ref BytesRead),
        Interlocked.Read(ref Findings),
        done);
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
