using System.Globalization;
using PiiScanner.Testing;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Incremental rescans: generates a share (dense PII exports plus office memos; 5,000 files by default), scans it
/// with the Release <c>piiscan</c> CLI, then rescans it unchanged with <c>--since</c> (and once with
/// <c>--verify-hash</c>), each a fresh process, and prints the times and the rescan / first-scan ratio
/// (target &lt; 10 %).
/// Usage: <c>rescan [--people N] [--copies N] [--filler-files N] [--filler-kb K] [--threads N] [--runs N] [--piiscan dll] [--no-build] [--keep]</c>.
/// </summary>
internal static class Rescan
{
    public static int Run(string[] args)
    {
        var people = RgRatio.Option(args, "--people", 2000);
        var copies = RgRatio.Option(args, "--copies", 5);
        var fillerFiles = RgRatio.Option(args, "--filler-files", 4970);
        var fillerKb = RgRatio.Option(args, "--filler-kb", 32);
        var threads = RgRatio.Option(args, "--threads", Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture);
        var runs = RgRatio.Option(args, "--runs", 3);
        var piiscan = RgRatio.OptionText(args, "--piiscan") ?? RgRatio.LocateCli(build: !args.Contains("--no-build"));
        if (piiscan is null)
        {
            return 1;
        }

        var root = Path.Combine(Path.GetTempPath(), "piiscan-rescan-" + Guid.NewGuid().ToString("N"));
        try
        {
            var share = Path.Combine(root, "share");
            var truth = SyntheticShare.Write(share, people, seed: 42, copies: copies);
            var bytes = truth.Bytes + WholeScan.WriteFiller(Path.Combine(share, "Documents"), fillerFiles, fillerKb);
            var files = Directory.GetFiles(share, "*", SearchOption.AllDirectories).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"share: {files} files, {bytes / 1e6:F1} MB ({people} people x {copies} copies, {fillerFiles} memos of {fillerKb} KB)"));

            var first = Path.Combine(root, "first");
            var scan = Time(piiscan, ["scan", share, "--out", first, "-q", "--threads", threads]);
            if (scan is null)
            {
                return 1;
            }

            var rescans = new List<double>();
            for (var run = 1; run <= runs; run++)
            {
                var seconds = Time(piiscan, ["scan", share, "--out", Path.Combine(root, "rescan" + run.ToString(CultureInfo.InvariantCulture)), "-q", "--threads", threads, "--since", first]);
                if (seconds is null)
                {
                    return 1;
                }

                rescans.Add(seconds.Value);
            }

            var verified = Time(piiscan, ["scan", share, "--out", Path.Combine(root, "verified"), "-q", "--threads", threads, "--since", first, "--verify-hash"]);
            var median = RgRatio.Median(rescans);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first scan {scan:F2} s; unchanged rescan --since: {string.Join(", ", rescans.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))} s (median {median:F2} s); with --verify-hash {verified:F2} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rescan / first scan: {median / scan.Value:P1} (target < 10 %); with --verify-hash {verified / scan.Value:P1}"));
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

    private static double? Time(string piiscan, string[] arguments)
    {
        var run = ChildProcess.Run("dotnet", [piiscan, .. arguments]);
        var cpu = run.Cpu is { } c ? string.Create(CultureInfo.InvariantCulture, $", CPU {c.TotalSeconds:F2} s") : string.Empty;
        Console.WriteLine("  " + ChildProcess.Quote("dotnet", [Path.GetFileName(piiscan), .. arguments.Select(a => a.Contains("piiscan-rescan-", StringComparison.Ordinal) ? Path.GetFileName(a) : a)]) + string.Create(CultureInfo.InvariantCulture, $"  → {run.Wall.TotalSeconds:F2} s{cpu}"));
        foreach (var line in run.Output.Split('\n').Where(l => l.StartsWith("since the previous scan", StringComparison.Ordinal)))
        {
            Console.WriteLine("    " + line);
        }

        if (run.ExitCode != 0)
        {
            Console.Error.WriteLine($"piiscan exit {run.ExitCode}: {run.Error}");
            return null;
        }

        return run.Wall.TotalSeconds;
    }
}
