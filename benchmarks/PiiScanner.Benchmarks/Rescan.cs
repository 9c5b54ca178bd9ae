using System.Globalization;
using PiiScanner.Testing;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Incremental rescans: generates a share (dense PII exports plus office memos; 5,000 files by default), scans it
/// with the Release <c>piiscan</c> CLI, then rescans it unchanged with <c>--since</c> the first scan and again with
/// <c>--since</c> that rescan (the weekly case: every output is the previous one's), once with <c>--verify-hash</c>,
/// and an empty folder (the start-up every run pays), then changes about 1 % of the files (a third changed, a third
/// new, a third gone) and rescans <c>--since</c> the first scan again; each a fresh process; prints wall and CPU
/// times and the rescan / first-scan ratios, whole and without the start-up (target &lt; 10 % for the unchanged ones).
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
            if (Time(piiscan, ["scan", share, "--out", first, "-q", "--threads", threads]) is not { } scan)
            {
                return 1;
            }

            // A rescan of the first scan, and (the weekly case) rescans of a rescan, whose every output is the previous one's.
            var rescans = new List<(double Wall, double Cpu)>();
            var again = new List<(double Wall, double Cpu)>();
            for (var run = 1; run <= runs; run++)
            {
                var rescan = Path.Combine(root, "rescan" + run.ToString(CultureInfo.InvariantCulture));
                if (Time(piiscan, ["scan", share, "--out", rescan, "-q", "--threads", threads, "--since", first]) is not { } once
                    || Time(piiscan, ["scan", share, "--out", rescan + "-again", "-q", "--threads", threads, "--since", rescan]) is not { } twice)
                {
                    return 1;
                }

                rescans.Add(once);
                again.Add(twice);
            }

            // What any run costs before it reads a file (process start-up, JIT): a scan of an empty folder.
            var empty = Path.Combine(root, "empty");
            Directory.CreateDirectory(empty);
            var startups = new List<double>();
            for (var run = 1; run <= runs; run++)
            {
                if (Time(piiscan, ["scan", empty, "--out", Path.Combine(root, "empty-out" + run.ToString(CultureInfo.InvariantCulture)), "-q", "--threads", threads]) is not { } e)
                {
                    return 1;
                }

                startups.Add(e.Cpu);
            }

            var verified = Time(piiscan, ["scan", share, "--out", Path.Combine(root, "verified"), "-q", "--threads", threads, "--since", first, "--verify-hash"]);

            // About 1 % of the files changed since the first scan: read again (and everything resolved and written again).
            var (changedFiles, newFiles, goneFiles) = ChangeOnePercent(share, fillerFiles);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"changed the share: {changedFiles} files changed, {newFiles} new, {goneFiles} gone"));
            var partial = new List<(double Wall, double Cpu)>();
            for (var run = 1; run <= runs; run++)
            {
                if (Time(piiscan, ["scan", share, "--out", Path.Combine(root, "partial" + run.ToString(CultureInfo.InvariantCulture)), "-q", "--threads", threads, "--since", first]) is not { } p)
                {
                    return 1;
                }

                partial.Add(p);
            }

            var startup = RgRatio.Median(startups);
            string Line(string what, List<(double Wall, double Cpu)> times)
            {
                var (wall, cpu) = (RgRatio.Median(times.Select(r => r.Wall)), RgRatio.Median(times.Select(r => r.Cpu)));
                return string.Create(CultureInfo.InvariantCulture, $"{what}: wall {wall:F2} s ({wall / scan.Wall:P1} of the first scan's), CPU {cpu:F2} s ({cpu / scan.Cpu:P1}; without start-up {(cpu - startup) / (scan.Cpu - startup):P1})");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first scan: wall {scan.Wall:F2} s, CPU {scan.Cpu:F2} s; start-up (empty folder): CPU {startup:F2} s (median of {runs})"));
            Console.WriteLine(Line("unchanged rescan --since the first scan", rescans) + " (target < 10 %)");
            Console.WriteLine(Line("unchanged rescan --since that rescan", again));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"with --verify-hash: wall {verified?.Wall:F2} s, CPU {verified?.Cpu:F2} s"));
            Console.WriteLine(Line("rescan with 1 % of the files changed, new or gone", partial));
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

    /// <summary>
    /// Changes about 1 % of the share's files, deterministically: every hundredth memo and every tenth of the other
    /// files, in path order, taking turns being changed (a line appended), copied to a new file beside it, or deleted.
    /// </summary>
    private static (int Changed, int New, int Gone) ChangeOnePercent(string share, int memos)
    {
        var files = Directory.GetFiles(share, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var picks = Enumerable.Range(0, files.Length).Where(i => i < memos ? i % 100 == 50 : (i - memos) % 10 == 5).ToList();
        var (changed, added, gone) = (0, 0, 0);
        for (var k = 0; k < picks.Count; k++)
        {
            var file = files[picks[k]];
            switch (k % 3)
            {
                case 0:
                    File.AppendAllText(file, "\nreviewed again\n");
                    changed++;
                    break;
                case 1:
                    File.Copy(file, Path.Combine(Path.GetDirectoryName(file)!, "copy-" + Path.GetFileName(file)));
                    added++;
                    break;
                default:
                    File.Delete(file);
                    gone++;
                    break;
            }
        }

        return (changed, added, gone);
    }

    private static (double Wall, double Cpu)? Time(string piiscan, string[] arguments)
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

        return (run.Wall.TotalSeconds, run.Cpu?.TotalSeconds ?? double.NaN);
    }
}
