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
    [InlineData("MBR-LAST", "last name")]
    [InlineData("MBR-FIRST", "first name")]
    [InlineData("LAST", "last name")]
    [InlineData("LAST-VISIT-DT", "LAST-VISIT-DT")]
    [InlineData("FIRST-CLAIM-NO", "FIRST-CLAIM-NO")]
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
    public void HouseNumberRunTogetherWithSsnAndDateStartsTheStreet()
    {
        // SSN, date of birth and the street's house number are one all-digit stretch in every row; so are the
        // ZIP+4 (some of them not SSN-shaped) and the phone after the state. The street types (AVE, RD, ST) of
        // three rows start at the same position after a blank: still the street, and the city after it.
        string[] rows =
        [
            "O'BRIEN             CHARLES        44951701619580919" + "7587 BIRCH AVE                OLYMPIA           WA9857148803125550106E20230713",
            "IRON CLOUD          ANTHONY        31420146519490208" + "3063 ASPEN RD                 HARRISBURG        PA1718717503125550110E20231012",
            "BRENNAN             JOSE           42180934419650319" + "658 SPRUCE ST                 CHICAGO           IL6062659753125550107E20230506",
            "THORNBURG           ALMA           52307711219880101" + "10 OAK ST                     HELENA            MT5960112343125550111E20230101",
        ];

        var layout = LayoutInference.Infer(rows);

        Assert.NotNull(layout);
        var names = layout.Fields.ToDictionary(f => f.Name, f => (f.Start, f.Length));
        Assert.Equal((0, 20), names["last name"]);
        Assert.Equal((20, 15), names["first name"]);
        Assert.Equal((35, 9), names["ssn"]);
        Assert.Equal((44, 8), names["date of birth"]);
        Assert.Equal(52, names["street"].Start);
        Assert.Equal(82, names["city"].Start);
        Assert.Equal((102, 9), names["zip"]);
        Assert.Equal((111, 10), names["phone"]);
    }

    [Fact]
    public void HouseNumbersOfOneLengthStayInTheStreet()
    {
        // Every sampled house number has two digits, so they are a column of digits between blanks: it belongs to
        // the street after it, which must not become a first name (nor the city a stray column).
        string[] rows =
        [
            "318427765" + "19610304" + "BARSTEAD    " + "12 LAKESHORE DR     " + "HELENA    " + "MT59601",
            "429518836" + "19751123" + "VANTERPOOL  " + "48 LAKESHORE DR     " + "MISSOULA  " + "MT59802",
            "537629947" + "19880709" + "OKAFOR      " + "90 MAPLE ST         " + "BOZEMAN   " + "MT59715",
            "634172258" + "19580214" + "HOLLISTER   " + "77 OAK AVE          " + "BUTTE     " + "MT59701",
            "245863319" + "19720830" + "ABERNATHY   " + "31 ELM AVE          " + "HAVRE     " + "MT59501",
        ];

        var layout = LayoutInference.Infer(rows);

        Assert.NotNull(layout);
        var names = layout.Fields.ToDictionary(f => f.Name, f => (f.Start, f.Length));
        Assert.Equal(29, names["street"].Start);
        Assert.True(names["street"].Length >= 15);
        Assert.Equal(49, names["city"].Start);
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
