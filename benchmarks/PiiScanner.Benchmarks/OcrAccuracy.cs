using System.Diagnostics;
using System.Globalization;
using PiiScanner.Extraction;
using PiiScanner.Extraction.Ocr;
using PiiScanner.Sources;
using PiiScanner.Tests.Shared;

namespace PiiScanner.Benchmarks;

/// <summary>
/// <c>ocr-accuracy [--forms N] [--dpi D] [--threads T]</c>: renders N synthetic intake forms (tests/Shared/ScannedForms)
/// in several scan layouts — clean grey PNG, roughened PNG (specks, uneven grey), bilevel fax TIFF, JPEG, and a
/// 150 dpi roughened PNG — reads each with the scanner's image extractor (Tesseract), and prints per layout the field
/// accuracy (the share of the form's fields — name, SSN, date of birth, phone, street, city line — whose value appears
/// exactly on the recognised line), the character accuracy of those lines (1 − edit distance / length) and the pages
/// per second recognised with T documents at once — by the wall clock, and from Tesseract's own CPU time
/// (<c>getrusage(RUSAGE_CHILDREN)</c>), which a busy machine does not distort. Needs tesseract, poppler-utils and fonts-dejavu-core.
/// </summary>
internal static class OcrAccuracy
{
    public static async Task<int> RunAsync(string[] args)
    {
        var forms = Option(args, "--forms", 12);
        var dpi = Option(args, "--dpi", 200);
        var threads = Option(args, "--threads", Environment.ProcessorCount);
        if (!ScannedForms.ToolsPresent || ScannedForms.Which("tesseract") is null)
        {
            await Console.Error.WriteLineAsync("ocr-accuracy: needs tesseract-ocr tesseract-ocr-eng poppler-utils fonts-dejavu-core").ConfigureAwait(false);
            return 2;
        }

        var people = Enumerable.Range(1000, forms).Select(ScannedForms.Person).ToList();
        var pdfs = people.Select(p => ScannedForms.TextPdf([p])).ToList();
        var clean = pdfs.Select(p => ScannedForms.Render(p, dpi)[0]).ToList();
        var low = pdfs.Select(p => ScannedForms.Render(p, 150)[0]).ToList();
        var layouts = new (string Name, Func<int, byte[]> Make)[]
        {
            ($"png {dpi} dpi clean", i => ScannedForms.Png(clean[i])),
            ($"png {dpi} dpi rough", i => ScannedForms.Png(ScannedForms.Roughen(clean[i], i))),
            ($"tiff {dpi} dpi fax (1-bit)", i => ScannedForms.Tiff([clean[i]], fax: true)),
            ($"jpeg {dpi} dpi", i => ScannedForms.RenderJpeg(pdfs[i], dpi)),
            ("png 150 dpi rough", i => ScannedForms.Png(ScannedForms.Roughen(low[i], i, specks: 0.004, greyJitter: 60))),
        };

        var extractor = new ImageExtractor(OcrEngine.Create(new OcrOptions()));
        Console.WriteLine($"ocr-accuracy: {forms} forms, {Environment.ProcessorCount} cores, {threads} documents at once, tesseract single-threaded");
        Console.WriteLine("| layout | field accuracy | character accuracy | pages/s (wall) | CPU s/page | pages/s per core (CPU) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        var allFields = 0;
        var allRight = 0;
        var misses = new List<string>();
        foreach (var (name, make) in layouts)
        {
            var images = Enumerable.Range(0, forms).Select(make).ToList();
            var results = new List<string>[forms];
            var cpuBefore = ChildProcess.ChildrenCpu();
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, forms), new ParallelOptions { MaxDegreeOfParallelism = threads }, async (i, token) =>
            {
                results[i] = await ReadAsync(extractor, images[i], token).ConfigureAwait(false);
            }).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            var cpu = (ChildProcess.ChildrenCpu() - cpuBefore)?.TotalSeconds / forms;

            var fields = 0;
            var right = 0;
            var chars = 0;
            var errors = 0;
            for (var i = 0; i < forms; i++)
            {
                var lines = results[i];
                foreach (var (field, value) in people[i].Fields)
                {
                    fields++;
                    if (lines.Any(l => l.Contains(value, StringComparison.Ordinal)))
                    {
                        right++;
                    }
                    else
                    {
                        var closest = lines.Count == 0 ? "(nothing)" : lines.MinBy(l => Distance(value, l))!;
                        misses.Add($"{name}, form {i}: {field} '{value}' read as '{closest}'");
                    }
                }

                foreach (var expected in ScannedForms.FormLines(people[i]))
                {
                    var best = lines.Count == 0 ? expected.Length : lines.Min(l => Distance(expected, l));
                    chars += expected.Length;
                    errors += Math.Min(best, expected.Length);
                }
            }

            allFields += fields;
            allRight += right;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {right}/{fields} = {(double)right / fields:P1} | {1 - ((double)errors / chars):P2} | {forms / seconds:0.00} | {cpu:0.00} | {1 / cpu:0.0} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all layouts: field accuracy {allRight}/{allFields} = {(double)allRight / allFields:P1}"));
        foreach (var miss in misses)
        {
            Console.WriteLine("missed: " + miss);
        }
        return 0;
    }

    private static async Task<List<string>> ReadAsync(ImageExtractor extractor, byte[] image, CancellationToken token)
    {
        var lines = new List<string>();
        using var content = new MemoryStream(image, writable: false);
        var context = new ExtractionContext(
            new ScanItem("form", image.Length, _ => new MemoryStream(image, writable: false)),
            content,
            image.AsMemory(0, Math.Min(image.Length, 8192)),
            new ExtractionLimits(),
            s => lines.Add(s.Text),
            (_, _, _) => ValueTask.CompletedTask);
        await extractor.ExtractAsync(context, token).ConfigureAwait(false);
        return lines;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
