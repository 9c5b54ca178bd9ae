using System.Globalization;
using System.Text.Json;

namespace PiiScanner.Benchmarks;

/// <summary>
/// The Montana-scale run: generates a dense share of N people (<see cref="DenseShare"/>, several files per person),
/// scans it with the Release <c>piiscan</c> CLI as a child process and prints peak RSS (<c>ru_maxrss</c>), wall time
/// and its split: scanning (start to the CLI's <c>resolving:</c> progress line; on a terminal, to the last progress
/// line before the final one), resolution (to its <c>writing:</c> line; else to the first output file appearing in
/// the output folder) and writing (to the exit: the outputs, the notification files and the report). The split is read from outside the process, so it is good to about a quarter of a second.
/// Usage: <c>montana [--people N] [--share DIR] [--threads T] [--piiscan path/to/piiscan.dll] [--no-build]
/// [--generate-only] [--keep] [--resume]</c>. With <c>--share</c>, an existing share there is reused (generated when
/// missing) and kept; <c>--keep</c> keeps the output too. A scan that fails or is killed keeps everything (its journal
/// is hours of work at Montana scale): run again with <c>--share DIR --resume</c> and the scan continues from it.
/// </summary>
internal static class MontanaScale
{
    public static int Run(string[] args)
    {
        var people = RgRatio.Option(args, "--people", 100_000);
        var threads = RgRatio.Option(args, "--threads", Environment.ProcessorCount);
        var given = RgRatio.OptionText(args, "--share");
        var root = given ?? Path.Combine(Path.GetTempPath(), "piiscan-montana-" + Guid.NewGuid().ToString("N"));
        var share = Path.Combine(root, "share");
        var output = Path.Combine(root, "out");
        var failed = false;
        try
        {
            if (!Directory.Exists(share))
            {
                var generate = System.Diagnostics.Stopwatch.StartNew();
                var (written, bytes) = DenseShare.Write(share, people);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {people} people: {written} files, {bytes / 1e6:F1} MB at {share} in {generate.Elapsed.TotalSeconds:F1} s"));
            }

            if (args.Contains("--generate-only"))
            {
                return 0;
            }

            var piiscan = RgRatio.OptionText(args, "--piiscan") ?? RgRatio.LocateCli(build: !args.Contains("--no-build"));
            if (piiscan is null)
            {
                return 2;
            }

            if (Directory.Exists(output) && !args.Contains("--resume"))
            {
                Directory.Delete(output, recursive: true);
            }

            string[] arguments = [piiscan, "scan", share, "--out", output, "--threads", threads.ToString(CultureInfo.InvariantCulture)];
            Console.WriteLine(ChildProcess.Quote("dotnet", arguments));
            var loadBefore = RepeatedPerson.Load();
            var progress = new List<TimeSpan>();
            TimeSpan? firstOutput = null, resolving = null, writing = null;
            var run = ChildProcess.Run(
                "dotnet",
                arguments,
                poll: at =>
                {
                    if (firstOutput is null && Directory.Exists(output) && Directory.EnumerateFiles(output).Any(f => Path.GetFileName(f).Contains(".individuals.jsonl", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("individuals.", StringComparison.Ordinal)))
                    {
                        firstOutput = at;
                    }
                },
                onError: (at, piece) =>
                {
                    lock (progress)
                    {
                        progress.AddRange(Enumerable.Repeat(at, piece.Count(c => c == '\r')));

                        // Without a terminal the CLI logs a line whenever the phase changes.
                        if (resolving is null && piece.Contains("resolving:", StringComparison.Ordinal))
                        {
                            resolving = at;
                        }

                        if (writing is null && piece.Contains("writing:", StringComparison.Ordinal))
                        {
                            writing = at;
                        }
                    }
                });
            if (run.ExitCode != 0)
            {
                // An unfinished scan's journal is hours of work at this size: it is kept, and --resume continues it.
                failed = true;
                Console.Error.WriteLine($"piiscan failed (exit {run.ExitCode}): {run.Error.Trim()}");
                Console.Error.WriteLine($"kept the unfinished scan in {output}; run again with --share {root} --resume to continue it");
                return 1;
            }

            var wall = run.Wall.TotalSeconds;
            var scanEnd = resolving?.TotalSeconds ?? (progress.Count >= 2 ? progress[^2].TotalSeconds : double.NaN);
            var resolveEnd = writing?.TotalSeconds ?? firstOutput?.TotalSeconds ?? double.NaN;
            using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "summary.json")));
            var individuals = summary.RootElement.GetProperty("individuals").GetProperty("total").GetInt64();
            var findings = summary.RootElement.GetProperty("findings").GetProperty("total").GetInt64();
            var outputBytes = Directory.EnumerateFiles(output).Sum(f => new FileInfo(f).Length);
            var indexDb = Path.Combine(output, "index.db");
            Console.WriteLine("| people | files | findings | individuals | peak RSS | wall s | CPU s | scan s | resolve s | write s | output MB (index.db) | load before / after |");
            Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            var files = Directory.EnumerateFiles(share, "*", SearchOption.AllDirectories).Count();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {people} | {files} | {findings} | {individuals} | {(run.MaxRssKilobytes ?? 0) / 1048576.0:F2} GiB | {wall:F1} | {run.Cpu?.TotalSeconds ?? double.NaN:F1} | {scanEnd:F1} | {resolveEnd - scanEnd:F1} | {wall - resolveEnd:F1} | {outputBytes / 1e6:F0} ({(File.Exists(indexDb) ? new FileInfo(indexDb).Length / 1e6 : 0):F0}) | {loadBefore} / {RepeatedPerson.Load()} |"));
            return 0;
        }
        finally
        {
            if (failed)
            {
                // Nothing is deleted: the share and the unfinished output are where the message above says.
            }
            else if (args.Contains("--keep"))
            {
                Console.WriteLine("kept " + root);
            }
            else if (given is null)
            {
                Directory.Delete(root, recursive: true);
            }
            else if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
