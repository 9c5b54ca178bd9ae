using PiiScanner.Extraction;
using Xunit.Abstractions;

namespace PiiScanner.Tests.Extraction.Formats;

/// <summary>
/// Runs the format extractors over the real-world PDF, Office and HTML files beside the checkout (when present):
/// no exception escapes, and every file ends claimed-and-scanned, partial, skipped with a reason, or unclaimed.
/// </summary>
public sealed class RealWorldFormatTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_pdf_office_and_html_file_ends_in_a_status()
    {
        var root = Path.GetFullPath(RepoPaths.Corpora);
        if (!Directory.Exists(root))
        {
            output.WriteLine($"corpus not present at {root}; nothing to check");
            return;
        }

        var registry = ExtractorRegistry.CreateDefault();
        var limits = new ExtractionLimits { MaxTimePerItem = TimeSpan.FromSeconds(30) };
        var failures = new List<string>();
        var statuses = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var folder in new[] { "pdf", "ooxml", "html" })
        {
            var directory = Path.Combine(root, folder);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
            {
                var bytes = File.ReadAllBytes(file);
                var name = Path.GetFileName(file);
                var head = bytes.AsSpan(0, Math.Min(bytes.Length, ExtractorHarness.HeadBytes));
                var extractor = registry.Select(head, name);
                string status;
                if (extractor is null)
                {
                    status = "unclaimed";
                }
                else
                {
                    try
                    {
                        var (context, segments) = ExtractorHarness.Run(extractor, bytes, name, limits);
                        status = context.SkipReason is { } skip ? $"skipped ({skip})"
                            : context.PartialReasons.Count > 0 ? $"partial ({string.Join("; ", context.PartialReasons)})"
                            : "scanned";
                        status = extractor.Name + " " + status;
                        output.WriteLine($"{folder}/{name}: {status}, {segments.Count} segments");
                    }
                    catch (Exception ex)
                    {
                        failures.Add($"{folder}/{name}: {extractor.Name} threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                        continue;
                    }
                }

                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }
        }

        foreach (var (status, count) in statuses)
        {
            output.WriteLine($"{count,4}  {status}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
