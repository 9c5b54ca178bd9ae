using System.Diagnostics;
using PiiScanner.Detection;
using PiiScanner.Detection.Validators;
using PiiScanner.Extraction;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Cost of each rule file and code detector alone on 100,000 log lines (timestamps, ids, byte counts): the
/// digit-dense text where detection is slowest. Usage: <c>detect-profile [--lines FILE|FOLDER]</c> (the first 100,000 non-blank lines of real text instead). Prints microseconds per line.
/// <c>detect-profile --loop prose|logs|roster|notes [SECONDS]</c> instead runs the shipped engine over one of
/// <see cref="DetectionBenchmarks"/>' texts for that long (default 10 s), to be profiled from outside
/// (<c>perf record</c>), and prints microseconds per line.
/// </summary>
internal static class DetectProfile
{
    public static int Run(string[] args)
    {
        if (args is ["--loop", var kind, ..])
        {
            return Loop(kind, args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10);
        }

        var shipped = RulesFolder.Shipped;
        var random = new Random(3);
        var lines = args is ["--lines", var tree, ..]
            ? LinesOf(tree)
            : Enumerable.Range(0, 100_000).Select(i => new Segment($"line {i}", $"2024-03-{1 + (i % 28):00}T10:{i % 60:00}:00.{random.Next(1000):000}Z INFO request id={random.Next():x8}-{random.Next(65536):x4} took {random.Next(1000)} ms status=200 bytes={random.Next(100000)}")).ToArray();
        foreach (var file in shipped.FilesUnder(string.Empty, ".yaml"))
        {
            var text = shipped.ReadAllText(file);
            if (text.Contains("kind: code-detector-data", StringComparison.Ordinal) || file.StartsWith("notification/", StringComparison.Ordinal))
            {
                continue;
            }

            var dir = Directory.CreateTempSubdirectory();
            File.WriteAllText(Path.Combine(dir.FullName, Path.GetFileName(file)), text);
            var engine = new DetectionEngine(RuleSet.Load([dir.FullName], ValidatorRegistry.CreateDefault()), new DetectionOptions { UseDateRecognizer = false });
            Time(Path.GetFileName(file), s => engine.Detect(s, 0, new List<Finding>()), lines);
        }
        foreach (var d in CodeDetectors.CreateDefault(shipped))
        {
            // Each detector alone, as the engine runs it: an engine with no rules and this one detector.
            var alone = new DetectionEngine(RuleSet.Empty, new DetectionOptions { UseDateRecognizer = false, CodeDetectors = [d] });
            Time(d.GetType().Name, s => alone.Detect(s, 0, new List<Finding>()), lines);
        }
        return 0;
    }

    // The first 100,000 non-blank lines of the files under a folder (or of one file), in path order.
    private static Segment[] LinesOf(string tree)
    {
        IEnumerable<string> files = File.Exists(tree) ? [tree] : Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        return [.. files.SelectMany(File.ReadLines).Where(l => !string.IsNullOrWhiteSpace(l)).Take(100_000).Select((l, i) => new Segment($"line {i + 1}", l))];
    }

    private static void Time(string name, Action<Segment> run, Segment[] lines)
    {
        foreach (var s in lines)
        {
            run(s); // warm-up: tiered JIT and compiled regexes
        }

        var sw = Stopwatch.StartNew();
        foreach (var s in lines)
        {
            run(s);
        }

        Console.WriteLine($"{name,-28} {sw.Elapsed.TotalMilliseconds * 1000 / lines.Length,8:F2} us/line");
    }

    private static int Loop(string kind, double seconds)
    {
        var benchmarks = new DetectionBenchmarks { CodeDetectors = true };
        benchmarks.Setup();
        Func<int> run = kind switch
        {
            "prose" => benchmarks.Prose,
            "logs" => benchmarks.Logs,
            "roster" => benchmarks.Roster,
            "notes" => benchmarks.Notes,
            _ => throw new ArgumentException($"unknown text '{kind}' (prose, logs, roster, notes)"),
        };
        var clock = Stopwatch.StartNew();
        var runs = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            _ = run();
            runs++;
        }

        Console.WriteLine($"{kind}: {clock.Elapsed.TotalMilliseconds * 1000 / (runs * 20_000.0):F2} us/line over {runs} runs");
        return 0;
    }
}
