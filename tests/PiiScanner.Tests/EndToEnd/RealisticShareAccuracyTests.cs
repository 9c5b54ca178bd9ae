using System.Security.Cryptography;
using PiiScanner.Testing;
using Xunit.Abstractions;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// The "index is right on real-world records" run: a realistic agency share (<see cref="RealisticShare"/>) is
/// scanned and scored by <see cref="AccuracyReport"/>. The floors are a ratchet: what the code achieved when they
/// were set, minus 0.02. The issue's targets are individual recall ≥ 0.97, row precision ≥ 0.97, fragmentation
/// ≤ 1.05, zero merge errors and every category ≥ 0.95; raise the floors as the extractors and detectors land.
/// </summary>
public sealed class RealisticShareAccuracyTests(ITestOutputHelper output)
{
    private const int People = 400;
    private const int Seed = 2025;

    // Ratchet: never lower. The overall floors are the issue's targets (the code met them when they were set: recall
    // 0.995, row precision 0.998, fragmentation 1.015, element recall 0.989, no merge errors, seed 2025, 400 people).
    private const double RecallFloor = 0.97;
    private const double PrecisionFloor = 0.97;
    private const double FragmentationCeiling = 1.05;
    private const double ElementRecallFloor = 0.96;
    private const int MergeErrorCeiling = 0;

    // Per-category recall floors (the issue asks every category for 0.95; each was 1.000 when set).
    private static readonly Dictionary<string, double> CategoryRecallFloors = new(StringComparer.Ordinal)
    {
        ["households"] = 0.98, ["no-ssn"] = 0.98, ["headerless-delimited"] = 0.98, ["fixed-width"] = 0.98,
        ["sql-dump"] = 0.98, ["nested-json"] = 0.98, ["spreadsheets"] = 0.98, ["word-forms"] = 0.98,
        ["letters"] = 0.98, ["case-notes"] = 0.98, ["email"] = 0.98, ["pdf-forms"] = 0.98, ["decoys"] = 0.98,
        ["cross-file"] = 0.98,
    };

    // Every category's rows must be people to notify (0.966 for case notes was the lowest when set).
    private const double CategoryPrecisionFloor = 0.95;

    [Fact]
    public async Task RealisticShareScoresAtLeastTheFloors()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        var truth = RealisticShare.Write(share, People, Seed);
        var scanner = new ScannerBuilder().WithThreads(2).Build();
        var result = await scanner.ScanAsync([share], []);

        var report = AccuracyReport.Evaluate(truth, result.Individuals);
        output.WriteLine(report.ToMarkdown());
        output.WriteLine(report.FailuresToMarkdown(2));

        Assert.True(report.Overall.Recall >= RecallFloor, $"recall {report.Overall.Recall:F3} < {RecallFloor}");
        Assert.True(report.Overall.RowPrecision >= PrecisionFloor, $"row precision {report.Overall.RowPrecision:F3} < {PrecisionFloor}");
        Assert.True(report.Overall.Fragmentation <= FragmentationCeiling, $"fragmentation {report.Overall.Fragmentation:F3} > {FragmentationCeiling}");
        Assert.True(report.Overall.ElementRecall >= ElementRecallFloor, $"element recall {report.Overall.ElementRecall:F3} < {ElementRecallFloor}");
        Assert.True(report.Overall.MergeErrors <= MergeErrorCeiling, $"merge errors {report.Overall.MergeErrors} > {MergeErrorCeiling}");
        Assert.All(report.Categories.Where(c => CategoryRecallFloors.ContainsKey(c.Category)), c =>
            Assert.True(c.Recall >= CategoryRecallFloors[c.Category], $"{c.Category} recall {c.Recall:F3} < {CategoryRecallFloors[c.Category]}"));
        Assert.All(report.Categories.Where(c => c.Rows > 0), c =>
            Assert.True(c.RowPrecision >= CategoryPrecisionFloor, $"{c.Category} row precision {c.RowPrecision:F3} < {CategoryPrecisionFloor}"));
        // Every rule id the scan reported is a listed rule with examples (rules/): code detectors' ids included.
        var listed = PiiScanner.Detection.RuleSet.Load([RepoPaths.Rules], PiiScanner.Detection.Validators.ValidatorRegistry.CreateDefault()).Rules
            .ToDictionary(r => r.Id, StringComparer.Ordinal);
        var reported = result.Items.SelectMany(i => i.Findings).Select(f => f.Evidence.RuleId).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(reported);
        Assert.All(reported, id => Assert.True(
            listed.ContainsKey(id) || listed.ContainsKey(id[..Math.Max(0, id.LastIndexOf('-'))]),
            $"rule id '{id}' is reported but has no file in rules/"));
        Assert.All(listed.Values, r => Assert.True(r.ExampleCount > 0, $"{r.Id} has no examples"));
    }

    [Fact]
    public void GenerationIsDeterministicAndEveryCategoryIsPopulated()
    {
        using var temp = new TempFolder();
        var a = RealisticShare.Write(temp.Combine("a"), People, Seed);
        var b = RealisticShare.Write(temp.Combine("b"), People, Seed);

        Assert.Equal(Hash(temp.Combine("a"), a), Hash(temp.Combine("b"), b));
        Assert.Equal(a.People.Count, b.People.Count);
        Assert.True(a.Bytes < 5_000_000, $"share is {a.Bytes} bytes");
        foreach (var (category, _) in RealisticTruth.Categories)
        {
            var count = a.People.Count(p => p.Categories.Contains(category));
            Assert.True(count >= 20, $"{category} has {count} people");
        }

        // Every exposure names a file that was written, and no two people share an SSN.
        Assert.All(a.People.SelectMany(p => p.Files), f => Assert.Contains(f.Path, a.Files));
        var ssns = a.People.Where(p => p.Ssn is not null).Select(p => p.Ssn).ToList();
        Assert.Equal(ssns.Count, ssns.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("123-45-6789", ssns);
        Assert.All(ssns, s => Assert.DoesNotMatch(@"^(000|666|9\d\d)|-00-|-0000$", s!));
    }

    private static string Hash(string root, RealisticTruth truth)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in truth.Files)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(file + "\n"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(root, file)));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    [Fact]
    public async Task RealisticShareOutputIsByteIdenticalForOneAndTwoThreads()
    {
        // Forms, linked workbooks, nested JSON, two-column PDFs and mail threads all reorder work: none may reorder output.
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        RealisticShare.Write(share, 150, Seed);

        var one = temp.Combine("one");
        var two = temp.Combine("two");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", one, "--threads", "1", "--quiet")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("scan", share, "--out", two, "--threads", "2", "--quiet")).ExitCode);

        foreach (var file in new[] { "individuals.jsonl", "individuals.csv", "findings.jsonl", "files.jsonl", "staff.jsonl" })
        {
            var a = await File.ReadAllBytesAsync(Path.Combine(one, file));
            var b = await File.ReadAllBytesAsync(Path.Combine(two, file));
            Assert.True(a.Length > 0, file + " is empty");
            Assert.True(a.AsSpan().SequenceEqual(b), file + " differs between thread counts");
        }
    }
}
