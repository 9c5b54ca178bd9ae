using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PiiScanner.Cluster;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Testing;

namespace PiiScanner.Benchmarks;

/// <summary>
/// The cost of the cluster path against a local scan on the same machine and cores: generates a synthetic share,
/// starts redis-server on a free localhost port and <c>--silos</c> silos in this process (sharing <c>--threads</c>
/// between them) with a cluster client, then alternates local scans and cluster scans of the share into throw-away
/// output folders, and prints wall time and MB/s of each, the cluster's time to collect the items and to resolve and
/// write, the CPU time of each (the process's: a loaded machine blurs wall times), and whether the indexes are
/// byte-identical.
/// With <c>--image PATH</c> a disk image is a second root (its volumes' files cut by path into ranges of about
/// <c>--image-range-mb</c> of file sizes, default 64, and its raw pages into byte ranges of that many pages).
/// Usage: <c>cluster-overhead [--people N] [--copies N] [--filler-files N] [--filler-kb K] [--threads N] [--silos N] [--units N] [--runs N] [--image PATH] [--image-range-mb N]</c>.
/// </summary>
internal static class ClusterOverhead
{
    /// <summary>CPU time of this process (silos, client and local scans all run in it): a measure that a loaded machine does not blur.</summary>
    private static double CpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var people = RgRatio.Option(args, "--people", 2000);
        var copies = RgRatio.Option(args, "--copies", 20);
        var threads = RgRatio.Option(args, "--threads", Environment.ProcessorCount);
        var silos = RgRatio.Option(args, "--silos", 1);
        var units = RgRatio.Option(args, "--units", 64);
        var runs = RgRatio.Option(args, "--runs", 3);
        var fillerFiles = RgRatio.Option(args, "--filler-files", 0);
        var fillerKb = RgRatio.Option(args, "--filler-kb", 64);
        var imageAt = Array.IndexOf(args, "--image");
        var image = imageAt >= 0 && imageAt + 1 < args.Length ? Path.GetFullPath(args[imageAt + 1]) : null;
        var imageRangeMb = RgRatio.Option(args, "--image-range-mb", 64);
        if (!RedisServer.Installed)
        {
            Console.Error.WriteLine(RedisServer.Missing);
            return 2;
        }

        var root = Path.Combine(Path.GetTempPath(), "piiscan-bench-" + Guid.NewGuid().ToString("N"));
        var hosts = new List<IHost>();
        RedisServer? redis = null;
        try
        {
            var share = Path.Combine(root, "share");
            var truth = SyntheticShare.Write(share, people, seed: 42, copies: copies);
            var fillerBytes = WholeScan.WriteFiller(Path.Combine(share, "Documents"), fillerFiles, fillerKb);
            truth = truth with { Files = truth.Files + fillerFiles, Bytes = truth.Bytes + fillerBytes + (image is null ? 0 : new FileInfo(image).Length) };
            string[] roots = image is null ? [share] : [share, image];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus: {truth.Files} files, {truth.Bytes / 1e6:F1} MB, {people} people x {copies} copies; threads {threads}, silos {silos} (in this process), units {units}"));

            redis = await RedisServer.StartAsync();
            var address = ClusterAddress.Parse(redis.Address);
            for (var i = 0; i < silos; i++)
            {
                var endpoints = new SiloEndpoints { SiloPort = RedisServer.FreePort(), GatewayPort = RedisServer.FreePort(), Advertise = IPAddress.Loopback };
                hosts.Add(await ClusterHosting.StartSiloAsync(address, endpoints, new WorkerOptions { Threads = Math.Max(1, threads / silos) }, CancellationToken.None, logUnits: false));
            }

            var clientHost = await ClusterHosting.StartClientAsync(address, CancellationToken.None);
            hosts.Insert(0, clientHost);
            var client = clientHost.Services.GetRequiredService<IClusterClient>();
            var settings = ScanSettings.From([], new ExtractionLimits(), OcrOptions.Disabled, []);
            var scanner = settings.CreateBuilder(threads).Build();
            var options = new ClusterScanOptions { TargetUnits = units, ImagePageRangeBytes = (long)imageRangeMb << 20, ImageFileBytes = (long)imageRangeMb << 20 };

            for (var run = 1; run <= runs; run++)
            {
                // The same folders each run: the cluster's scan keeps its id, so the silos' scanners (rules loaded) are
                // reused, as the local runs reuse theirs.
                var localDir = Path.Combine(root, "local");
                var clusterDir = Path.Combine(root, "cluster");
                foreach (var dir in new[] { localDir, clusterDir }.Where(Directory.Exists))
                {
                    Directory.Delete(dir, recursive: true);
                }

                var cpu = CpuSeconds();
                var watch = Stopwatch.StartNew();
                ScanResult local;
                using (var journal = scanner.OpenJournal(localDir, roots, new JournalOptions()))
                {
                    local = await scanner.ScanAsync(roots, [new OutputDirectorySink(localDir, new OutputOptions())], journal);
                }

                var localSeconds = watch.Elapsed.TotalSeconds;
                var localCpu = CpuSeconds() - cpu;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run} local:   {localSeconds:F2} s wall, {localCpu:F2} s CPU, {truth.Bytes / 1e6 / localSeconds:F1} MB/s, {truth.Bytes / 1e6 / localCpu:F2} MB per CPU-second, {local.Individuals.Count} individuals"));

                cpu = CpuSeconds();
                watch.Restart();
                ScanResult result;
                ScanStatus status;
                using (var journal = scanner.OpenJournal(clusterDir, roots, new JournalOptions()))
                {
                    (result, status) = await ClusterScan.RunAsync(client, scanner, settings, roots, clusterDir, journal, [new OutputDirectorySink(clusterDir, new OutputOptions())], null, options, CancellationToken.None);
                }

                var clusterSeconds = watch.Elapsed.TotalSeconds;
                var clusterCpu = CpuSeconds() - cpu;
                var resolve = result.Summary.Elapsed.TotalSeconds;
                var differing = OutputDirectorySink.OutputFiles.Where(n => n != OutputDirectorySink.SummaryJson)
                    .Where(n => !File.ReadAllBytes(Path.Combine(localDir, n)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(clusterDir, n)))).ToList();
                var same = differing.Count == 0;
                if (!same)
                {
                    Console.WriteLine("differing: " + string.Join(", ", differing));
                    if (Environment.GetEnvironmentVariable("PIISCAN_BENCH_KEEP") is { Length: > 0 } keep)
                    {
                        foreach (var (from, name) in new[] { (localDir, "local"), (clusterDir, "cluster") })
                        {
                            Directory.CreateDirectory(Path.Combine(keep, name + run));
                            foreach (var file in Directory.GetFiles(from))
                            {
                                File.Copy(file, Path.Combine(keep, name + run, Path.GetFileName(file)), overwrite: true);
                            }
                        }
                    }
                }
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"run {run} cluster: {clusterSeconds:F2} s wall, {clusterCpu:F2} s CPU, {truth.Bytes / 1e6 / clusterSeconds:F1} MB/s ({status.Units} units: collected in {clusterSeconds - resolve:F2} s, resolved and written in {resolve:F2} s); overhead {(clusterSeconds / localSeconds - 1) * 100:F0} % wall, {(clusterCpu / localCpu - 1) * 100:F0} % CPU; index {(same ? "identical" : "DIFFERENT")}"));
            }

            return 0;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }

            if (redis is not null)
            {
                await redis.DisposeAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }
}
