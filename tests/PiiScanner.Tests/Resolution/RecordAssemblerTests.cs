using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Resolution;
using static PiiScanner.Tests.Resolution.TestFindings;

namespace PiiScanner.Tests.Resolution;

public class RecordAssemblerTests
{
    [Fact]
    public void TableRowIsOneRecordEvenWithTwoNames()
    {
        var records = RecordAssembler.Assemble("x.csv",
        [
            F(Elements.Name, "Nadia Corrigan", "row 2", group: 2),
            F(Elements.Name, "Felix Corrigan", "row 2", group: 2, start: 30),
            F(Elements.Ssn, "123456711", "row 2", group: 2, start: 60),
        ]);

        var r = Assert.Single(records);
        Assert.Equal("row 2", r.Locator);
        Assert.Equal(3, r.Findings.Count);
    }

    [Fact]
    public void TableRowWithCellLocatorsIsLocatedByTheRow()
    {
        var records = RecordAssembler.Assemble("notes.docx",
        [
            F(Elements.Name, "Nadia Corrigan", "table 1 row 2 col 1", group: 3) with { SegmentLocator = "table 1 row 2" },
            F(Elements.Ssn, "123456711", "table 1 row 2 col 2", group: 3) with { SegmentLocator = "table 1 row 2" },
        ]);

        Assert.Equal("table 1 row 2", Assert.Single(records).Locator);
    }

    [Fact]
    public void ParagraphListingSeveralPeopleIsSplitPerPerson()
    {
        Finding B(string e, string v, long seg, int start = 0) =>
            F(e, v, $"line {seg}", group: 7, kind: GroupKind.Block, segment: seg, start: start);

        var records = RecordAssembler.Assemble("log.txt",
        [
            B(Elements.Name, "Alma Brightwater", 10),
            B(Elements.Ssn, "123456712", 10, 30),
            B(Elements.Dob, "1955-04-04", 11),
            B(Elements.Name, "Cyrus Delacroix", 12),
            B(Elements.Ssn, "123456713", 12, 30),
            B(Elements.Ssn, "123456714", 13),
            B(Elements.Name, "Eliza Fontaine", 13, 20),
        ]);

        Assert.Equal(3, records.Count);
        Assert.Equal(["line 10", "line 12", "line 13"], records.Select(r => r.Locator));
        Assert.Equal(3, records[0].Findings.Count);
        Assert.Equal(["123456713"], records[1].Findings.Where(f => f.Element == Elements.Ssn).Select(f => f.Value));
        Assert.Equal(["123456714", "Eliza Fontaine"], records[2].Findings.Select(f => f.Value));
    }

    [Fact]
    public void SameNameWrittenTwiceInABlockStaysOneRecord()
    {
        var records = RecordAssembler.Assemble("note.txt",
        [
            F(Elements.Name, "Jane A. Doe", "line 1", kind: GroupKind.Block, segment: 1),
            F(Elements.Name, "Doe", "line 2", kind: GroupKind.Block, segment: 2),
            F(Elements.Dob, "1961-03-04", "line 2", kind: GroupKind.Block, segment: 2, start: 10),
        ]);

        Assert.Single(records);
    }

    [Fact]
    public void PersonRepeatedOnEveryLineOfABlockIsOneRecordUntilAnotherSsn()
    {
        // A long log about one person (written three ways) stays one record; the next SSN starts the next one.
        var findings = new List<Finding>();
        for (var line = 1; line <= 3000; line++)
        {
            var name = (line % 3) switch { 0 => "Jane A. Doe", 1 => "Ms. Doe", _ => "DOE, JANE" };
            findings.Add(F(Elements.Name, name, $"line {line}", kind: GroupKind.Block, segment: line));
            findings.Add(F(Elements.Ssn, "123456711", $"line {line}", kind: GroupKind.Block, segment: line, start: 20));
        }

        findings.Add(F(Elements.Ssn, "123456712", "line 3001", kind: GroupKind.Block, segment: 3001));
        findings.Add(F(Elements.Name, "Doe", "line 3001", kind: GroupKind.Block, segment: 3001, start: 20));

        var records = RecordAssembler.Assemble("log.txt", findings);

        Assert.Equal(2, records.Count);
        Assert.Equal(6000, records[0].Findings.Count);
        Assert.Equal(["123456712", "Doe"], records[1].Findings.Select(f => f.Value));
    }

    [Fact]
    public void LongGapInABlockStartsANewRecord()
    {
        var records = RecordAssembler.Assemble("memo.txt",
        [
            F(Elements.Name, "Harriet Ingersoll", "line 1", kind: GroupKind.Block, segment: 1),
            F(Elements.Dob, "1944-09-09", "line 40", kind: GroupKind.Block, segment: 40),
        ]);

        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void DifferentBlocksAreDifferentRecords()
    {
        var records = RecordAssembler.Assemble("memo.txt",
        [
            F(Elements.Name, "Harriet Ingersoll", "line 1", group: 1, kind: GroupKind.Block, segment: 1),
            F(Elements.Dob, "1944-09-09", "line 2", group: 2, kind: GroupKind.Block, segment: 2),
        ]);

        Assert.Equal(2, records.Count);
        Assert.Empty(RecordAssembler.Assemble("empty.txt", []));
    }

    [Fact]
    public void NamelessLinesWithTheirOwnIdentifierAndAddressAreTwoRecords()
    {
        var records = RecordAssembler.Assemble("followups.txt",
        [
            F(Elements.Mbi, "1EG4TE5MK73", "line 3", kind: GroupKind.Block, segment: 3),
            F(Elements.Dob, "1950-04-05", "line 3", kind: GroupKind.Block, segment: 3, start: 30),
            F(Elements.Address, "12 Oak St, Helena, MT 59601", "line 3", kind: GroupKind.Block, segment: 3, start: 50),
            F(Elements.Itin, "912701234", "line 4", kind: GroupKind.Block, segment: 4),
            F(Elements.Address, "14 Elm St, Butte, MT 59701", "line 4", kind: GroupKind.Block, segment: 4, start: 30),
        ]);

        Assert.Equal(["line 3", "line 4"], records.Select(r => r.Locator));
    }
}

public class LocatorComparerTests
{
    [Fact]
    public void LocatorsSortNaturally()
    {
        string[] locators = ["row 10", "row 2", "$.p[10]", "$.p[9]", "line 1", "row 02"];
        var sorted = locators.Order(LocatorComparer.Instance).ToList();
        Assert.Equal(["$.p[9]", "$.p[10]", "line 1", "row 02", "row 2", "row 10"], sorted);
    }
}
