using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Testing;
using PiiScanner.Tests.Detection;

namespace PiiScanner.Tests.Extraction.Formats;

public sealed class StructuredPeopleTests
{
    [Fact]
    public async Task XlsxHeaderBelowATitleBlockIsFound()
    {
        var book = FormatFiles.Xlsx("Report",
            ["Quarterly member export"],
            ["Generated:", "2021-03-01"],
            [],
            ["Member ID", "First Name", "Last Name", "SSN"],
            ["M1", "Ansel", "Whitcombe", "518-24-3307"]);

        var run = await ExtractionHarness.ScanAsync(book, path: "share/report.xlsx");

        var row = Assert.Single(run.Segments, s => s.Fields is not null);
        Assert.Equal("Report!A5", row.Locator);
        Assert.Equal("518-24-3307", ExtractionRun.Value(row, "SSN"));
        Assert.Contains(run.Segments, s => s.Text == "Generated: 2021-03-01");
    }

    [Fact]
    public async Task LinkedSheetsJoinTheMemberRecordWithRealCellLocators()
    {
        var book = FormatFiles.Xlsx(
            ("Households", [["household_id", "address", "city", "state", "zip"], ["H1", "12 Oak St", "Helena", "MT", "59601"]]),
            ("Members", [["member_id", "household_id", "first", "last"], ["P1", "H1", "Ansel", "Whitcombe"], ["P2", "H1", "Casimir", "Whitcombe"]]),
            ("Services", [["member_id", "service_date", "diagnosis"], ["P1", "2021-02-03", "Asthma"], ["P1", "2021-02-05", "Asthma"], ["P2", "2021-02-04", "Diabetes"]]));

        var run = await ExtractionHarness.ScanAsync(book, path: "share/members.xlsx");

        var records = run.Segments.Where(s => s.Fields is not null).ToList();
        Assert.Equal(["Members!A2", "Households!A2", "Services!A2", "Services!A3", "Members!A3", "Households!A2", "Services!A4"], records.Select(s => s.Locator));
        Assert.Equal(records[0].Group, records[3].Group);
        Assert.NotEqual(records[0].Group, records[4].Group);
        Assert.Equal("Services!C4", records[6].Fields!.Single(f => f.Name == "diagnosis").Locator);
        Assert.All(records, s => Assert.Equal(GroupKind.Record, s.GroupKind));
    }

    [Fact]
    public async Task DocxFormIsOneRecordAndHouseholdRowsPointToIt()
    {
        var form = FormatFiles.Docx(
            new DocxTable([["Name", "Perpetua Galloway"], ["Address", "12 Oak St\nHelena, MT 59601"]], Header: false),
            "Date of Birth: 06/21/1958",
            new[] { new[] { "Name", "Relationship" }, new[] { "Ansel Galloway", "Son" } });

        var run = await ExtractionHarness.ScanAsync(form, path: "share/intake.docx");

        var table = Assert.Single(run.Segments, s => s.Locator == "table 1");
        Assert.Equal("12 Oak St, Helena, MT 59601", ExtractionRun.Value(table, "Address"));
        Assert.Equal(table.Group, Assert.Single(run.Segments, s => s.Label == "Date of Birth").Group);
        var son = Assert.Single(run.Segments, s => s.Locator == "table 2 row 2");
        Assert.Equal(table.Group, son.ParentGroup);
        Assert.NotEqual(table.Group, son.Group);

        var findings = new List<Finding>();
        DetectionFixture.Engine.Detect(table, 0, findings);
        var address = Assert.Single(findings, f => f.Element == Elements.Address);
        Assert.Contains("Helena", address.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocxFormWhoseLabelsAreNotTheUsualWordsIsStillAForm()
    {
        // Labels named by their last word ("Daytime telephone", "Household size", "Other names used"): the first row is
        // no header of a table of people.
        var form = FormatFiles.Docx(
            new DocxTable(
            [
                ["Applicant's legal name", "Perpetua Galloway"], ["Other names used", "n/a"], ["Date of birth", "June 21, 1958"],
                ["Daytime telephone", "406-555-0142"], ["Driver license / state ID #", "MT 0190919894120"], ["Household size", "3"],
            ],
            Header: false));

        var run = await ExtractionHarness.ScanAsync(form, path: "share/intake.docx");

        var table = Assert.Single(run.Segments, s => s.Locator == "table 1");
        Assert.Equal("Perpetua Galloway", ExtractionRun.Value(table, "Applicant's legal name"));
        Assert.Equal("406-555-0142", ExtractionRun.Value(table, "Daytime telephone"));
        Assert.Equal("3", ExtractionRun.Value(table, "Household size"));
    }
}
