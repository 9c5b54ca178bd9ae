using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PiiScanner.Index;
using PiiScanner.Sources;

namespace PiiScanner.Cluster;

/// <summary>How a silo's worker runs units.</summary>
public sealed class WorkerOptions
{
    /// <summary>Pipeline threads for a unit (as <c>--threads</c> of a local scan; results do not depend on it).</summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>How often an idle worker asks for a unit.</summary>
    public TimeSpan Poll { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most items sent to the client in one delivery.</summary>
    public int BatchItems { get; set; } = 256;

    /// <summary>Most encoded bytes sent to the client in one delivery (one item larger than this goes alone).</summary>
    public int BatchBytes { get; set; } = 1 << 20;

    /// <summary>Most finished items waiting for delivery before the pipeline waits for the client.</summary>
    public int Pending { get; set; } = 1024;
}

/// <summary>A test's hook into a worker: called after each delivery of a unit's results.</summary>
internal interface IWorkerHook
{
    Task AfterDeliveryAsync(int unit, CancellationToken cancellationToken);

    /// <summary>Called before a unit is read (a test makes some units fail here).</summary>
    Task BeforeRunAsync(WorkUnit unit, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The silo's worker: asks the running scans' coordinators for a unit, reads it with the same pipeline as a local
/// scan (<see cref="Scanner.ScanAsync(IEnumerable{IScanSource}, IEnumerable{IScanSink}, IScanJournal, IProgress{ScanProgress}?, CancellationToken)"/>
/// over the unit's source, no resolution), ships each finished item to the client that journals it, renews the lease
/// while it reads, and acknowledges the unit once every item is journaled. Logs counts and unit numbers only.
/// </summary>
internal sealed class UnitWorker(IGrainFactory grains, IOptions<WorkerOptions> options, ILogger<UnitWorker> log, IServiceProvider services) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Scanner> _scanners = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly string _worker = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var registry = grains.GetGrain<IScanRegistryGrain>(0);
        while (!stoppingToken.IsCancellationRequested)
        {
            UnitLease? lease = null;
            try
            {
                foreach (var scan in await registry.ScansAsync().ConfigureAwait(false))
                {
                    if (_refused.Contains(scan))
                    {
                        continue;
                    }

                    lease = await grains.GetGrain<IScanCoordinatorGrain>(scan).LeaseAsync(_worker).ConfigureAwait(false);
                    if (lease is not null)
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The cluster is starting or a silo just died: ask again shortly.
                log.LogWarning("piiscan worker: could not reach the scan coordinator ({Error})", ex.GetType().Name);
            }

            if (lease is null)
            {
                try
                {
                    await Task.Delay(options.Value.Poll, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            await RunAsync(lease, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(UnitLease lease, CancellationToken stoppingToken)
    {
        var spec = lease.Spec;
        var unit = lease.Unit;
        var coordinator = grains.GetGrain<IScanCoordinatorGrain>(spec.ScanId);
        Scanner scanner;
        try
        {
            if (!_scanners.TryGetValue(spec.ScanId, out scanner!))
            {
                // One scanner per scan (its rules loaded once), kept for the few scans a silo serves at a time.
                scanner = Build(spec);
                if (_scanners.Count >= 4)
                {
                    _scanners.Clear();
                }

                _scanners[spec.ScanId] = scanner;
            }
        }
        catch (Exception ex) when (ex is RefusalException or DirectoryNotFoundException or Detection.RuleLoadException or InvalidDataException)
        {
            var refusal = $"worker {_worker} cannot run this scan: {(ex is RefusalException ? ex.Message : ex.GetType().Name)}";
            log.LogError("piiscan worker: {Refusal}", refusal);
            _refused.Add(spec.ScanId);
            await TryAsync(() => coordinator.AbandonAsync(unit.Id, lease.Token, refusal)).ConfigureAwait(false);
            return;
        }

        using var unitCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var journal = new UnitJournal(lease, options.Value, services.GetService<IWorkerHook>(), unitCts);
        using var renewing = new CancellationTokenSource();
        var renew = RenewAsync(coordinator, lease, unitCts, renewing.Token);
        try
        {
            var source = scanner.ResolveSource(spec.Roots, unit.Root);
            source = unit.Kind switch
            {
                UnitKind.Directory => (source as DirectorySource ?? throw new InvalidDataException("the root is no longer a directory")).Subtree(unit.Directory, unit.Excluded, unit.NamesFrom, unit.NamesTo),
                UnitKind.ImagePart => (source as DiskImageSource ?? throw new InvalidDataException("the root is no longer a disk image")).ForPart(unit.ImagePart),
                _ => source,
            };

            if (services.GetService<IWorkerHook>() is { } hook)
            {
                await hook.BeforeRunAsync(unit, unitCts.Token).ConfigureAwait(false);
            }

            var result = await scanner.ScanAsync([source], [], journal, journal, unitCts.Token).ConfigureAwait(false);
            await journal.FlushAsync().ConfigureAwait(false);
            var counted = await coordinator.CompleteAsync(unit.Id, lease.Token, new UnitResult { Counts = journal.Counts, Facts = result.Summary.Facts }).ConfigureAwait(false);
            log.LogInformation("piiscan worker: unit {Unit} done, {Items} items{Again}", unit.Id, journal.Counts.ItemsDone, counted ? string.Empty : " (its lease was lost: another run of it counts)");
        }
        catch (Exception ex)
        {
            // Stopping, the lease lost, the client gone, or a failure (never a value in the message we log).
            var error = journal.Failure?.GetType().Name ?? ex.GetType().Name;
            log.LogWarning("piiscan worker: unit {Unit} given back ({Error})", unit.Id, error);
            await journal.AbortAsync().ConfigureAwait(false);
            var failed = ex is not OperationCanceledException && journal.Failure is null;
            await TryAsync(() => failed ? coordinator.FailAsync(unit.Id, lease.Token, error) : coordinator.AbandonAsync(unit.Id, lease.Token, null)).ConfigureAwait(false);
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
            await renew.ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lease a few times per lease period; a lost lease stops the unit.</summary>
    private async Task RenewAsync(IScanCoordinatorGrain coordinator, UnitLease lease, CancellationTokenSource unit, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(lease.Duration / 3);
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                bool held;
                try
                {
                    held = await coordinator.RenewAsync(lease.Unit.Id, lease.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    continue; // the coordinator is moving to another silo: try again at the next tick
                }

                if (!held)
                {
                    await unit.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The unit ended.
        }
    }

    private Scanner Build(ScanSpec spec)
    {
        var scanner = spec.Settings.CreateBuilder(options.Value.Threads).Build();
        if (Scanner.ToolVersion != spec.ToolVersion)
        {
            throw new RefusalException($"piiscan {Scanner.ToolVersion} here, {spec.ToolVersion} on the client");
        }

        if (scanner.RulesHash != spec.RulesHash)
        {
            throw new RefusalException("its rules differ from the client's (rules hash)");
        }

        if (scanner.Limits.ToString() != spec.Limits)
        {
            throw new RefusalException("its limits differ from the client's");
        }

        return scanner;
    }

    private static async Task TryAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease runs out by itself.
        }
    }

    private sealed class RefusalException(string message) : Exception(message);
}

/// <summary>
/// The journal of one unit on a silo: each finished item is encoded and queued for delivery to the client, which
/// journals it durably; nothing is kept here once delivered and nothing is resolved here (the client resolves the
/// whole scan), so <see cref="Read"/> yields nothing. Also the unit's progress receiver.
/// </summary>
internal sealed class UnitJournal : IScanJournal, IProgress<ScanProgress>
{
    private readonly UnitLease _lease;
    private readonly WorkerOptions _options;
    private readonly IWorkerHook? _hook;
    private readonly CancellationTokenSource _unit;
    private readonly Channel<ItemPayload> _queue = Channel.CreateUnbounded<ItemPayload>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _slots;
    private readonly Task _sender;
    private readonly Lock _lock = new();
    private long _bytes;
    private long _appended;
    private long _delivered;
    private ScanProgress _progress;

    public UnitJournal(UnitLease lease, WorkerOptions options, IWorkerHook? hook, CancellationTokenSource unit)
    {
        _lease = lease;
        _options = options;
        _hook = hook;
        _unit = unit;
        _slots = new SemaphoreSlim(options.Pending);
        _sender = Task.Run(SendAsync);
    }

    /// <summary>Why delivery failed, if it did.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The unit's counts so far (final once the scan of the unit returned).</summary>
    public UnitCounts Counts
    {
        get
        {
            ScanProgress p;
            lock (_lock)
            {
                p = _progress;
            }

            return new UnitCounts
            {
                Items = p.ItemsQueued,
                Bytes = p.BytesQueued,
                AllItems = p.ItemsDone,
                Findings = p.Findings,
                ItemsDone = p.TopLevelDone,
                BytesDone = p.BytesDone,
                Walked = p.Phase != ScanPhase.Walking,
            };
        }
    }

    public void Report(ScanProgress value)
    {
        lock (_lock)
        {
            _progress = value;
        }
    }

    public async ValueTask<bool> TryReuseAsync(ScanItem item, CancellationToken cancellationToken)
    {
        // Only a rescan asks: the client holds the previous scan's identities, and one call an item is its cost.
        if (!_lease.Spec.Incremental)
        {
            return false;
        }

        var identity = ItemIdentity.From(item);
        var answer = await _lease.Receiver.ReuseAsync(_lease.Unit.Id, _lease.Token, identity).WaitAsync(_unit.Token).ConfigureAwait(false);
        if (answer == ReuseAnswer.Hash)
        {
            // --verify-hash: the item looks unchanged; hashed here, where it is read, and carried over only if it matches.
            var sha256 = item.Open is null ? string.Empty : await ScanJournal.HashAsync(item, _unit.Token).ConfigureAwait(false);
            answer = await _lease.Receiver.ReuseAsync(_lease.Unit.Id, _lease.Token, identity with { Sha256 = sha256 }).WaitAsync(_unit.Token).ConfigureAwait(false);
        }

        return answer == ReuseAnswer.Reused;
    }

    public void Append(ScanItem item, IReadOnlyList<ItemResult> results, long bytesRead)
    {
        // Waits only while the client is this far behind (back-pressure on the pipeline, as a slow disk would be).
        _slots.Wait(_unit.Token);
        Interlocked.Add(ref _bytes, bytesRead);
        Interlocked.Increment(ref _appended);
        _queue.Writer.TryWrite(ItemPayload.From(FinishedItem.Create(item, results, bytesRead)));
    }

    public JournalTotals Finish() => new(Interlocked.Read(ref _bytes), null);

    public IEnumerable<ItemResult> Read(CancellationToken cancellationToken) => [];

    public void MarkComplete()
    {
    }

    /// <summary>Delivers what is queued and waits until the client has journaled all of it.</summary>
    /// <exception cref="IOException">Some items were not delivered (the client failed, or the unit was stopped).</exception>
    public async Task FlushAsync()
    {
        _queue.Writer.TryComplete();
        await _sender.ConfigureAwait(false);
        if (Failure is not null || Interlocked.Read(ref _delivered) != Interlocked.Read(ref _appended))
        {
            throw new IOException("the client did not journal all of the unit's results", Failure);
        }

        if (_lease.Spec.Incremental)
        {
            await _lease.Receiver.CommitAsync(_lease.Unit.Id, _lease.Token).WaitAsync(_unit.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Stops delivering.</summary>
    public async Task AbortAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _sender.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException)
        {
            // Stopped mid-delivery.
        }
    }

    private async Task SendAsync()
    {
        var batch = new List<ItemPayload>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_unit.Token).ConfigureAwait(false))
            {
                var bytes = 0;
                while (batch.Count < _options.BatchItems && bytes < _options.BatchBytes && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                    bytes += item.Results.Sum(r => r.Data.Length);
                }

                // Given up when the lease is lost: a client that went away may never answer.
                await _lease.Receiver.DeliverAsync(_lease.Unit.Id, _lease.Token, batch, Counts).WaitAsync(_unit.Token).ConfigureAwait(false);
                Interlocked.Add(ref _delivered, batch.Count);
                _slots.Release(batch.Count);
                batch.Clear();
                if (_hook is not null)
                {
                    await _hook.AfterDeliveryAsync(_lease.Unit.Id, _unit.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_unit.IsCancellationRequested)
        {
            Failure = ex;
            await _unit.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The unit was stopped.
        }
    }
}
