using System.Diagnostics;
using System.Globalization;
using PiiScanner.Sources;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Reading the files of a disk image: builds an ext4 image (mke2fs -d) holding N small files (5,000 by default,
/// each a short made-up person record), then, alternating, in this process: lists the image and reads every file
/// (a) in-process through libtsk, (b) with one <c>icat</c> per file (the fallback), (c) from the folder the image was
/// built from (the "mounted/extracted" baseline); and, with <c>--scan</c>, a whole scan (detection, resolution, no
/// output files) of the image each way and of the folder. Prints wall and CPU seconds (this process plus its
/// children, i.e. icat) per run, medians, and the ratios.
/// Usage: <c>image-read [--files N] [--runs N] [--scan] [--threads N] [--keep]</c>.
/// </summary>
internal static class ImageRead
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = RgRatio.Option(args, "--files", 5000);
        var runs = RgRatio.Option(args, "--runs", 3);
        var threads = RgRatio.Option(args, "--threads", Environment.ProcessorCount);
        var scan = args.Contains("--scan");
        var root = Path.Combine(Path.GetTempPath(), "piiscan-image-read-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tree = Path.Combine(root, "tree");
            var bytes = WriteTree(tree, files);
            var image = Path.Combine(root, "files.ext4");
            var mke2fs = new[] { "/usr/sbin/mke2fs", "/sbin/mke2fs" }.FirstOrDefault(File.Exists) ?? "mke2fs";
            var made = ChildProcess.Run(mke2fs, ["-q", "-F", "-t", "ext4", "-N", (files + 1024).ToString(CultureInfo.InvariantCulture), "-d", tree, image, ((files / 128) + 32).ToString(CultureInfo.InvariantCulture) + "M"]);
            if (made.ExitCode != 0)
            {
                Console.Error.WriteLine("mke2fs failed: " + made.Error);
                return 1;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ext4 image: {files} files, {bytes / 1e6:F2} MB of content, image {new FileInfo(image).Length / 1e6:F0} MB (page-cached)"));
            var readOptions = new DiskImageOptions { HashImage = false, ScanUnallocated = false, LocateOwners = false };
            var modes = new List<(string Name, Func<Task<string>> Run)>
            {
                ("libtsk in-process", async () => $"{await ReadImageAsync(image, readOptions)} bytes"),
                ("icat per file", async () => $"{await ReadImageAsync(image, readOptions with { ReadWithTools = true })} bytes"),
                ("folder", () => Task.FromResult($"{ReadFolder(tree)} bytes")),
            };
            if (scan)
            {
                var scanner = new ScannerBuilder().WithThreads(threads).Build();
                modes.Add(("scan: image, libtsk", () => ScanAsync(scanner, new DiskImageSource(image))));
                modes.Add(("scan: image, icat", () => ScanAsync(scanner, new DiskImageSource(image, new DiskImageOptions { ReadWithTools = true }))));
                modes.Add(("scan: folder", () => ScanAsync(scanner, new DirectorySource(tree))));
            }

            // One untimed round first: JIT and page cache.
            foreach (var (_, run) in modes)
            {
                await run();
            }

            var results = modes.ToDictionary(m => m.Name, _ => new List<(double Wall, double Cpu)>());
            for (var round = 1; round <= runs; round++)
            {
                foreach (var (name, run) in modes)
                {
                    var cpuBefore = Cpu();
                    var watch = Stopwatch.StartNew();
                    var read = await run();
                    var wall = watch.Elapsed.TotalSeconds;
                    var cpu = (Cpu() - cpuBefore).TotalSeconds;
                    results[name].Add((wall, cpu));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {round} {name,-22} wall {wall,7:F3} s  cpu {cpu,7:F3} s  ({read})"));
                }
            }

            Console.WriteLine();
            Console.WriteLine("| mode | wall s (median) | CPU s (median) | files/s | CPU ms per file |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            var medians = results.ToDictionary(r => r.Key, r => (Wall: RgRatio.Median(r.Value.Select(v => v.Wall).ToList()), Cpu: RgRatio.Median(r.Value.Select(v => v.Cpu).ToList())));
            foreach (var (name, (wall, cpu)) in medians)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {wall:F3} | {cpu:F3} | {files / wall:F0} | {cpu * 1000 / files:F3} |"));
            }

            Console.WriteLine();
            Ratio(medians, "icat per file", "libtsk in-process");
            Ratio(medians, "libtsk in-process", "folder");
            if (scan)
            {
                Ratio(medians, "scan: image, icat", "scan: image, libtsk");
                Ratio(medians, "scan: image, libtsk", "scan: folder");
            }

            return 0;
        }
        finally
        {
            if (!args.Contains("--keep"))
            {
                Directory.Delete(root, recursive: true);
            }
            else
            {
                Console.WriteLine("kept " + root);
            }
        }
    }

    private static void Ratio(Dictionary<string, (double Wall, double Cpu)> medians, string slow, string fast)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{slow} / {fast}: wall {medians[slow].Wall / medians[fast].Wall:F1}x, CPU {medians[slow].Cpu / medians[fast].Cpu:F1}x"));

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime + (ChildProcess.ChildrenCpu() ?? TimeSpan.Zero);

    private static long WriteTree(string tree, int files)
    {
        long bytes = 0;
        for (var i = 0; i < files; i++)
        {
            var folder = Path.Combine(tree, "dept" + (i % 50).ToString("D2", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var text = string.Create(CultureInfo.InvariantCulture,
                $"Employee record {i}\nName: Testperson{i:D5} Example\nSSN: 123-45-{(i % 9000) + 1000:D4}\nDOB: 19{50 + (i % 40):D2}-0{1 + (i % 9)}-1{i % 10}\nNotes: quarterly review filed; nothing else.\n");
            File.WriteAllText(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"r{i:D5}.txt")), text);
            bytes += text.Length;
        }

        return bytes;
    }

    /// <summary>Lists the image and reads every file item to its end; returns the bytes read.</summary>
    private static async Task<long> ReadImageAsync(string image, DiskImageOptions options)
    {
        var source = new DiskImageSource(image, options);
        var items = new Collector();
        await source.EnumerateAsync(items, CancellationToken.None);
        var buffer = new byte[64 << 10];
        long total = 0;
        foreach (var item in items.Items.Where(i => i.Open is not null && i.ExtractorHint is null))
        {
            using var stream = item.Open!(CancellationToken.None);
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                total += n;
            }
        }

        return total;
    }

    private static long ReadFolder(string tree)
    {
        long total = 0;
        foreach (var file in Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories))
        {
            total += File.ReadAllBytes(file).Length;
        }

        return total;
    }

    private static async Task<string> ScanAsync(Scanner scanner, IScanSource source)
    {
        var result = await scanner.ScanAsync([source], []);
        return string.Create(CultureInfo.InvariantCulture, $"{result.Items.Count} items, {result.Individuals.Count} people");
    }

    private sealed class Collector : ItemWriter
    {
        public List<ScanItem> Items { get; } = [];

        public override ValueTask WriteAsync(ScanItem item, CancellationToken cancellationToken)
        {
            Items.Add(item);
            return ValueTask.CompletedTask;
        }
    }
}
