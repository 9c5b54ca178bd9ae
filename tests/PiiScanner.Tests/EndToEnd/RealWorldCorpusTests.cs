using System.Text.Json;
using Xunit.Abstractions;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// Runs the whole scanner over real-world files written by others (odd PDFs, Office files, mail, archives,
/// bombs) when the shared corpus is beside the checkout: no crash, no hang, every file accounted for.
/// </summary>
public sealed class RealWorldCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryRealWorldFileEndsWithAStatus()
    {
        var corpus = Path.GetFullPath(RepoPaths.Corpora);
        if (!Directory.Exists(corpus))
        {
            output.WriteLine($"corpus not present at {corpus}; nothing to check");
            return;
        }

        using var temp = new TempFolder();
        var outDir = temp.Combine("out");
        var scan = CliRunner.RunAsync("scan", corpus, "--out", outDir, "-q", "--max-seconds-per-file", "60");
        var finished = await Task.WhenAny(scan, Task.Delay(TimeSpan.FromMinutes(6)));
        Assert.Same(scan, finished);
        var (code, _, stderr) = await scan;
        // Real-world files include unreadable ones: the scan completes and says so with exit code 3.
        Assert.True(code is 0 or 3, stderr);

        var records = SyntheticShareTests.ReadJsonl(Path.Combine(outDir, "files.jsonl"));
        var topLevel = records.Select(r => r.GetProperty("path").GetString()!).Where(p => !p.Contains('!', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var onDisk = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(corpus, f).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();
        Assert.All(onDisk, f => Assert.Contains(f, topLevel));

        var statuses = new[] { "scanned", "partial", "skipped", "failed" };
        Assert.All(records, r => Assert.Contains(r.GetProperty("status").GetString(), statuses));
        foreach (var group in records.GroupBy(r => r.GetProperty("status").GetString()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key}: {group.Count()}");
        }

        foreach (var reason in records.Where(r => r.TryGetProperty("reason", out _)).GroupBy(r => Prefix(r.GetProperty("reason").GetString()!)).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"  {reason.Key}: {reason.Count()}");
        }

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(JsonValueKind.Object, summary.RootElement.ValueKind);
    }

    private static string Prefix(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && !reason.StartsWith("limit:", StringComparison.Ordinal) ? reason[..colon] : reason;
    }
}
