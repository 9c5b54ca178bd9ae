using PiiScanner.Extraction.FixedWidth;

namespace PiiScanner.Tests.Extraction.FixedWidth;

public sealed class LayoutFileAndInferenceTests
{
    [Fact]
    public void WhitespaceLayoutFileGivesStartAndLength()
    {
        var layout = LayoutFileParser.Parse("""
            # name start length
            SSN        1  9
            LAST NAME 10 15
            DOB       25  8
            """);

        Assert.Equal([("SSN", 0, 9), ("LAST NAME", 9, 15), ("DOB", 24, 8)], layout.Fields.Select(f => (f.Name, f.Start, f.Length)));
        Assert.Equal(32, layout.RecordLength);
    }

    [Fact]
    public void CsvLayoutFileGivesStartAndEnd()
    {
        var layout = LayoutFileParser.Parse("name,start,end\nssn,1,9\nbirth_dt,10,17\n");

        Assert.Equal([("ssn", 0, 9), ("birth_dt", 9, 8)], layout.Fields.Select(f => (f.Name, f.Start, f.Length)));
    }

    [Theory]
    [InlineData("SSN 1")]
    [InlineData("SSN 1 9\nDOB ten 8")]
    [InlineData("SSN 0 9")]
    [InlineData("# only comments")]
    public void BadLayoutFileThrows(string text) => Assert.Throws<LayoutException>(() => LayoutFileParser.Parse(text));

    [Theory]
    [InlineData("CLT-SSN", "ssn")]
    [InlineData("SOC-SEC-NO", "ssn")]
    [InlineData("BIRTH-DT", "date of birth")]
    [InlineData("DOB-CCYYMMDD", "date of birth")]
    [InlineData("LAST-NAME", "last name")]
    [InlineData("CLT-LST-NM", "last name")]
    [InlineData("FIRST-NAME", "first name")]
    [InlineData("MID-INIT", "middle name")]
    [InlineData("CLT-NAME", "name")]
    [InlineData("PART-NAME", "PART-NAME")]
    [InlineData("ADDR-LINE-1", "street")]
    [InlineData("ADDR-LINE-2", "address line 2")]
    [InlineData("CLT-CITY", "city")]
    [InlineData("CLT-ST", "state")]
    [InlineData("ZIP-CODE", "zip")]
    [InlineData("PART-NO", "PART-NO")]
    public void MainframeNamesBecomeHeaderWords(string name, string expected) => Assert.Equal(expected, FieldNames.Canonical(name));

    [Fact]
    public void SsnRunTogetherWithDateIsSplitWhenBothValidate()
    {
        string[] rows =
        [
            "31842776519610304BARSTEAD       QUILLON   R 12 OAK ST                HELENA         MT59601",
            "42951883619751123VANTERPOOL     ELOISE    M 4821 WILLOW CREEK RD     MISSOULA       MT59802",
            "53762994719880709OKAFOR         DESMOND     900 E MAIN ST            BOZEMAN        MT59715",
        ];

        var layout = LayoutInference.Infer(rows);

        Assert.NotNull(layout);
        var names = layout.Fields.ToDictionary(f => f.Name, f => (f.Start, f.Length));
        Assert.Equal((0, 9), names["ssn"]);
        Assert.Equal((9, 8), names["date of birth"]);
        Assert.Equal(17, names["last name"].Start);
        Assert.Equal(32, names["first name"].Start);
        Assert.Equal((42, 1), names["middle name"]);
        Assert.Contains("street", names.Keys);
        Assert.Contains("city", names.Keys);
        Assert.Equal(2, names["state"].Length);
        Assert.Equal(5, names["zip"].Length);
        Assert.True(layout.IsInferred);
    }

    [Fact]
    public void DigitRunIsNotSplitWhenItsPartsDoNotValidate()
    {
        string[] rows =
        [
            "10000000000000001 WIDGET BRACKET STEEL     A12",
            "10000000000000002 HEX BOLT M8 ZINC         B07",
            "10000000000000003 WASHER FLAT NYLON        C33",
        ];

        var layout = LayoutInference.Infer(rows);

        Assert.NotNull(layout);
        Assert.Equal((0, 17), (layout.Fields[0].Start, layout.Fields[0].Length));
        Assert.DoesNotContain(layout.Fields, f => f.Name is "ssn" or "date of birth");
    }

    [Fact]
    public void PartsInventoryGetsNoPersonHeaders()
    {
        string[] rows =
        [
            "00012345WIDGET BRACKET STEEL     00012500000450A12 20230115 OH44101",
            "00012346HEX BOLT ZINC            00400000000012B07 20230207 OH44101",
            "00012347WASHER FLAT NYLON        01000000000003C33 20230311 OH44102",
            "00012348HINGE PIN BRASS          00003000001299D01 20230402 OH44101",
        ];

        var layout = LayoutInference.Infer(rows);

        Assert.NotNull(layout);
        Assert.DoesNotContain(layout.Fields, f => f.Name is "ssn" or "date of birth" or "last name" or "first name" or "name" or "street");
    }
}
