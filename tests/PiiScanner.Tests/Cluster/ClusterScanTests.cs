using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using PiiScanner.Cluster;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Notification;
using PiiScanner.Testing;
using PiiScanner.Tests.EndToEnd;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Cluster;

/// <summary>
/// Scans on an in-process Orleans cluster (TestingHost: two silos, Redis as the grain store) compared byte for byte
/// with a local scan of the same share; one of them with a silo killed in the middle of a unit.
/// </summary>
public sealed class ClusterScanTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ScanOnTwoSilosWritesTheSameIndexAsALocalScan()
    {
        if (!RedisServer.Available(output))
        {
            return;
        }

        await using var redis = await RedisServer.StartAsync();
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 40, seed: 5, copies: 3);
        var (settings, scanner) = Scanner();
        var local = await LocalScanAsync(scanner, share, temp.Combine("local"));

        var cluster = await StartClusterAsync(redis, hooks: null);
        await using var _ = cluster;
        var outDir = temp.Combine("cluster");
        var (result, status) = await ClusterScanAsync(cluster, scanner, settings, share, outDir);

        Assert.True(status.Units > 3, $"the share was cut into {status.Units} units");
        Assert.Equal(status.Units, status.UnitsDone);
        Assert.Equal(local.Items.Count, result.Items.Count);
        DurableScanTests.AssertSameOutputs(temp.Combine("local"), outDir);
    }

    [Fact]
    public async Task SiloKilledInTheMiddleOfAUnitLosesNothingAndCountsNothingTwice()
    {
        if (!RedisServer.Available(output))
        {
            return;
        }

        await using var redis = await RedisServer.StartAsync();
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        SyntheticShare.Write(share, 40, seed: 8, copies: 3);
        var (settings, scanner) = Scanner();
        var local = await LocalScanAsync(scanner, share, temp.Combine("local"));

        var victim = new Victim();
        var cluster = await StartClusterAsync(redis, victim);
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
        Assert.True(status.Retakes >= 1, "the victim's unit was taken over");
        Assert.Equal(status.Units, status.UnitsDone);
        Assert.Equal(local.Items.Count, result.Items.Count);
        Assert.Equal(local.Summary.FilesByStatus, result.Summary.FilesByStatus);
        DurableScanTests.AssertSameOutputs(temp.Combine("local"), outDir);
    }

    private static (ScanSettings Settings, Scanner Scanner) Scanner()
    {
        var settings = ScanSettings.From([], new ExtractionLimits(), OcrOptions.Disabled, []);
        return (settings, settings.CreateBuilder(2).Build());
    }

    private static List<IScanSink> Sinks(string outDir)
    {
        var options = new OutputOptions();
        return [new NotificationSink(outDir, options, new NotificationDecider(NotificationLaws.LoadDefault(), new NotificationOptions()), null), new OutputDirectorySink(outDir, options)];
    }

    private static async Task<ScanResult> LocalScanAsync(Scanner scanner, string share, string outDir)
    {
        using var journal = scanner.OpenJournal(outDir, [share], new JournalOptions());
        return await scanner.ScanAsync([share], Sinks(outDir), journal);
    }

    private static async Task<(ScanResult Result, ScanStatus Status)> ClusterScanAsync(InProcessTestCluster cluster, Scanner scanner, ScanSettings settings, string share, string outDir)
    {
        using var journal = scanner.OpenJournal(outDir, [share], new JournalOptions());
        var options = new ClusterScanOptions { TargetUnits = 12, Poll = TimeSpan.FromMilliseconds(50) };
        return await ClusterScan.RunAsync(cluster.Client, scanner, settings, [share], outDir, journal, Sinks(outDir), null, options, CancellationToken.None);
    }

    private async Task<InProcessTestCluster> StartClusterAsync(RedisServer redis, Victim? hooks)
    {
        var address = ClusterAddress.Parse(redis.Address);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UsePiiScanStore(address, clustering: false);
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
            if (hooks is not null)
            {
                host.Services.AddSingleton<IWorkerHook>(sp => hooks.For(sp.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>().SiloAddress.ToString()));
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        output.WriteLine($"silos: {string.Join(", ", cluster.Silos.Select(s => s.SiloAddress))}");
        return cluster;
    }

    /// <summary>
    /// Once armed: stops the victim silo's worker for good right after its first delivery, mid-unit, and holds the
    /// other silo after its first delivery until then, so the victim is sure to hold a unit of its own.
    /// </summary>
    private sealed class Victim
    {
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _silo;
        private int _delivered;

        public Task Stopped => _stopped.Task;

        public int Delivered => Volatile.Read(ref _delivered);

        public void Arm(string silo) => Volatile.Write(ref _silo, silo);

        public IWorkerHook For(string silo) => new Hook(this, silo);

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
                victim._stopped.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }
}
