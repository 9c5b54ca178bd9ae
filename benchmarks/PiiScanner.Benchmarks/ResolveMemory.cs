using System.Diagnostics;
using System.Globalization;
using PiiScanner.Index;
using PiiScanner.Resolution;

namespace PiiScanner.Benchmarks;

/// <summary>
/// What resolution costs in memory and time on a dense share (<see cref="DenseShare"/>): the share is scanned once
/// in-process without sinks, then <see cref="IdentityResolver.ResolveIndex"/> runs again on the scan's items while a
/// sampler records the managed heap every 10 ms. Prints the heap the items hold, the peak heap resolution adds on
/// top (per person) and what it allocates in total. With <c>--write</c>, then times
/// writing the outputs (<see cref="OutputDirectorySink"/>) without and with <c>index.db</c>.
/// Usage: <c>resolve-memory [--people N] [--share DIR] [--threads T] [--write]</c>.
/// </summary>
internal static class ResolveMemory
{
    public static async Task<int> RunAsync(string[] args)
    {
        var people = RgRatio.Option(args, "--people", 100_000);
        var threads = RgRatio.Option(args, "--threads", Environment.ProcessorCount);
        var given = RgRatio.OptionText(args, "--share");
        var share = given ?? Path.Combine(Path.GetTempPath(), "piiscan-resolve-memory-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (!Directory.Exists(share))
            {
                DenseShare.Write(share, people);
            }

            var (items, summary) = await ScanAsync(share, threads);
            var resolver = new IdentityResolver(NameMatcher.Load([RulesFolder.Shipped]));
            var baseline = Settle();

            using var stop = new CancellationTokenSource();
            long peak = 0;
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                    await Task.Delay(10).ConfigureAwait(false);
                }
            });
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var resolved = resolver.ResolveIndex(items);
            watch.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            await stop.CancelAsync();
            await sampler;
            var perPerson = people > 0 ? 1.0 / people : 0;
            Console.WriteLine("| people | items | heap of the items | resolution peak above it | allocated by resolution | individuals | time | load |");
            Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {people} | {items.Count} | {baseline / 1048576.0:F0} MiB | {(peak - baseline) / 1048576.0:F0} MiB ({(peak - baseline) * perPerson / 1024:F1} KiB/person) | {allocated / 1048576.0:F0} MiB ({allocated * perPerson / 1024:F1} KiB/person) | {resolved.Individuals.Count} | {watch.Elapsed.TotalSeconds:F1} s | {RepeatedPerson.Load()} |"));
            if (args.Contains("--write"))
            {
                var scan = new ScanResult(items, resolved.Individuals, summary) { Staff = resolved.Staff };
                foreach (var sqlite in new[] { false, true })
                {
                    var output = share + "-out";
                    watch.Restart();
                    await new OutputDirectorySink(output, new OutputOptions { WriteSqlite = sqlite }).OnCompletedAsync(scan, CancellationToken.None);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outputs {(sqlite ? "with" : "without")} index.db: {watch.Elapsed.TotalSeconds:F1} s, {Directory.EnumerateFiles(output).Sum(f => new FileInfo(f).Length) / 1e6:F0} MB"));
                    Directory.Delete(output, recursive: true);
                }
            }

            GC.KeepAlive(items);
            GC.KeepAlive(resolved);
            return 0;
        }
        finally
        {
            if (given is null)
            {
                Directory.Delete(share, recursive: true);
            }
        }
    }

    // In a method of its own, so that nothing of the scan's own resolution stays reachable from this state machine.
    private static async Task<(IReadOnlyList<ItemResult> Items, ScanSummary Summary)> ScanAsync(string share, int threads)
    {
        var result = await new ScannerBuilder().WithThreads(threads).Build().ScanAsync([share], []);
        return (result.Items, result.Summary);
    }

    /// <summary>The managed heap after a full, compacting collection.</summary>
    private static long Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
