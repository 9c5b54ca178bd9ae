using PiiScanner.Detection;
using PiiScanner.Detection.Dates;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Detection;

public sealed class DobDetectionTests
{
    private static List<Finding> Dobs(string text, string? header = null) =>
        [.. DetectionFixture.Engine.Test(text, header).Where(f => f.Element == Elements.Dob)];

    [Theory]
    [InlineData("Visit date: 03/04/2021")]
    [InlineData("Invoice 2021-03-04")]
    [InlineData("Service date 03/04/1999, paid in full")]
    [InlineData("Admitted 1961-03-04")]
    [InlineData("Report printed March 4, 1961")]
    public void DateWithoutBirthContextIsNotADob(string text) => Assert.Empty(Dobs(text));

    [Fact]
    public void VisitDateAfterADobIsNotADob()
    {
        var found = Dobs("DOB 03/04/1961 Visit date: 05/06/2021");
        var dob = Assert.Single(found);
        Assert.Equal("1961-03-04", dob.Value);
        Assert.Equal(4, dob.Start);
    }

    [Fact]
    public void SecondDateAfterDobLabelDoesNotBorrowItsContext()
    {
        var found = Dobs("DOB: 01/02/1960 03/04/2001");
        Assert.Equal(["1960-01-02"], found.Select(f => f.Value));
    }

    [Theory]
    [InlineData("Date of Birth", "03/04/1961")]
    [InlineData("DOB", "3/4/61")]
    [InlineData("patient.birthDate", "1961-03-04")]
    [InlineData("BIRTH_DATE", "19610304")]
    public void HeaderMakesAFieldValueADob(string header, string value)
    {
        var segment = new Segment("row 2", string.Empty) { Fields = [new Field("Visit", "05/06/2021"), new Field(header, value, "B2")], Group = 7, GroupKind = GroupKind.Record };
        var findings = new List<Finding>();
        DetectionFixture.Engine.Detect(segment, 11, findings);
        var dob = Assert.Single(findings, f => f.Element == Elements.Dob);
        Assert.Equal("1961-03-04", dob.Value);
        Assert.Equal(header, dob.Evidence.Header);
        Assert.Equal("B2", dob.Locator);
        Assert.Equal(7, dob.Group);
        Assert.Equal(GroupKind.Record, dob.GroupKind);
        Assert.Equal(11, dob.SegmentIndex);
    }

    [Fact]
    public void VisitDateColumnIsNotADob()
    {
        var segment = new Segment("row 2", string.Empty) { Fields = [new Field("Visit Date", "03/04/2021"), new Field("Invoice Date", "2021-03-04")] };
        var findings = new List<Finding>();
        DetectionFixture.Engine.Detect(segment, 0, findings);
        Assert.DoesNotContain(findings, f => f.Element == Elements.Dob);
    }

    [Theory]
    [InlineData("Born March 4, 1961", "1961-03-04")]
    [InlineData("DOB: 4 Mar 1961", "1961-03-04")]
    [InlineData("DOB Mar. 4th 1961", "1961-03-04")]
    [InlineData("date of birth: 4th of March 1961", "1961-03-04")]
    [InlineData("Birthday: December 25, 1970", "1970-12-25")]
    [InlineData("DOB 03.04.1961", "1961-03-04")]
    [InlineData("DOB 3/4/61", "1961-03-04")]
    [InlineData("DOB 3/4/05", "2005-03-04")]
    public void WrittenAndNumericFormsNormaliseToIso(string text, string iso)
    {
        var dob = Assert.Single(Dobs(text));
        Assert.Equal(iso, dob.Value);
        Assert.NotNull(dob.Evidence.ContextWord);
        Assert.True(dob.Confidence >= 0.85, dob.Confidence.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TwoDigitYearPivotsIntoThePastRelativeToTheReferenceDate()
    {
        var early = new DetectionEngine(DetectionFixture.Rules, new DetectionOptions { ReferenceDate = new DateOnly(2004, 1, 1), UseDateRecognizer = false });
        Assert.Equal("1905-03-04", Assert.Single(early.Test("DOB 3/4/05"), f => f.Element == Elements.Dob).Value);
        Assert.Equal("2005-03-04", Assert.Single(DetectionFixture.Engine.Test("DOB 3/4/05"), f => f.Element == Elements.Dob).Value);
    }

    [Fact]
    public void WrittenDobTheParserCannotReadResolvesThroughTheRecognizer()
    {
        var dob = Assert.Single(Dobs("She was born on the fourth of March, nineteen sixty-one? No: born on March the 4th, 1961."));
        Assert.Equal("1961-03-04", dob.Value);
        Assert.Equal("recognizer", dob.Evidence.Pattern);
    }

    [Fact]
    public void RecognizerSmokeTestResolvesAKnownSentence()
    {
        // Microsoft.Recognizers.Text silently returns nothing when a runtime dependency is missing.
        var dates = new WrittenDateRecognizer().Recognize("born on March 4th, 1961", DetectionFixture.Today);
        Assert.Contains(dates, d => d.Date == new DateOnly(1961, 3, 4));
    }
}
