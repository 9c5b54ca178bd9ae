using System.Globalization;

namespace PiiScanner.Benchmarks;

/// <summary>
/// CPU profile of one piiscan process per tree, by pipeline stage: <c>perf record -e cpu-clock -g</c> (a software
/// clock, so it works in virtual machines without hardware counters) with <c>DOTNET_PerfMapEnabled=1</c> so perf
/// can name JIT-compiled methods. Each sample goes to the first frame, walking from the leaf towards the root,
/// that belongs to a bucket: GC, JIT, regex, SQLite, or a stage namespace (<c>PiiScanner.Sources.</c> …
/// <c>PiiScanner.Index.</c>); framework code called by a stage counts for that stage, a regex called by Detection
/// counts as regex. "inclusive" is the share of samples with the bucket anywhere on the stack.
/// </summary>
internal static class StageProfile
{
    private const int Frequency = 499;

    private static readonly (string Bucket, string Namespace)[] Stages =
    [
        ("Sources", "PiiScanner.Sources."),
        ("Extraction", "PiiScanner.Extraction."),
        ("Detection", "PiiScanner.Detection."),
        ("Resolution", "PiiScanner.Resolution."),
        ("Index", "PiiScanner.Index."),
        ("Notification", "PiiScanner.Notification."),
        ("CLI", "PiiScanner.Cli."),
    ];

    private static readonly string[] Order = ["Sources", "Extraction", "Detection", "Resolution", "Index", "Notification", "CLI", "PiiScanner (other)", "Regex", "GC", "JIT", "SQLite", "other"];

    public static void Run(IReadOnlyList<RatioTree> trees, string piiscan, string output, int threads, Func<string, string, string, int, string[]> piiscanArguments)
    {
        Console.WriteLine();
        Console.WriteLine("## CPU profile by stage");
        if (ChildProcess.Run("perf", ["stat", "-e", "cpu-clock", "true"]) is not { ExitCode: 0 })
        {
            Console.WriteLine("perf is not available or not permitted here (perf stat -e cpu-clock true failed); no profile. Install linux-perf and allow perf_event_open.");
            return;
        }

        foreach (var tree in trees)
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            var data = Path.Combine(Path.GetTempPath(), "piiscan-rgratio-" + tree.Name + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".perf.data");
            var record = new List<string> { "record", "-e", "cpu-clock", "-F", Frequency.ToString(CultureInfo.InvariantCulture), "-g", "-o", data, "--", "dotnet" };
            record.AddRange(piiscanArguments(piiscan, tree.Root, output, threads));
            Console.WriteLine();
            Console.WriteLine("DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 " + ChildProcess.Quote("perf", record));
            // Without W^X off, JIT code runs from a /memfd:doublemapper mapping that perf cannot match to the perf map.
            var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" };
            var recorded = ChildProcess.Run("perf", record, environment);
            if (recorded.ExitCode != 0)
            {
                Console.WriteLine($"perf record failed (exit {recorded.ExitCode}): {recorded.Error.Trim()}");
                continue;
            }

            var script = ChildProcess.Run("perf", ["script", "-i", data, "-F", "comm,pid,tid,ip,sym,dso"]);
            var samples = Parse(script.Output, out var pids);
            File.Delete(data);
            foreach (var pid in pids)
            {
                foreach (var file in new[] { $"perf-{pid}.map", $"perfinfo-{pid}.map", $"jit-{pid}.dump" })
                {
                    File.Delete(Path.Combine("/tmp", file));
                }
            }

            Print(tree, samples, recorded.Wall);
        }

        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static void Print(RatioTree tree, List<Sample> samples, TimeSpan wall)
    {
        var self = new Dictionary<string, int>(StringComparer.Ordinal);
        var inclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var leaves = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var stack in samples)
        {
            string? first = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (stack.Thread.Contains("GC", StringComparison.Ordinal))
            {
                // Server GC threads: libcoreclr has no symbols here, so the thread name is what tells GC apart.
                first = "GC";
                seen.Add(first);
            }

            foreach (var frame in stack.Frames)
            {
                if (Bucket(frame.Symbol, frame.Dso) is { } bucket)
                {
                    first ??= bucket;
                    seen.Add(bucket);
                }
            }

            first ??= "other";
            seen.Add(first);
            self[first] = self.GetValueOrDefault(first) + 1;
            foreach (var bucket in seen)
            {
                inclusive[bucket] = inclusive.GetValueOrDefault(bucket) + 1;
            }

            var leaf = stack.Frames.Count == 0 ? "[no stack]" : Short(stack.Frames[0].Symbol, stack.Frames[0].Dso);
            leaves[leaf] = leaves.GetValueOrDefault(leaf) + 1;
        }

