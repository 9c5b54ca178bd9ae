using PiiScanner.Index;


namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// Mainframe extracts laid out by a copybook, by a layout file and by nothing at all: each person in them must
/// become an individual with name, SSN, date of birth and address, and a parts inventory must create nobody.
/// </summary>
public sealed class FixedWidthEndToEndTests
{
    private const string Copybook = """
              * CLIENT MASTER EXTRACT
        000100 01  CLIENT-REC.
        000200     05  CLT-ID              PIC 9(6).
        000300     05  CLT-SSN             PIC 9(9).
        000400     05  CLT-DOB-CCYYMMDD    PIC 9(8).
        000500     05  CLT-NAME.
        000600         10  CLT-LAST-NAME   PIC X(15).
        000700         10  CLT-FIRST-NAME  PIC X(10).
        000800         10  CLT-MID-INIT    PIC X.
        000900     05  FILLER              PIC XX.
        001000     05  CLT-ADDR-LINE-1     PIC X(25).
        001100     05  CLT-CITY            PIC X(15).
        001200     05  CLT-ST              PIC XX.
        001300     05  CLT-ZIP-CODE        PIC 9(5).
        001400     05  CLT-BAL             PIC 9(7)V99.
        """;

    private const string Layout = """
        # field start length
        SSN          1  9
        BIRTH-DT    10  8
        LAST-NAME   18 15
        FIRST-NAME  33 10
        ADDR-LINE-1 43 25
        CITY        68 15
        STATE       83  2
        ZIP-CODE    85  5
        """;

    [Fact]
    public async Task PeopleInCopybookLayoutAndInferredExtractsBecomeIndividuals()
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        Directory.CreateDirectory(Path.Combine(share, "cobol"));
        Directory.CreateDirectory(Path.Combine(share, "layout"));
        Directory.CreateDirectory(Path.Combine(share, "inferred"));
        Directory.CreateDirectory(Path.Combine(share, "broken"));

        await File.WriteAllTextAsync(Path.Combine(share, "cobol", "clients.cpy"), Copybook);
        await File.WriteAllLinesAsync(Path.Combine(share, "cobol", "clients.dat"),
        [
            "000001" + "318427765" + "19610304" + Pad("BARSTEAD", 15) + Pad("QUILLON", 10) + "R" + "  " + Pad("12 OAK ST", 25) + Pad("HELENA", 15) + "MT" + "59601" + "000012345",
            "000002" + "429518836" + "19751123" + Pad("VANTERPOOL", 15) + Pad("ELOISE", 10) + "M" + "  " + Pad("4821 WILLOW CREEK RD", 25) + Pad("MISSOULA", 15) + "MT" + "59802" + "000000000",
            "000003" + "537629947" + "19880709" + Pad("OKAFOR", 15) + Pad("DESMOND", 10) + " " + "  " + Pad("900 E MAIN ST", 25) + Pad("BOZEMAN", 15) + "MT" + "59715" + "000004500",
        ]);

        await File.WriteAllTextAsync(Path.Combine(share, "layout", "members.layout"), Layout);
        await File.WriteAllLinesAsync(Path.Combine(share, "layout", "members.txt"),
        [
            "634172258" + "02141958" + Pad("HOLLISTER", 15) + Pad("MARGUERITE", 10) + Pad("77 LAKEVIEW DR", 25) + Pad("SPRINGFIELD", 15) + "IL" + "62704",
            "245863319" + "08301972" + Pad("ABERNATHY", 15) + Pad("LUCIAN", 10) + Pad("310 ELM AVE", 25) + Pad("PEORIA", 15) + "IL" + "61602",
            "356974420" + "12011990" + Pad("FONTAINE", 15) + Pad("ISOLDE", 10) + Pad("45 BIRCH LN", 25) + Pad("CHAMPAIGN", 15) + "IL" + "61820",
        ]);

