using System.Diagnostics;
using System.Globalization;
using PiiScanner.Index;
using PiiScanner.Testing;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Whole-scan throughput: generates a synthetic share (CSV, pipe, JSON, UTF-16 notes, logs; optionally many
/// small files), scans it end to end into a throw-away output folder, and prints MB/s and files/s.
/// Usage: <c>whole-scan [--people N] [--copies N] [--filler-files N] [--filler-kb K] [--threads N] [--runs N] [--keep]</c>.
/// </summary>
internal static class WholeScan
{
    public static async Task<int> RunAsync(string[] args)
    {
        var people = Option(args, "--people", 2000);
        var copies = Option(args, "--copies", 40);
        var threads = Option(args, "--threads", Environment.ProcessorCount);
        var runs = Option(args, "--runs", 3);
        var fillerFiles = Option(args, "--filler-files", 0);
        var fillerKb = Option(args, "--filler-kb", 64);
        var root = Path.Combine(Path.GetTempPath(), "piiscan-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var generate = Stopwatch.StartNew();
            var truth = SyntheticShare.Write(Path.Combine(root, "share"), people, seed: 42, copies: copies);
            var fillerBytes = WriteFiller(Path.Combine(root, "share", "Documents"), fillerFiles, fillerKb);
            truth = truth with { Files = truth.Files + fillerFiles, Bytes = truth.Bytes + fillerBytes };
            Console.WriteLine("corpus at " + root);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus: {truth.Files} files, {truth.Bytes / 1e6:F1} MB, {people} people x {copies} copies (generated in {generate.Elapsed.TotalSeconds:F1} s)"));

            var scanner = new ScannerBuilder().WithThreads(threads).Build();
            for (var run = 1; run <= runs; run++)
            {
                var outDir = Path.Combine(root, "out" + run.ToString(CultureInfo.InvariantCulture));
                var watch = Stopwatch.StartNew();
                var result = await scanner.ScanAsync([Path.Combine(root, "share")], [new OutputDirectorySink(outDir, new OutputOptions())]);
                watch.Stop();
                var seconds = watch.Elapsed.TotalSeconds;
                var writing = seconds - result.Summary.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"run {run}: {seconds:F2} s (writing the index {writing:F2} s), {result.Summary.BytesRead / 1e6 / seconds:F1} MB/s, {result.Items.Count / seconds:F0} files/s, {result.Summary.FindingsByElement.Values.Sum()} findings, {result.Individuals.Count} individuals, threads {threads}"));
            }

            return 0;
        }
        finally
        {
            if (!args.Contains("--keep"))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Office-memo-like prose with no personal data: what most of a real share holds.</summary>
    internal static long WriteFiller(string folder, int files, int kilobytes)
    {
        if (files == 0)
        {
            return 0;
        }

        Directory.CreateDirectory(folder);
        string[] words = ["the", "committee", "reviewed", "quarterly", "budget", "and", "agreed", "to", "revisit", "proposal", "at", "next", "meeting", "of", "board", "staff", "report", "annual", "program", "funding", "county", "services", "office", "training", "schedule", "update", "policy", "review", "contract", "vendor", "invoice", "total", "2021", "Q3", "page", "section"];
        var random = new Random(7);
        long bytes = 0;
        for (var i = 0; i < files; i++)
        {
            var text = new System.Text.StringBuilder(kilobytes * 1024);
            while (text.Length < kilobytes * 1024)
            {
                for (var w = 0; w < 14; w++)
                {
                    text.Append(words[random.Next(words.Length)]).Append(' ');
                }

                text.Append(".\n");
            }

            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"memo_{i:00000}.txt"));
            File.WriteAllText(path, text.ToString());
            bytes += text.Length;
        }

        return bytes;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
