using PiiScanner.Detection.Matching;

namespace PiiScanner.Tests.Detection.Matching;

public sealed class DigitRunsTests
{
    [Theory]
    [InlineData("", 0, 0, 0)]
    [InlineData("no digits here", 0, 0, 0)]
    [InlineData("SSN 123-45-6789", 4, 9, 9)]
    [InlineData("SSN 123 45 6789.", 4, 9, 9)]
    [InlineData("id 123456789", 9, 9, 9)]
    [InlineData("2024-03-01T22:17:06.053Z", 4, 17, 8)]
    [InlineData("123--45-6789", 4, 9, 6)] // two dashes break the chain
    [InlineData("123-45x6789", 4, 9, 5)]
    [InlineData("call 555 0100 or 555-0199", 4, 14, 7)]
    [InlineData("9", 1, 1, 1)]
    public void MeasuresRunsCountAndChains(string text, int longest, int count, int chain)
    {
        var measured = DigitRuns.Measure(text, DigitShapeSet.Empty);
        Assert.Equal((longest, count, chain), (measured.Longest, measured.Count, measured.Chain));
    }
}