        await File.WriteAllLinesAsync(Path.Combine(share, "inferred", "extract.dat"),
        [
            "712483365" + "19540612" + Pad("CRANSTON", 15) + Pad("WINIFRED", 10) + "J " + Pad("18 PINE ST", 25) + Pad("BILLINGS", 15) + "MT" + "59101",
            "823594476" + "19690917" + Pad("DELACROIX", 15) + Pad("AMBROSE", 10) + "T " + Pad("2210 RIVER RD", 25) + Pad("BUTTE", 15) + "MT" + "59701",
            "134605587" + "19830228" + Pad("ELLSWORTH", 15) + Pad("PRUDENCE", 10) + "  " + Pad("5 CEDAR CT", 25) + Pad("HAVRE", 15) + "MT" + "59501",
        ]);
        await File.WriteAllLinesAsync(Path.Combine(share, "inferred", "parts.dat"),
        [
            "00012345WIDGET BRACKET STEEL     00012500000450A12 20230115 OH44101",
            "00012346HEX BOLT ZINC            00400000000012B07 20230207 OH44101",
            "00012347WASHER FLAT NYLON        01000000000003C33 20230311 OH44102",
            "00012348HINGE PIN BRASS          00003000001299D01 20230402 OH44101",
        ]);

        await File.WriteAllTextAsync(Path.Combine(share, "broken", "staff.cpy"), "01 STAFF-REC.\n   05 STF-SSN PIC Q(9).\n");
        await File.WriteAllLinesAsync(Path.Combine(share, "broken", "staff.dat"),
        [
            "445716698" + "19660405" + Pad("GARRITY", 15) + Pad("ROSALIND", 10) + "E " + Pad("61 MAPLE ST", 25) + Pad("HELENA", 15) + "MT" + "59602",
            "556827709" + "19791110" + Pad("HALVORSEN", 15) + Pad("TOBIAS", 10) + "K " + Pad("930 SPRUCE AVE", 25) + Pad("KALISPELL", 15) + "MT" + "59901",
            "667938810" + "19920301" + Pad("IVERSON", 15) + Pad("CORDELIA", 10) + "  " + Pad("14 ASPEN WAY", 25) + Pad("LIVINGSTON", 15) + "MT" + "59047",
        ]);

        var result = await new ScannerBuilder().Build().ScanAsync([share], []);

        (string Ssn, string Dob, string Last, string Path)[] expected =
        [
            ("318427765", "1961-03-04", "Barstead", "cobol/clients.dat"),
            ("429518836", "1975-11-23", "Vanterpool", "cobol/clients.dat"),
            ("537629947", "1988-07-09", "Okafor", "cobol/clients.dat"),
            ("634172258", "1958-02-14", "Hollister", "layout/members.txt"),
            ("245863319", "1972-08-30", "Abernathy", "layout/members.txt"),
            ("356974420", "1990-12-01", "Fontaine", "layout/members.txt"),
            ("712483365", "1954-06-12", "Cranston", "inferred/extract.dat"),
            ("823594476", "1969-09-17", "Delacroix", "inferred/extract.dat"),
            ("134605587", "1983-02-28", "Ellsworth", "inferred/extract.dat"),
            ("445716698", "1966-04-05", "Garrity", "broken/staff.dat"),
        ];
        foreach (var (ssn, dob, last, path) in expected)
        {
            var person = Assert.Single(result.Individuals, i => i.Values.TryGetValue("ssn", out var v) && v.Any(x => Digits(x.Value) == ssn));
            Assert.Contains(last, person.Name ?? string.Empty, StringComparison.Ordinal);
            Assert.Contains(person.Values["dob"], v => v.Value == dob);
            Assert.Contains("address", person.Elements);
            Assert.Contains(person.Sources, s => s.Path == path && s.Locator.StartsWith("line ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(result.Individuals, i => i.Sources.Any(s => s.Path == "inferred/parts.dat"));
        var files = result.Items.ToDictionary(i => i.File.Path, i => i.File);
        Assert.Equal("fixed-width", files["cobol/clients.dat"].Extractor);
        Assert.Equal("partial", files["broken/staff.dat"].Status);
        Assert.Contains("bad-layout: staff.cpy", files["broken/staff.dat"].Reason, StringComparison.Ordinal);
        Assert.Contains("line 2", files["broken/staff.dat"].Reason, StringComparison.Ordinal);
    }

    private static string Pad(string value, int width) => value.PadRight(width);

    private static string Digits(string value) => new([.. value.Where(char.IsAsciiDigit)]);
}
