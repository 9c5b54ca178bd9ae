using PiiScanner.Detection;
using PiiScanner.Detection.Validators;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Detection;

public sealed class DetectionEngineTests
{
    [Fact]
    public void FormattedValidSsnScoresHigherWithContext()
    {
        var plain = Assert.Single(DetectionFixture.Engine.Test("noted 234-56-7802 on file"), f => f.Element == Elements.Ssn);
        var labelled = Assert.Single(DetectionFixture.Engine.Test("SSN: 234-56-7802"), f => f.Element == Elements.Ssn);
        Assert.Equal(0.85, plain.Confidence);
        Assert.True(labelled.Confidence >= 0.95);
        Assert.Equal("ssn", labelled.Evidence.ContextWord);
        Assert.Equal("ssn:valid", labelled.Evidence.Validator);
        Assert.Equal("ssn-dashed", labelled.Evidence.Pattern);
        Assert.Equal("us-ssn", labelled.Evidence.RuleId);
        Assert.Equal(5, labelled.Start);
        Assert.Equal(11, labelled.Length);
    }

    [Fact]
    public void BareNineDigitsCountOnlyUnderAnSsnHeader()
    {
        var segment = new Segment("row 9", string.Empty) { Fields = [new Field("Order", "234567802"), new Field("Soc Sec No", "345678903", "C9")] };
        var findings = new List<Finding>();
        DetectionFixture.Engine.Detect(segment, 0, findings);
        var ssn = Assert.Single(findings, f => f.Element == Elements.Ssn);
        Assert.Equal("345678903", ssn.Value);
        Assert.Equal(0.9, ssn.Confidence);
        Assert.Equal("Soc Sec No", ssn.Evidence.Header);
        Assert.Equal("C9", ssn.Locator);
    }

    [Fact]
    public void ItinIsNotReportedAsSsn()
    {
        var findings = DetectionFixture.Engine.Test("ITIN 912-78-1234");
        Assert.Equal([Elements.Itin], findings.Select(f => f.Element));
    }

    [Fact]
    public void FindingsAreInSpanOrderTextBeforeFields()
    {
        var segment = new Segment("line 3", "SSN 345-67-8903 DOB 03/04/1961 SSN 234-56-7802")
        {
            Fields = [new Field("SSN", "456789014")],
        };
        var findings = new List<Finding>();
        DetectionFixture.Engine.Detect(segment, 0, findings);
        Assert.Equal(["345678903", "1961-03-04", "234567802", "456789014"], findings.Select(f => f.Value));
    }

    [Fact]
    public void TextWithoutDigitsOrKeywordsYieldsNothing() =>
        Assert.Empty(DetectionFixture.Engine.Test("The quick brown fox jumps over the lazy dog."));

    [Fact]
    public void EngineIsSafeToShareBetweenThreads()
    {
        var texts = Enumerable.Range(0, 200).Select(i => $"Patient: Aurel Vink{(char)('a' + (i % 26))} SSN 234-56-{7802 + i} DOB 03/04/1961").ToArray();
        var results = new int[texts.Length];
        Parallel.For(0, texts.Length, i => results[i] = DetectionFixture.Engine.Test(texts[i]).Count);
        Assert.All(results, count => Assert.Equal(3, count));
    }

    [Fact]
    public void OcrWordsReadWithLowConfidenceLowerTheFindingsTheyHold()
    {
        const string line = "SSN: 547-03-9788";
        var sure = new List<Finding>();
        DetectionFixture.Engine.Detect(new Segment("page 1 line 5", line) { Label = "SSN", OcrWords = [new OcrWord(0, 4, 0.97), new OcrWord(5, 11, 0.97)] }, 0, sure);
        var unsure = new List<Finding>();
        DetectionFixture.Engine.Detect(new Segment("page 1 line 5", line) { Label = "SSN", OcrWords = [new OcrWord(0, 4, 0.97), new OcrWord(5, 11, 0.40)] }, 0, unsure);

        var high = Assert.Single(sure, f => f.Element == Elements.Ssn).Confidence;
        var low = Assert.Single(unsure, f => f.Element == Elements.Ssn).Confidence;
        Assert.True(low < high - 0.2, $"{low} vs {high}");
    }
}
