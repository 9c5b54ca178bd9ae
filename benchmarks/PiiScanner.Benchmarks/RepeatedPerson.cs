using System.Diagnostics;
using System.Globalization;
using System.Text;
using PiiScanner.Index;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Resolution cost of one person repeated many times in one file, in several shapes (table rows, name variants,
/// one long free-text block, many short blocks, name-only mentions, rows with no join key). Each shape is scanned
/// in-process at <c>n/2</c> and <c>n</c> repeats, timed by stage (scan until the last item, resolution, writing
/// the outputs); the ratio of the two totals is about 2 for a linear cost and 4 for a quadratic one.
/// Usage: <c>repeated-person [--n 20000] [--shape NAME] [--threads T] [--keep]</c>.
/// </summary>
internal static class RepeatedPerson
{
    private const string Ssn = "212-45-6780";

    private static readonly (string Name, string File, string? Header, Func<int, string> Line)[] Shapes =
    [
        ("csv-rows", "people.csv", "Name,SSN,DOB,Address", _ => $"Jane A. Doe,{Ssn},1961-03-04,\"12 Oak St, Helena, MT 59601\""),
        ("csv-name-variants", "people.csv", "Name,DOB,Address", i => $"{(i % 4) switch { 0 => "Jane A. Doe", 1 => "J. Doe", 2 => "\"DOE, JANE A\"", _ => "Janie Doe" }},1961-03-04,\"12 Oak St, Helena, MT 59601\""),
        ("prose-one-block", "notes.txt", null, i => (i % 3) switch
        {
            0 => "Jane Doe called again.",
            1 => $"Ms. Doe, SSN {Ssn}, lives at 12 Oak St, Helena, MT 59601.",
            _ => "DOE, JANE DOB 03/04/1961",
        }),
        ("prose-many-blocks", "notes.txt", null, _ => "Patient: Jane A. Doe\nDate of Birth: March 4, 1961\nAddress: 12 Oak St, Helena, MT 59601\n\n\n\n\n\n\n"),
        ("mentions", "notes.txt", $"Patient: Jane A. Doe, SSN {Ssn}, DOB 03/04/1961.\n\n\n\n\n\n\n", _ => "Ms. Doe phoned the office again today.\n\n\n\n\n\n\n"),
        ("no-join-key", "people.csv", "Name,Diagnosis", _ => "Jane A. Doe,Type 2 diabetes mellitus"),
        ("staff", "visits.csv", "Patient,DOB,Prescriber", _ => "Jane A. Doe,1961-03-04,Dr. Evelyn Marsh"),
        ("staff-one-block", "notes.txt", $"Patient: Jane A. Doe, SSN {Ssn}, DOB 03/04/1961.", _ => "Seen by Dr. Evelyn Marsh today."),
        ("mentions-unjoined", "notes.txt", null, i => i % 2 == 0 ? "Patient: Jane A. Doe, Type 2 diabetes mellitus.\n\n\n\n\n\n\n" : "Ms. Doe phoned the office again today.\n\n\n\n\n\n\n"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var n = RgRatio.Option(args, "--n", 20_000);
        var threads = RgRatio.Option(args, "--threads", Environment.ProcessorCount);
        var only = RgRatio.OptionText(args, "--shape");
        var root = Path.Combine(Path.GetTempPath(), "piiscan-repeated-" + Guid.NewGuid().ToString("N"));
        var scanner = new ScannerBuilder().WithThreads(threads).Build();
        try
        {
            Console.WriteLine($"one person repeated in one file, threads {threads}, load {Load()}");
            Console.WriteLine("| shape | repeats | scan s | resolve s | write s | total s | individuals | total(n) / total(n/2) |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var shape in Shapes.Where(x => only is null || x.Name == only))
            {
                double? half = null;
                foreach (var repeats in new[] { n / 2, n })
                {
                    var share = Path.Combine(root, shape.Name + "-" + repeats.ToString(CultureInfo.InvariantCulture));
                    Write(Path.Combine(share, shape.File), shape.Header, shape.Line, repeats);
                    var clock = new StageClock();
                    var watch = Stopwatch.StartNew();
                    var result = await scanner.ScanAsync([share], [clock, new OutputDirectorySink(share + "-out", new OutputOptions())]);
                    var total = watch.Elapsed.TotalSeconds;
                    var (scan, resolve) = clock.Split(watch);
                    var ratio = half is { } h ? (total / h).ToString("F2", CultureInfo.InvariantCulture) : string.Empty;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {shape.Name} | {repeats} | {scan:F2} | {resolve:F2} | {total - scan - resolve:F2} | {total:F2} | {result.Individuals.Count} | {ratio} |"));
                    half = total;
                }
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

    /// <summary>The 1-, 5- and 15-minute load averages, to judge a timing taken on a shared machine.</summary>
    internal static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static void Write(string path, string? header, Func<int, string> line, int repeats)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder();
        if (header is not null)
        {
            text.Append(header).Append('\n');
        }

        for (var i = 0; i < repeats; i++)
        {
            text.Append(line(i)).Append('\n');
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }

    /// <summary>
    /// A sink placed before the output sink: the last item marks the end of scanning, the completed scan (after
    /// resolution, before the output sink runs) the end of resolution.
    /// </summary>
    private sealed class StageClock : IScanSink
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private TimeSpan _lastItem;
        private TimeSpan _completed;

        public ValueTask OnItemAsync(ItemResult item, CancellationToken cancellationToken)
        {
            _lastItem = _since.Elapsed;
            return ValueTask.CompletedTask;
        }

        public ValueTask OnCompletedAsync(ScanResult result, CancellationToken cancellationToken)
        {
            _completed = _since.Elapsed;
            return ValueTask.CompletedTask;
        }

        /// <summary>Scan and resolution seconds, measured on the clock of the whole run.</summary>
        public (double Scan, double Resolve) Split(Stopwatch run)
        {
            var offset = run.Elapsed - _since.Elapsed;
            return ((_lastItem + offset).TotalSeconds, (_completed - _lastItem).TotalSeconds);
        }
    }
}
