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
        Assert.Equal(FileStatus.Partial, files["broken/staff.dat"].Status);
        Assert.Equal(ReasonKind.BadLayout, files["broken/staff.dat"].ReasonKind);
        Assert.Contains("bad-layout: staff.cpy", files["broken/staff.dat"].Reason, StringComparison.Ordinal);
        Assert.Contains("line 2", files["broken/staff.dat"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopybookOfOneExtractIsNotBorrowedByTheOthersInItsFolder()
    {
        // MBRX0417.cpy describes MBRX0417.DAT only: CLMX0417.DAT has its own layout file and ELIG0417.DAT none, and
        // both were read with the member copybook (151 bytes, SSN first), so neither gave anyone.
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        var folder = Path.Combine(share, "Mainframe");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "MBRX0417.cpy"), """
                   01  MEMBER-REC.
                       05  MBR-SSN                PIC 9(9).
                       05  MBR-DOB                PIC 9(8).
                       05  MBR-NAME.
                           10  MBR-LAST           PIC X(20).
                           10  MBR-FIRST          PIC X(15).
                       05  MBR-STREET             PIC X(30).
                       05  MBR-CITY               PIC X(18).
                       05  MBR-STATE              PIC X(2).
                       05  MBR-ZIP                PIC 9(9).
            """);
        await File.WriteAllLinesAsync(Path.Combine(folder, "MBRX0417.DAT"),
        [
            "HDR MBRX0417 20240417",
            "318427765" + "19610304" + Pad("BARSTEAD", 20) + Pad("QUILLON", 15) + Pad("12 OAK ST", 30) + Pad("HELENA", 18) + "MT" + "596011234",
            "429518836" + "19751123" + Pad("VANTERPOOL", 20) + Pad("ELOISE", 15) + Pad("4821 WILLOW CREEK RD", 30) + Pad("MISSOULA", 18) + "MT" + "598025678",
            "537629947" + "19880709" + Pad("OKAFOR", 20) + Pad("DESMOND", 15) + Pad("900 E MAIN ST", 30) + Pad("BOZEMAN", 18) + "MT" + "597159012",
            "TRL 000000003",
        ]);
        await File.WriteAllTextAsync(Path.Combine(folder, "CLMX0417.layout"), "# FIELD START LENGTH\nCLM-ID 1 10\nLAST-NAME 11 20\nFIRST-NAME 31 15\nBIRTH-DATE 46 8\nSSN 54 9\nADDR-LINE 63 30\nCITY 93 18\nSTATE 111 2\nZIP 113 5\n");
        await File.WriteAllLinesAsync(Path.Combine(folder, "CLMX0417.DAT"),
        [
            Pad("C100001", 10) + Pad("HOLLISTER", 20) + Pad("MARGUERITE", 15) + "19580214" + "634172258" + Pad("77 LAKEVIEW DR", 30) + Pad("SPRINGFIELD", 18) + "IL" + "62704",
            Pad("C100004", 10) + Pad("ABERNATHY", 20) + Pad("LUCIAN", 15) + "19720830" + "245863319" + Pad("310 ELM AVE", 30) + Pad("PEORIA", 18) + "IL" + "61602",
            Pad("C100007", 10) + Pad("FONTAINE", 20) + Pad("ISOLDE", 15) + "19901201" + "356974420" + Pad("45 BIRCH LN", 30) + Pad("CHAMPAIGN", 18) + "IL" + "61820",
        ]);
        await File.WriteAllLinesAsync(Path.Combine(folder, "ELIG0417.DAT"),
        [
            Pad("CRANSTON", 20) + Pad("WINIFRED", 15) + "712483365" + "19540612" + Pad("18 PINE ST", 30) + Pad("BILLINGS", 18) + "MT" + "591011234" + "4065550101" + "E20230713",
            Pad("DELACROIX", 20) + Pad("AMBROSE", 15) + "823594476" + "19690917" + Pad("2210 RIVER RD", 30) + Pad("BUTTE", 18) + "MT" + "597015678" + "4065550102" + "E20231012",
            Pad("ELLSWORTH", 20) + Pad("PRUDENCE", 15) + "134605587" + "19830228" + Pad("58 CEDAR CT", 30) + Pad("HAVRE", 18) + "MT" + "595019012" + "4065550103" + "E20230506",
        ]);

        var result = await new ScannerBuilder().Build().ScanAsync([share], []);

        (string Ssn, string Last, string Path)[] expected =
        [
            ("318427765", "Barstead", "Mainframe/MBRX0417.DAT"), ("429518836", "Vanterpool", "Mainframe/MBRX0417.DAT"),
            ("537629947", "Okafor", "Mainframe/MBRX0417.DAT"), ("634172258", "Hollister", "Mainframe/CLMX0417.DAT"),
            ("245863319", "Abernathy", "Mainframe/CLMX0417.DAT"), ("356974420", "Fontaine", "Mainframe/CLMX0417.DAT"),
            ("712483365", "Cranston", "Mainframe/ELIG0417.DAT"), ("823594476", "Delacroix", "Mainframe/ELIG0417.DAT"),
            ("134605587", "Ellsworth", "Mainframe/ELIG0417.DAT"),
        ];
        foreach (var (ssn, last, path) in expected)
        {
            var person = Assert.Single(result.Individuals, i => i.Values.TryGetValue("ssn", out var v) && v.Any(x => Digits(x.Value) == ssn));
            Assert.Contains(last, person.Name ?? string.Empty, StringComparison.Ordinal);
            Assert.Contains("dob", person.Elements);
            Assert.Contains("address", person.Elements);
            Assert.Contains(person.Sources, s => s.Path == path);
        }

        var files = result.Items.ToDictionary(i => i.File.Path, i => i.File);
        Assert.Contains("layout:copybook", files["Mainframe/MBRX0417.DAT"].Counts!.Keys);
        Assert.Contains("layout:layout", files["Mainframe/CLMX0417.DAT"].Counts!.Keys);
        Assert.Contains("layout:inferred", files["Mainframe/ELIG0417.DAT"].Counts!.Keys);
        Assert.Equal(2, files["Mainframe/MBRX0417.DAT"].Counts!["shortLines"]);
    }

    private static string Pad(string value, int width) => value.PadRight(width);

    private static string Digits(string value) => new([.. value.Where(char.IsAsciiDigit)]);
}
