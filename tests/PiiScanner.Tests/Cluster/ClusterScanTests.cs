using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using PiiScanner.Cluster;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Notification;
using PiiScanner.Testing;
using PiiScanner.Tests.EndToEnd;
using PiiScanner.Tests.Sources;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Cluster;

/// <summary>
/// Scans on an in-process Orleans cluster (TestingHost: two silos, Redis as the grain store) compared byte for byte
/// with a local scan of the same share; one of them with a silo killed in the middle of a unit.
/// </summary>
public sealed class ClusterScanTests(ClusterScanTests.TwoSilos fixture, ITestOutputHelper output) : IClassFixture<ClusterScanTests.TwoSilos>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ScanOnTwoSilosWritesTheSameIndexAsALocalScan()
    {
        if (!RedisAvailable(output))
        {
            return;
        }

        using var temp = new TempFolder();
        var (share, settings, scanner, local) = await ShareScannedLocallyAsync(temp, seed: 5, copies: 3);

        var outDir = temp.Combine("cluster");
        var (result, status) = await ClusterScanAsync(fixture.Cluster, scanner, settings, share, outDir);

        Assert.True(status.Units > 3, $"the share was cut into {status.Units} units");
        Assert.Equal(status.Units, status.UnitsDone);
        Assert.Equal(local.Items.Count, result.Items.Count);
        DurableScanTests.AssertSameOutputs(temp.Combine("local"), outDir);
    }

    [Fact]
    public async Task DiskImagesCutIntoVolumesAndPageRangesWriteTheSameIndexAsALocalScan()
    {
        using var kit = new ImageTestKit(output);
        using var kit2 = new ImageTestKit(output);
        if (!RedisAvailable(output) || !kit.Have("mke2fs", "debugfs", "mkfs.vfat", "mcopy", "mdel", "ewfacquire", "mmls", "fsstat", "fls", "icat", "blkls", "blkcat", "ifind", "ffind", "img_stat"))
        {
            return;
        }

        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 10, 9, 1);
        var raw = kit.BuildPartitionedDisk();
        File.Move(raw, temp.Combine("disk.raw"));
        var e01 = kit2.BuildPartitionedDisk(e01: true);
        string[] roots = [share, temp.Combine("disk.raw"), e01];
        var settings = ScanSettings.From([], new ExtractionLimits(), OcrOptions.Disabled, []);
        var scanner = settings.CreateBuilder(2).Build();
        var local = await LocalScanAsync(scanner, roots, temp.Combine("local"));

        // Pages in ranges of 4 MiB: about one page a unit, cut in the middle of p1's long free run.
        var outDir = temp.Combine("cluster");
        var options = new ClusterScanOptions { TargetUnits = 8, Poll = TimeSpan.FromMilliseconds(50), ImagePageRangeBytes = 4 << 20 };
        var (result, status) = await ClusterScanAsync(fixture.Cluster, scanner, settings, roots, outDir, options);

        Assert.True(status.Units > 12, $"the roots were cut into {status.Units} units");
        Assert.Equal(local.Items.Count, result.Items.Count);
        Assert.Contains(result.Items, i => i.File.Path.StartsWith("disk.raw/p1/$unallocated/", StringComparison.Ordinal));
        Assert.Contains(result.Items, i => i.File.Path.StartsWith("parts.E01/p2/", StringComparison.Ordinal));
        DurableScanTests.AssertSameOutputs(temp.Combine("local"), outDir);

        // The images' facts are the local scan's: the parts' counts added up, the hashes from the part that hashes.
        var facts = result.Summary.Facts;
        Assert.Contains("parts.E01/image.sha256.before", local.Summary.Facts.Keys);
        foreach (var key in local.Summary.Facts.Keys)
        {
            Assert.True(facts.TryGetValue(key, out var value) && value == local.Summary.Facts[key], $"{key}: {value} on the cluster, {local.Summary.Facts[key]} locally");
        }
    }

    [Fact]
    public async Task UnitThatFailsOnEveryRunIsReportedFailedAndTheScanFinishes()
    {
        if (!RedisAvailable(output))
        {
            return;
        }

        using var temp = new TempFolder();
        var (share, settings, scanner, _) = await ShareScannedLocallyAsync(temp, seed: 10, copies: 3);
        var options = new ClusterScanOptions { TargetUnits = 12, Poll = TimeSpan.FromMilliseconds(50), MaxAttempts = 2 };
        var plan = UnitPlanner.Plan([Path.GetFullPath(share)], settings.ExcludedPaths, options.TargetUnits, options.MaxSplitDepth);
        var poisoned = plan.First(u => u.Directory.Length > 0 && u.Excluded.Count == 0).Directory;

        var outDir = temp.Combine("cluster");
        var warnings = new List<string>();
        options.Warn = warnings.Add;
        fixture.Gate.Fail(u => u.Directory == poisoned);
        ScanStatus status;
        try
        {
            (_, status) = await ClusterScanAsync(fixture.Cluster, scanner, settings, [share], outDir, options);
        }
        finally
        {
            fixture.Gate.Fail(null);
        }

        var failure = Assert.Single(status.Failures);
        Assert.Equal(poisoned, failure.Unit.Directory);
        Assert.Equal(2, failure.Attempts);
        Assert.Equal("IOException", failure.Error);
        Assert.Contains(warnings, w => w.Contains("given up", StringComparison.Ordinal));

        // files.jsonl: the local scan's lines but the poisoned directory's, which is one failed line saying why.
        static List<string> Lines(string dir) => [.. File.ReadAllLines(Path.Combine(dir, "files.jsonl"))];
        var local = Lines(temp.Combine("local"));
        var cluster = Lines(outDir);
        var under = $"{{\"path\":\"{poisoned}/";
        Assert.Contains(local, l => l.StartsWith(under, StringComparison.Ordinal));
        Assert.Equal(local.Where(l => !l.StartsWith(under, StringComparison.Ordinal)), cluster.Where(l => !l.StartsWith($"{{\"path\":\"{poisoned}\"", StringComparison.Ordinal)));
        var marker = Assert.Single(SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl")), f => f.GetProperty("path").GetString() == poisoned);
        Assert.Equal("failed", marker.GetProperty("status").GetString());
        Assert.StartsWith("error: not read: its cluster work unit", marker.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(cluster, l => l.StartsWith(under, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RescanSinceAnEarlierScanCarriesUnchangedFilesOverAsALocalRescanDoes(bool verifyHash)
    {
        if (!RedisAvailable(output))
        {
            return;
        }

        using var temp = new TempFolder();
        var (share, settings, scanner, _) = await ShareScannedLocallyAsync(temp, seed: 11, copies: 3);

        // Between the scans: one file changed, one added, one removed, and one rewritten with its length and
        // modification time kept (only --verify-hash tells: the workers hash it, the client compares).
        var files = Directory.GetFiles(share, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        File.AppendAllText(files[0], "\nName: Nora Newline, SSN 123-45-6790, DOB 1971-07-08\n");
        File.SetLastWriteTimeUtc(files[0], DateTime.UtcNow.AddMinutes(1));
        File.Delete(files[1]);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(files[2])!, "added.txt"), "Name: Andy Added\nSSN: 123-45-6791\n");
        var stealth = files.Last(f => f.EndsWith(".txt", StringComparison.Ordinal));
        var (length, time) = (new FileInfo(stealth).Length, File.GetLastWriteTimeUtc(stealth));
        var text = "Name: Stella Stealth, SSN 123-45-6793\n";
        File.WriteAllText(stealth, text + new string(' ', (int)length - text.Length));
        File.SetLastWriteTimeUtc(stealth, time);
        Assert.Equal(length, new FileInfo(stealth).Length);

        var since = new JournalOptions { Since = temp.Combine("local"), VerifyHash = verifyHash };
        ScanResult local;
        using (var journal = scanner.OpenJournal(temp.Combine("local-rescan"), [share], since))
        {
            local = await scanner.ScanAsync([share], Sinks(temp.Combine("local-rescan")), journal);
        }

        var outDir = temp.Combine("cluster-rescan");
        var options = new ClusterScanOptions { TargetUnits = 12, Poll = TimeSpan.FromMilliseconds(50), FilesPerUnit = 5, Incremental = true };
        ScanResult result;
        using (var journal = scanner.OpenJournal(outDir, [share], since))
        {
            (result, _) = await ClusterScan.RunAsync(fixture.Cluster.Client, scanner, settings, [share], outDir, journal, Sinks(outDir), null, options, CancellationToken.None);
        }

        Assert.NotNull(local.Summary.Changes);
        Assert.Equal(local.Summary.Changes, result.Summary.Changes);
        Assert.True(result.Summary.Changes!.Unchanged > 10, $"{result.Summary.Changes.Unchanged} unchanged");
        Assert.Equal((1, verifyHash ? 2 : 1, 1), (result.Summary.Changes.New, result.Summary.Changes.Changed, result.Summary.Changes.Gone));
        var relative = Path.GetRelativePath(share, stealth).Replace('\\', '/');
        Assert.Equal(verifyHash ? FileChange.Changed : FileChange.Unchanged, Assert.Single(result.Items, i => i.File.Path == relative).File.Change);
        DurableScanTests.AssertSameOutputs(temp.Combine("local-rescan"), outDir);
    }

    [Fact]
    public async Task ClientStoppedMidScanResumesFromTheUnitsTheClusterHoldsAsDone()
    {
        if (!RedisAvailable(output))
        {
            return;
        }

        using var temp = new TempFolder();
        var (share, settings, scanner, _) = await ShareScannedLocallyAsync(temp, seed: 6, copies: 4);

        var outDir = temp.Combine("cluster");
        var client = fixture.Cluster.Client;
        var coordinator = client.GetGrain<IScanCoordinatorGrain>(ClusterScan.ScanId(outDir, scanner, [Path.GetFullPath(share)]));
        var options = new ClusterScanOptions { TargetUnits = 24, Poll = TimeSpan.FromMilliseconds(50) };
        using (var stop = new CancellationTokenSource())
        using (var journal = scanner.OpenJournal(outDir, [share], new JournalOptions()))
        {
            var first = ClusterScan.RunAsync(client, scanner, settings, [share], outDir, journal, Sinks(outDir), null, options, stop.Token);
            while ((await coordinator.StatusAsync(null)).UnitsDone < 2)
            {
                await Task.Delay(20);
            }

            // The workers hold their units from here; the client goes away with part of the scan journaled.
            fixture.Gate.Pause();
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        }

        var stopped = await coordinator.StatusAsync(null);
        Assert.InRange(stopped.UnitsDone, 2, stopped.Units - 1);
        fixture.Gate.Resume();
        using (var journal = scanner.OpenJournal(outDir, [share], new JournalOptions { Resume = true }))
        {
            Assert.True(journal.Resumed);
            var (_, status) = await ClusterScan.RunAsync(client, scanner, settings, [share], outDir, journal, Sinks(outDir), null, options, CancellationToken.None);
            Assert.Equal(status.Units, status.UnitsDone);
        }

        DurableScanTests.AssertSameOutputs(temp.Combine("local"), outDir);
    }

    [Fact]
    public async Task CoordinatorRestartedMidScanGoesOnFromTheStateInTheStore()
    {
        if (!RedisAvailable(output))
        {
            return;
        }

        using var temp = new TempFolder();
        var (share, settings, scanner, _) = await ShareScannedLocallyAsync(temp, seed: 7, copies: 4);
        var outDir = temp.Combine("cluster");
        var coordinator = fixture.Cluster.Client.GetGrain<IScanCoordinatorGrain>(ClusterScan.ScanId(outDir, scanner, [Path.GetFullPath(share)]));
        var scan = ClusterScanAsync(fixture.Cluster, scanner, settings, share, outDir, units: 24);
        while ((await coordinator.StatusAsync(null)).UnitsDone < 2)
        {
            await Task.Delay(20);
        }

        // Deactivated (as when its silo stops) while the workers hold their units: it comes back with the plan and
        // the units done from Redis, and its leases (held in memory) are gone.
        fixture.Gate.Pause();
        var before = await coordinator.StatusAsync(null);
        await fixture.Cluster.DeactivateAsync(coordinator);
        var after = await coordinator.StatusAsync(null);
        fixture.Gate.Resume();
        var (_, status) = await scan;

        Assert.InRange(before.UnitsDone, 2, before.Units - 1);
        Assert.Equal(before.Units, after.Units);
        Assert.True(after.UnitsDone >= before.UnitsDone, $"{after.UnitsDone} units done after the restart, {before.UnitsDone} before");
        Assert.Equal(status.Units, status.UnitsDone);
        DurableScanTests.AssertSameOutputs(temp.Combine("local"), outDir);
    }

    [Fact]
    public async Task SiloKilledInTheMiddleOfAUnitLosesNothingAndCountsNothingTwice()
    {
        if (!RedisAvailable(output))
        {
            return;
        }

        await using var redis = await RedisServer.StartAsync();
        using var temp = new TempFolder();
        var (share, settings, scanner, local) = await ShareScannedLocallyAsync(temp, seed: 8, copies: 3);

        var victim = new Victim();
        var cluster = await StartClusterAsync(redis, victim, output);
        await using var _ = cluster;
        var outDir = temp.Combine("cluster");

        // The silo to kill is the one that does not hold the coordinator: a coordinator on a dead silo comes back
        // from the store only once membership declares the silo dead, which takes longer than a test should.
        var coordinator = cluster.Client.GetGrain<IScanCoordinatorGrain>(ClusterScan.ScanId(outDir, scanner, [Path.GetFullPath(share)]));
        var host = (await coordinator.StatusAsync(null)).Host;
        var doomed = cluster.Silos.Single(s => s.SiloAddress.ToString() != host);
        victim.Arm(doomed.SiloAddress.ToString());

        var scan = ClusterScanAsync(cluster, scanner, settings, share, outDir);
        await victim.Stopped.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.False(scan.IsCompleted, "the scan waits for the unit the victim holds");
        await cluster.KillSiloAsync(doomed);
        var (result, status) = await scan;

        Assert.True(victim.Delivered > 0, "the victim delivered part of its unit before it died");
        // The victim never acknowledged its unit (it waited until it was killed): another silo read it. (The coordinator's
        // count of retakes is no proof: a coordinator whose directory entry was on the dead silo may come back as a
        // new activation from the store, leases and count forgotten.)
        Assert.True(status.IsDone(victim.Unit), $"the victim's unit {victim.Unit} was taken over and done");
        Assert.Equal(status.Units, status.UnitsDone);
        Assert.Equal(local.Items.Count, result.Items.Count);
        Assert.Equal(local.Summary.FilesByStatus, result.Summary.FilesByStatus);
        DurableScanTests.AssertSameOutputs(temp.Combine("local"), outDir);
    }

    /// <summary>True when redis-server is installed; otherwise skips (or, in CI, fails) the test.</summary>
    [Fact]
    public async Task ImageIsHashedAgainOnlyAfterEveryUnitOfItHasEnded()
    {
        using var kit = new ImageTestKit(output);
        if (!RedisAvailable(output) || !kit.Have("mke2fs", "debugfs", "mkfs.vfat", "mcopy", "mmd", "mdel", "mmls", "fsstat", "fls", "icat", "blkls", "blkcat", "ifind", "ffind", "img_stat"))
        {
            return;
        }

        using var temp = new TempFolder();
        var image = temp.Combine("disk.raw");
        File.Move(kit.BuildPartitionedDisk(), image);
        var settings = ScanSettings.From([], new ExtractionLimits(), OcrOptions.Disabled, []);
        var scanner = settings.CreateBuilder(2).Build();
        var options = new ClusterScanOptions { Poll = TimeSpan.FromMilliseconds(50), ImagePageRangeBytes = 4 << 20, ImageFileBytes = 256 };

        // Every unit but the image's first touches the image's modification time as it starts (its bytes stay the
        // same): the after-hash sees that only if it is taken once the last unit has begun, and so ended.
        var touched = DateTime.UtcNow.AddDays(-1);
        fixture.Gate.Before(u =>
        {
            if (u.Kind == UnitKind.ImagePart && !u.ImagePart.VerifiesImage)
            {
                touched = touched.AddSeconds(1);
                File.SetLastWriteTimeUtc(image, touched);
            }
        });
        ScanStatus status;
        ScanResult result;
        try
        {
            (result, status) = await ClusterScanAsync(fixture.Cluster, scanner, settings, [image], temp.Combine("cluster"), options);
        }
        finally
        {
            fixture.Gate.Before(null);
        }

        Assert.True(status.Units > 6, $"{status.Units} units");
        var facts = result.Summary.Facts;
        Assert.Equal(ImageTestKit.Sha256(image), facts["image.sha256.after"]);
        Assert.Equal(facts["image.sha256.before"], facts["image.sha256.after"]);
        Assert.Equal("false", facts["image.unchanged"]);
    }

    private static bool RedisAvailable(ITestOutputHelper output)
    {
        if (!RedisServer.Installed)
        {
            MissingTool.SkipOrFail(output, RedisServer.Missing);
        }

        return RedisServer.Installed;
    }

    /// <summary>A synthetic share in the temp folder, scanned locally into <c>local</c>, and the scanner used.</summary>
    private static async Task<(string Share, ScanSettings Settings, Scanner Scanner, ScanResult Local)> ShareScannedLocallyAsync(TempFolder temp, int seed, int copies)
    {
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 40, seed, copies);
        var settings = ScanSettings.From([], new ExtractionLimits(), OcrOptions.Disabled, []);
        var scanner = settings.CreateBuilder(2).Build();
        return (share, settings, scanner, await LocalScanAsync(scanner, share, temp.Combine("local")));
    }

    private static List<IScanSink> Sinks(string outDir)
    {
        var options = new OutputOptions();
        return [new NotificationSink(outDir, options, new NotificationDecider(NotificationLaws.LoadDefault(), new NotificationOptions()), null), new OutputDirectorySink(outDir, options)];
    }

    private static async Task<ScanResult> LocalScanAsync(Scanner scanner, string share, string outDir) => await LocalScanAsync(scanner, [share], outDir);

    private static async Task<ScanResult> LocalScanAsync(Scanner scanner, string[] roots, string outDir)
    {
        using var journal = scanner.OpenJournal(outDir, roots, new JournalOptions());
        return await scanner.ScanAsync(roots, Sinks(outDir), journal);
    }

    private static Task<(ScanResult Result, ScanStatus Status)> ClusterScanAsync(InProcessTestCluster cluster, Scanner scanner, ScanSettings settings, string share, string outDir, int units = 12)
        => ClusterScanAsync(cluster, scanner, settings, [share], outDir, new ClusterScanOptions { TargetUnits = units, Poll = TimeSpan.FromMilliseconds(50), FilesPerUnit = 5 });

    private static async Task<(ScanResult Result, ScanStatus Status)> ClusterScanAsync(InProcessTestCluster cluster, Scanner scanner, ScanSettings settings, string[] roots, string outDir, ClusterScanOptions options)
    {
        using var journal = scanner.OpenJournal(outDir, roots, new JournalOptions());
        return await ClusterScan.RunAsync(cluster.Client, scanner, settings, roots, outDir, journal, Sinks(outDir), null, options, CancellationToken.None);
    }

    private static async Task<InProcessTestCluster> StartClusterAsync(RedisServer redis, IHooks hooks, ITestOutputHelper? output)
    {
        var address = ClusterAddress.Parse(redis.Address);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UsePiiScanStore(address, clustering: false);
            // A dead silo is noticed in seconds, and a call to it fails in seconds (both 30 s and more by default).
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 1;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        builder.ConfigureSiloHost((options, host) =>
        {
            host.Services.AddPiiScanWorker(o => (o.Threads, o.Poll, o.BatchItems) = (1, TimeSpan.FromMilliseconds(20), 2), lease => lease.Duration = Lease);
            host.Services.AddSingleton<IWorkerHook>(sp => hooks.For(sp.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>().SiloAddress.ToString()));
        });
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        output?.WriteLine($"silos: {string.Join(", ", cluster.Silos.Select(s => s.SiloAddress))}");
        return cluster;
    }

    /// <summary>
    /// Once armed: stops the victim silo's worker for good right after its first delivery, mid-unit, and holds the
    /// other silo after its first delivery until then, so the victim is sure to hold a unit of its own.
    /// </summary>
    private sealed class Victim : IHooks
    {
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _silo;
        private int _delivered;

        public Task Stopped => _stopped.Task;

        public int Delivered => Volatile.Read(ref _delivered);

        /// <summary>The unit the victim held when it stopped.</summary>
        public int Unit { get; private set; } = -1;

        public void Arm(string silo) => Volatile.Write(ref _silo, silo);

        IWorkerHook IHooks.For(string silo) => new Hook(this, silo);

        private sealed class Hook(Victim victim, string silo) : IWorkerHook
        {
            public async Task AfterDeliveryAsync(int unit, CancellationToken cancellationToken)
            {
                var armed = Volatile.Read(ref victim._silo);
                if (armed is null)
                {
                    return;
                }

                if (armed != silo)
                {
                    await victim.Stopped.WaitAsync(cancellationToken);
                    return;
                }

                Interlocked.Increment(ref victim._delivered);
                victim.Unit = unit;
                victim._stopped.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }

    /// <summary>Gives each silo its worker hook.</summary>
    public interface IHooks
    {
        internal IWorkerHook For(string silo);
    }

    /// <summary>Redis and two silos shared by the tests that stop no silo.</summary>
    public sealed class TwoSilos : IAsyncLifetime
    {
        private RedisServer? _redis;
        private InProcessTestCluster? _cluster;

        public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("redis-server is not installed");

        internal Gate Gate { get; } = new();

        public async Task InitializeAsync()
        {
            if (!RedisAvailable(new NoOutput()))
            {
                return;
            }

            _redis = await RedisServer.StartAsync();
            _cluster = await StartClusterAsync(_redis, Gate, null);
        }

        public async Task DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }
        }

        private sealed class NoOutput : ITestOutputHelper
        {
            public void WriteLine(string message)
            {
            }

            public void WriteLine(string format, params object[] args)
            {
            }
        }
    }

    /// <summary>Holds every worker after its next delivery while paused; fails the units it is told to.</summary>
    internal sealed class Gate : IHooks, IWorkerHook
    {
        private TaskCompletionSource _open = Open();
        private Func<WorkUnit, bool>? _failing;
        private Action<WorkUnit>? _before;
        private int _failedRuns;

        public int FailedRuns => Volatile.Read(ref _failedRuns);

        /// <summary>Units for which this is true throw before they are read, on every silo, every time (null: none).</summary>
        public void Fail(Func<WorkUnit, bool>? units) => Volatile.Write(ref _failing, units);

        /// <summary>Called before each unit is read, on every silo (null: nothing).</summary>
        public void Before(Action<WorkUnit>? action) => Volatile.Write(ref _before, action);

        public Task BeforeRunAsync(WorkUnit unit, CancellationToken cancellationToken)
        {
            Volatile.Read(ref _before)?.Invoke(unit);
            if (Volatile.Read(ref _failing) is { } failing && failing(unit))
            {
                Interlocked.Increment(ref _failedRuns);
                throw new IOException("injected failure");
            }

            return Task.CompletedTask;
        }

        public void Pause() => Volatile.Write(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public void Resume() => Volatile.Read(ref _open).TrySetResult();

        IWorkerHook IHooks.For(string silo) => this;

        public Task AfterDeliveryAsync(int unit, CancellationToken cancellationToken) => Volatile.Read(ref _open).Task.WaitAsync(cancellationToken);

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource();
            open.SetResult();
            return open;
        }
    }
}
