using System.Globalization;

namespace PiiScanner.Benchmarks;

/// <summary>
/// piiscan against ripgrep on the same trees: for each generated tree (prose, HTML, logs, dense PII) it runs the
/// Release <c>piiscan</c> CLI and <c>rg -c</c> with one SSN regex, alternating, each as a fresh process after
/// one untimed warm-up of both (so both read from the page cache), and prints the median wall times, their
/// ratio and the target. <c>--profile</c> then runs piiscan once per tree under <c>perf record</c> and prints
/// CPU time by pipeline stage.
/// Usage: <c>rg-ratio [--mb N] [--threads T] [--runs R] [--trees prose,html,logs,dense] [--keep] [--profile]
/// [--piiscan path/to/piiscan.dll] [--no-build]</c>.
/// </summary>
internal static class RgRatio
{
    public const string SsnPattern = @"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b";

    private static readonly Dictionary<string, double> Targets = new(StringComparer.Ordinal)
    {
        ["prose"] = 5,
        ["html"] = 5,
        ["logs"] = 10,
        ["dense"] = 50,
    };

    public static int Run(string[] args)
    {
        var megabytes = Option(args, "--mb", 64);
        var threads = Option(args, "--threads", Environment.ProcessorCount);
        var runs = Math.Max(1, Option(args, "--runs", 3));
        var trees = (OptionText(args, "--trees") ?? string.Join(',', RatioTrees.Names)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (trees.FirstOrDefault(t => !RatioTrees.Names.Contains(t)) is { } unknown)
        {
            Console.Error.WriteLine($"unknown tree '{unknown}' (use {string.Join(',', RatioTrees.Names)})");
            return 2;
        }

        var piiscan = OptionText(args, "--piiscan") ?? LocateCli(build: !args.Contains("--no-build"));
        if (piiscan is null)
        {
            return 2;
        }

        var root = Path.Combine(Path.GetTempPath(), "piiscan-rgratio-" + Guid.NewGuid().ToString("N"));
        try
        {
            var generated = new List<RatioTree>();
            foreach (var name in trees)
            {
                // The dense exports are a quarter of the size: they are the slowest to scan and the rarest on a real share.
                var bytes = (name == "dense" ? megabytes / 4.0 : megabytes) * 1024 * 1024;
                var tree = RatioTrees.Write(name, Path.Combine(root, name), (long)bytes);
                generated.Add(tree);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {name}: {tree.Files} files, {tree.Bytes / 1048576.0:F1} MB"));
            }

            var output = Path.Combine(root, "out");
            Console.WriteLine();
            Console.WriteLine("Commands (TREE is one of the trees under " + root + "; TMP is deleted before every run):");
            Console.WriteLine("    " + ChildProcess.Quote("dotnet", PiiscanArguments(piiscan, "TREE", "TMP", threads)));
            Console.WriteLine("    " + ChildProcess.Quote("rg", RgArguments("TREE", threads)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Order per tree: one untimed warm-up of each, then piiscan, rg alternating, {runs} timed run(s) each."));
            Console.WriteLine();

            var startup = StartUp(piiscan, root, threads, runs);
            var rows = new List<string>();
            var failed = false;
            foreach (var tree in generated)
            {
                var row = Measure(tree, piiscan, output, threads, runs);
                if (row is null)
                {
                    failed = true;
                    continue;
                }

                rows.Add(row);
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threads {threads}, {runs} run(s), {Environment.ProcessorCount} logical cores, median wall time of each process from start to exit; CPU = user + sys"));
            Console.WriteLine();
            Console.WriteLine("| tree | MB | files | piiscan s | rg s | ratio | piiscan MB/s | piiscan CPU s | rg CPU s | rg matches | target | pass |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (var row in rows)
            {
                Console.WriteLine(row);
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"piiscan start-up (empty folder, same options): {startup.TotalSeconds:F2} s median; it is part of every piiscan time above."));

            if (args.Contains("--profile"))
            {
                StageProfile.Run(generated, piiscan, output, threads, PiiscanArguments);
            }

            return failed ? 1 : 0;
        }
        finally
        {
            if (args.Contains("--keep"))
            {
                Console.WriteLine("trees kept at " + root);
            }
            else if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    public static string[] PiiscanArguments(string dll, string tree, string output, int threads)
        => [dll, "scan", tree, "--out", output, "-q", "--threads", threads.ToString(CultureInfo.InvariantCulture)];

    private static string[] RgArguments(string tree, int threads)
        => ["-c", "-j", threads.ToString(CultureInfo.InvariantCulture), "-e", SsnPattern, tree];

    private static string? Measure(RatioTree tree, string piiscan, string output, int threads, int runs)
    {
        var scan = PiiscanArguments(piiscan, tree.Root, output, threads);
        var grep = RgArguments(tree.Root, threads);
        ChildRun Scan()
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            return ChildProcess.Run("dotnet", scan);
        }

        var scans = new List<ChildRun>();
        var greps = new List<ChildRun>();
        for (var run = 0; run <= runs; run++)
        {
            var s = Scan();
            var g = ChildProcess.Run("rg", grep);
            if (s.ExitCode != 0 || g.ExitCode > 1)
            {
                Console.Error.WriteLine($"{tree.Name}: piiscan exit {s.ExitCode}, rg exit {g.ExitCode}");
                Console.Error.WriteLine(s.Error.Length > 0 ? s.Error : g.Error);
                return null;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tree.Name} {(run == 0 ? "warm-up" : "run " + run)}: piiscan {s.Wall.TotalSeconds:F2} s (CPU {Seconds(s.Cpu)}), rg {g.Wall.TotalSeconds:F3} s (CPU {Seconds(g.Cpu)})"));
            if (run > 0)
            {
                scans.Add(s);
                greps.Add(g);
            }
        }

        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        var scanWall = Median(scans.Select(r => r.Wall.TotalSeconds));
        var grepWall = Median(greps.Select(r => r.Wall.TotalSeconds));
        var ratio = scanWall / grepWall;
        var target = Targets[tree.Name];
        var matches = greps[^1].Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Sum(line => long.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        var megabytes = tree.Bytes / 1048576.0;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {tree.Name} | {megabytes:F1} | {tree.Files} | {scanWall:F2} | {grepWall:F3} | {ratio:F1}× | {megabytes / scanWall:F1} | {MedianCpu(scans)} | {MedianCpu(greps)} | {matches} | ≤ {target:F0}× | {(ratio <= target ? "pass" : "FAIL")} |");
    }

    private static TimeSpan StartUp(string piiscan, string root, int threads, int runs)
    {
        var empty = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;
        var output = Path.Combine(root, "out-empty");
        var times = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            var result = ChildProcess.Run("dotnet", PiiscanArguments(piiscan, empty, output, threads));
            if (run > 0)
            {
                times.Add(result.Wall.TotalSeconds);
            }
        }

        Directory.Delete(output, recursive: true);
        return TimeSpan.FromSeconds(Median(times));
    }

    /// <summary>Builds src/PiiScanner.Cli in Release (a no-op when up to date) and returns its piiscan.dll.</summary>
    internal static string? LocateCli(bool build)
    {
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "PiiScanner.sln")))
        {
            repo = repo.Parent;
        }

        if (repo is null)
        {
            Console.Error.WriteLine("cannot find the repository root (PiiScanner.sln) above " + AppContext.BaseDirectory + "; pass --piiscan path/to/piiscan.dll");
            return null;
        }

        // The CLI as `dotnet tool install piiscan` installs it on this machine: the ReadyToRun build of the tool
        // package's RID-specific package when this machine's RID has one (the csproj's ToolPackageRuntimeIdentifiers),
        // else the portable build.
        var project = Path.Combine(repo.FullName, "src", "PiiScanner.Cli", "PiiScanner.Cli.csproj");
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        var readyToRun = System.Xml.Linq.XDocument.Load(project).Descendants("RuntimeIdentifiers")
            .Any(e => e.Value.Split(';', StringSplitOptions.TrimEntries).Contains(rid, StringComparer.Ordinal));
        var output = readyToRun
            ? Path.Combine(repo.FullName, "src", "PiiScanner.Cli", "bin", "Release", "net10.0", rid, "publish")
            : Path.Combine(repo.FullName, "src", "PiiScanner.Cli", "bin", "Release", "net10.0");
        if (build)
        {
            string[] command = readyToRun
                ? ["publish", project, "-c", "Release", "-r", rid, "-o", output, "--nologo", "-v", "q"]
                : ["build", project, "-c", "Release", "--nologo", "-v", "q"];
            Console.WriteLine((readyToRun ? "publishing (ReadyToRun, " + rid + ") " : "building ") + project + " (Release)");
            var result = ChildProcess.Run("dotnet", command);
            if (result.ExitCode != 0)
            {
                Console.Error.WriteLine(result.Output);
                return null;
            }
        }

        var dll = Path.Combine(output, "piiscan.dll");
        if (!File.Exists(dll))
        {
            Console.Error.WriteLine("no Release build at " + dll);
            return null;
        }

        return dll;
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string MedianCpu(List<ChildRun> runs)
        => runs.All(r => r.Cpu is not null) ? Median(runs.Select(r => r.Cpu!.Value.TotalSeconds)).ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static string Seconds(TimeSpan? time) => time is { } t ? t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s" : "n/a";

    internal static int Option(string[] args, string name, int fallback)
        => OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    internal static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