        var total = Math.Max(1, samples.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"### {tree.Name}: {samples.Count} samples at {Frequency} Hz ≈ {samples.Count / (double)Frequency:F1} CPU s in {wall.TotalSeconds:F1} s wall (profiled run, perf maps on)"));
        Console.WriteLine();
        Console.WriteLine("| bucket | CPU % | inclusive % |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var bucket in Order.Where(b => self.ContainsKey(b) || inclusive.ContainsKey(b)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {bucket} | {100.0 * self.GetValueOrDefault(bucket) / total:F1} | {100.0 * inclusive.GetValueOrDefault(bucket) / total:F1} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Top leaf functions:");
        foreach (var (symbol, count) in leaves.OrderByDescending(p => p.Value).Take(12))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {100.0 * count / total,5:F1}%  {symbol}"));
        }
    }

    private static string? Bucket(string symbol, string dso)
    {
        foreach (var (bucket, prefix) in Stages)
        {
            if (symbol.Contains(prefix, StringComparison.Ordinal))
            {
                return bucket;
            }
        }

        if (symbol.Contains("PiiScanner.", StringComparison.Ordinal))
        {
            return "PiiScanner (other)";
        }

        if (symbol.Contains("System.Text.RegularExpressions", StringComparison.Ordinal) || (symbol.Contains("dynamicClass", StringComparison.Ordinal) && symbol.Contains("Regex", StringComparison.Ordinal)))
        {
            return "Regex";
        }

        if (dso.Contains("libclrjit", StringComparison.Ordinal))
        {
            return "JIT";
        }

        if (dso.Contains("libcoreclr", StringComparison.Ordinal) && (symbol.Contains("WKS::", StringComparison.Ordinal) || symbol.Contains("SVR::", StringComparison.Ordinal) || symbol.Contains("gc_heap", StringComparison.Ordinal) || symbol.StartsWith("GC", StringComparison.Ordinal)))
        {
            return "GC";
        }

        if (dso.Contains("sqlite", StringComparison.OrdinalIgnoreCase) || symbol.Contains("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return "SQLite";
        }

        return null;
    }

    private static string Short(string symbol, string dso)
    {
        var name = symbol == "[unknown]" ? symbol + " in " + Path.GetFileName(dso) : symbol;
        var member = name.IndexOf("::", StringComparison.Ordinal);
        var type = member > 0 ? name.LastIndexOf("] ", member, StringComparison.Ordinal) : -1;
        name = type >= 0 ? name[(type + 2)..] : name;
        return name.Length > 140 ? name[..140] + "…" : name;
    }

    /// <summary>Reads <c>perf script</c> output: a header line per sample, then one indented frame per line, leaf first.</summary>
    private static List<Sample> Parse(string text, out HashSet<string> pids)
    {
        pids = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        List<(string, string)>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            if (raw.Length == 0)
            {
                current = null;
                continue;
            }

            if (!char.IsWhiteSpace(raw[0]))
            {
                current = [];
                var header = raw.TrimEnd();
                var split = header.LastIndexOf(' ');
                var last = header[(split + 1)..];
                samples.Add(new Sample(split > 0 ? header[..split].Trim() : string.Empty, current));
                var slash = last.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0)
                {
                    pids.Add(last[..slash]);
                }

                continue;
            }

            if (current is null)
            {
                continue;
            }

            var line = raw.Trim();
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var open = line.LastIndexOf(" (", StringComparison.Ordinal);
            if (space < 0 || open < space)
            {
                current.Add((line[(space + 1)..], string.Empty));
                continue;
            }

            current.Add((line[(space + 1)..open].Trim(), line[(open + 2)..].TrimEnd(')')));
        }

        return samples;
    }

    /// <summary>One perf sample: the thread name and the stack, leaf first.</summary>
    private sealed record Sample(string Thread, List<(string Symbol, string Dso)> Frames);
}
