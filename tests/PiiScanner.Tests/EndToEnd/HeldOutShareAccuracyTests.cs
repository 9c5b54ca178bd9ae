using PiiScanner.Testing;
using Xunit.Abstractions;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// An independent accuracy check: <see cref="HeldOutShare"/> is a corpus written blind (without reading the
/// detectors, rules or <see cref="RealisticShare"/>'s templates). Its floors are what the code measured when they
/// were set minus 0.03; never tune the generator to raise them — fix the scanner instead.
/// </summary>
public sealed class HeldOutShareAccuracyTests(ITestOutputHelper output)
{
    private const int People = 300;
    private const int Seed = 11;

    // Ratchet, never lower. Measured when the corpus landed (seed 11, 300 people): recall 0.923, row precision 1.000,
    // element recall 0.657, 0 merge errors; after the fixes it then showed (any "… name" header, dd-MMM-yyyy dates,
    // nameless identifiers joining the one named person of a letter): recall 1.000, row precision 1.000, element
    // recall 0.765. The corpus has been looked at since: it is no longer blind.
    private const double RecallFloor = 0.97;
    private const double PrecisionFloor = 0.97;
    private const double ElementRecallFloor = 0.73;
    private const int MergeErrorCeiling = 0;

    [Fact]
    public async Task HeldOutShareScoresAtLeastTheFloors()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        var truth = HeldOutShare.Write(share, People, Seed);
        var result = await new ScannerBuilder().WithThreads(2).Build().ScanAsync([share], []);

        var report = AccuracyReport.Evaluate(truth, result.Individuals);
        output.WriteLine(report.ToMarkdown());
        output.WriteLine(report.FailuresToMarkdown(3));

        Assert.True(report.Overall.Recall >= RecallFloor, $"recall {report.Overall.Recall:F3} < {RecallFloor}");
        Assert.True(report.Overall.RowPrecision >= PrecisionFloor, $"row precision {report.Overall.RowPrecision:F3} < {PrecisionFloor}");
        Assert.True(report.Overall.MergeErrors <= MergeErrorCeiling, $"merge errors {report.Overall.MergeErrors} > {MergeErrorCeiling}");
        Assert.True(report.Overall.ElementRecall >= ElementRecallFloor, $"element recall {report.Overall.ElementRecall:F3} < {ElementRecallFloor}");
    }

    [Fact]
    public void HeldOutShareIsDeterministicAndEveryCategoryIsPopulated()
    {
        using var temp = new TempFolder();
        var a = HeldOutShare.Write(temp.Combine("a"), People, Seed);
        var b = HeldOutShare.Write(temp.Combine("b"), People, Seed);

        Assert.Equal(a.Files, b.Files);
        Assert.All(a.Files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(temp.Combine("a"), f)), File.ReadAllBytes(Path.Combine(temp.Combine("b"), f))));
        foreach (var (category, _) in RealisticTruth.Categories)
        {
            Assert.True(a.People.Count(p => p.Categories.Contains(category)) >= 4, category + " is empty");
        }

        Assert.All(a.People.SelectMany(p => p.Files), f => Assert.Contains(f.Path, a.Files));
        var ssns = a.People.Where(p => p.Ssn is not null).Select(p => p.Ssn!).ToList();
        Assert.Equal(ssns.Count, ssns.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ssns, s => Assert.DoesNotMatch(@"^(000|666|9\d\d)|-00-|-0000$|^123-45-6789$|^078-05-1120$|^219-09-9999$", s));
    }
}
