using Microsoft.Extensions.Options;
using PiiScanner.Sources;

namespace PiiScanner.Cluster;

/// <summary>The plan of a scan, written once when the scan starts.</summary>
[GenerateSerializer]
public sealed class ScanPlanState
{
    [Id(0)] public ScanSpec? Spec { get; set; }

    [Id(1)] public List<WorkUnit> Units { get; set; } = [];
}

/// <summary>Which units are done and what they counted: small (a bit per unit), written at each unit's end.</summary>
[GenerateSerializer]
public sealed class ScanProgressState
{
    [Id(0)] public byte[] Done { get; set; } = [];

    [Id(1)] public int UnitsDone { get; set; }

    [Id(2)] public UnitCounts Counts { get; set; } = new() { Walked = true };

    /// <summary>Facts of the finished units' sources, by unit (a disk image's parts each give theirs).</summary>
    [Id(3)] public Dictionary<int, Dictionary<string, string>> Facts { get; set; } = [];

    /// <summary>Failed runs of the units not done, by unit.</summary>
    [Id(4)] public Dictionary<int, int> Attempts { get; set; } = [];

    /// <summary>The units given up (each also marked done).</summary>
    [Id(5)] public List<UnitFailure> Failures { get; set; } = [];
}

/// <summary>How units are leased.</summary>
public sealed class LeaseOptions
{
    /// <summary>A lease not renewed for this long is handed to another worker (its silo is taken for dead).</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <inheritdoc cref="IScanCoordinatorGrain"/>
internal sealed class ScanCoordinatorGrain(
    [PersistentState("plan", ClusterHosting.StorageName)] IPersistentState<ScanPlanState> plan,
    [PersistentState("progress", ClusterHosting.StorageName)] IPersistentState<ScanProgressState> progress,
    IOptions<LeaseOptions> leaseOptions,
    TimeProvider time) : Grain, IScanCoordinatorGrain
{
    private readonly Dictionary<int, Lease> _leases = [];
    private readonly List<string> _refusals = [];
    private IResultReceiver? _receiver;
    private DateTimeOffset _receiverSeen;
    private int _retakes;

    public async Task<bool> StartAsync(ScanSpec spec, IReadOnlyList<WorkUnit> units, bool reset)
    {
        var kept = !reset && plan.RecordExists && plan.State.Spec is not null;
        if (!kept)
        {
            plan.State = new ScanPlanState { Spec = spec, Units = [.. units] };
            progress.State = new ScanProgressState { Done = new byte[(units.Count + 7) / 8] };
            _leases.Clear();
            await plan.WriteStateAsync().ConfigureAwait(true);
            await progress.WriteStateAsync().ConfigureAwait(true);
        }

        await GrainFactory.GetGrain<IScanRegistryGrain>(0).AddAsync(this.GetPrimaryKeyString()).ConfigureAwait(true);
        return kept;
    }

    public Task<ScanStatus> StatusAsync(IResultReceiver? receiver)
    {
        var now = time.GetUtcNow();
        if (receiver is not null)
        {
            if (_receiver is not null && receiver.GetGrainId() != _receiver.GetGrainId())
            {
                // Another client took the scan over (the first was stopped and run again): units leased for the old
                // one are read again for the new one, whose journal lacks what the old one had not yet committed.
                _leases.Clear();
            }

            (_receiver, _receiverSeen) = (receiver, now);
        }

        return Task.FromResult(new ScanStatus
        {
            Units = plan.State.Units.Count,
            UnitsDone = progress.State.UnitsDone,
            UnitsLeased = _leases.Values.Count(l => l.Expires > now),
            Done = progress.State.Counts,
            Retakes = _retakes,
            Host = RuntimeIdentity,
            Facts = progress.State.Facts
                .GroupBy(kv => plan.State.Units[kv.Key].Root)
                .ToDictionary(g => g.Key, g => DiskImageSource.MergePartFacts(g.OrderBy(kv => kv.Key).Select(kv => (IReadOnlyDictionary<string, string>)kv.Value))),
            Refusals = [.. _refusals],
            DoneUnits = [.. progress.State.Done],
            Failures = [.. progress.State.Failures],
        });
    }

    public async Task<UnitLease?> LeaseAsync(string worker)
    {
        var now = time.GetUtcNow();
        var duration = leaseOptions.Value.Duration;

        // No client, or one not heard from for a lease's time (stopped, killed): nobody would journal the results.
        if (_receiver is null || plan.State.Spec is null || now - _receiverSeen > duration)
        {
            return null;
        }

        foreach (var unit in plan.State.Units)
        {
            if (IsDone(unit.Id))
            {
                continue;
            }

            if (_leases.TryGetValue(unit.Id, out var held))
            {
                if (held.Expires > now)
                {
                    continue;
                }

                // Its worker stopped renewing: it died (perhaps of this unit) or lost the coordinator for a lease's time.
                _retakes++;
                _leases.Remove(unit.Id);
                if (await FailedRunAsync(unit.Id, "its worker stopped answering (the silo died or was cut off)").ConfigureAwait(true))
                {
                    continue;
                }
            }

            var token = Guid.NewGuid();
            _leases[unit.Id] = new Lease(token, worker, now + duration);
            return new UnitLease { Spec = plan.State.Spec, Unit = unit, Token = token, Receiver = _receiver, Duration = duration };
        }

        return null;
    }

    public Task<bool> RenewAsync(int unit, Guid token)
    {
        if (IsDone(unit) || !_leases.TryGetValue(unit, out var held) || held.Token != token)
        {
            return Task.FromResult(false);
        }

        _leases[unit] = held with { Expires = time.GetUtcNow() + leaseOptions.Value.Duration };
        return Task.FromResult(true);
    }

    public async Task<bool> CompleteAsync(int unit, Guid token, UnitResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        // Only under the unit's latest lease (expired or not, as long as nobody took the unit over): another run
        // of it may be delivering to another client, and is the one to count.
        if (IsDone(unit) || !_leases.TryGetValue(unit, out var held) || held.Token != token)
        {
            return false;
        }

        progress.State.Done[unit / 8] |= (byte)(1 << (unit % 8));
        progress.State.UnitsDone++;
        progress.State.Counts += result.Counts with { Walked = true };
        if (result.Facts.Count > 0)
        {
            progress.State.Facts[unit] = new Dictionary<string, string>(result.Facts, StringComparer.Ordinal);
        }

        _leases.Remove(unit);
        await progress.WriteStateAsync().ConfigureAwait(true);
        return true;
    }

    public Task AbandonAsync(int unit, Guid token, string? refusal)
    {
        if (_leases.TryGetValue(unit, out var held) && held.Token == token)
        {
            _leases.Remove(unit);
        }

        if (refusal is not null)
        {
            Note(refusal);
        }

        return Task.CompletedTask;
    }

    /// <summary>Keeps a message for the client (a refusal, a failed run), the first 16 different ones.</summary>
    private void Note(string message)
    {
        if (!_refusals.Contains(message) && _refusals.Count < 16)
        {
            _refusals.Add(message);
        }
    }

    public async Task FailAsync(int unit, Guid token, string error)
    {
        if (IsDone(unit) || !_leases.TryGetValue(unit, out var held) || held.Token != token)
        {
            return;
        }

        _leases.Remove(unit);
        await FailedRunAsync(unit, error).ConfigureAwait(true);
    }

    /// <summary>Counts a failed run of a unit; after the scan's most attempts gives the unit up. True when it was given up.</summary>
    private async Task<bool> FailedRunAsync(int unit, string error)
    {
        var attempts = progress.State.Attempts[unit] = progress.State.Attempts.GetValueOrDefault(unit) + 1;
        var max = Math.Max(1, plan.State.Spec!.MaxAttempts);
        var given = attempts >= max;
        Note($"unit {unit} failed ({error}): run {attempts} of at most {max}{(given ? ", given up" : ", tried again")}");
        if (given)
        {
            progress.State.Done[unit / 8] |= (byte)(1 << (unit % 8));
            progress.State.UnitsDone++;
            progress.State.Attempts.Remove(unit);
            progress.State.Failures.Add(new UnitFailure(plan.State.Units[unit], attempts, error));
        }

        await progress.WriteStateAsync().ConfigureAwait(true);
        return given;
    }

    public async Task FinishAsync()
    {
        await GrainFactory.GetGrain<IScanRegistryGrain>(0).RemoveAsync(this.GetPrimaryKeyString()).ConfigureAwait(true);
        await plan.ClearStateAsync().ConfigureAwait(true);
        await progress.ClearStateAsync().ConfigureAwait(true);
        _receiver = null;
        DeactivateOnIdle();
    }

    private bool IsDone(int unit) => Bits.IsSet(progress.State.Done, unit);

    private sealed record Lease(Guid Token, string Worker, DateTimeOffset Expires);
}

/// <summary>The registry's state: the ids of the scans running.</summary>
[GenerateSerializer]
public sealed class ScanRegistryState
{
    [Id(0)] public List<string> Scans { get; set; } = [];
}

/// <inheritdoc cref="IScanRegistryGrain"/>
internal sealed class ScanRegistryGrain(
    [PersistentState("scans", ClusterHosting.StorageName)] IPersistentState<ScanRegistryState> state) : Grain, IScanRegistryGrain
{
    public async Task AddAsync(string scanId)
    {
        if (!state.State.Scans.Contains(scanId))
        {
            state.State.Scans.Add(scanId);
            await state.WriteStateAsync().ConfigureAwait(true);
        }
    }

    public async Task RemoveAsync(string scanId)
    {
        if (state.State.Scans.Remove(scanId))
        {
            await state.WriteStateAsync().ConfigureAwait(true);
        }
    }

    public Task<IReadOnlyList<string>> ScansAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Scans]);
}
