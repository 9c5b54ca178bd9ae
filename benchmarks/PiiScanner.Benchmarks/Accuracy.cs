using System.Diagnostics;
using System.Globalization;
using PiiScanner.Testing;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Accuracy run: generates the realistic agency share (<see cref="RealisticShare"/>), scans it with the library
/// and prints the <see cref="AccuracyReport"/> table and the masked failure examples.
/// With <c>--corpus heldout</c> it generates <see cref="HeldOutShare"/> (the corpus written blind) instead.
/// Usage: <c>accuracy [--corpus realistic|heldout] [--people N] [--seed S] [--threads T] [--examples K] [--keep]</c>.
/// </summary>
internal static class Accuracy
{
    public static async Task<int> RunAsync(string[] args)
    {
        var people = Option(args, "--people", 400);
        var seed = Option(args, "--seed", 2025);
        var threads = Option(args, "--threads", Environment.ProcessorCount);
        var examples = Option(args, "--examples", 3);
        var root = Path.Combine(Path.GetTempPath(), "piiscan-accuracy-" + Guid.NewGuid().ToString("N"));
        try
        {
            var watch = Stopwatch.StartNew();
            var truth = Text(args, "--corpus") == "heldout" ? HeldOutShare.Write(root, people, seed) : RealisticShare.Write(root, people, seed);
            var generated = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var scanner = new ScannerBuilder().WithThreads(threads).Build();
            var result = await scanner.ScanAsync([root], []);
            var scanned = watch.Elapsed.TotalSeconds;
            var report = AccuracyReport.Evaluate(truth, result.Individuals);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus at {root}: {truth.Files.Count} files, {truth.Bytes / 1e6:F2} MB, {truth.People.Count} people, {truth.NonPersons.Count} non-persons, seed {seed} (generated in {generated:F2} s, scanned in {scanned:F2} s, threads {threads})"));
            Console.WriteLine();
            Console.WriteLine(report.ToMarkdown());
            Console.WriteLine(report.FailuresToMarkdown(examples));
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

    private static string? Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
