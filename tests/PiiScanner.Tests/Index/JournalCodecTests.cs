using System.Text;
using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Resolution;
using PiiScanner.Sources;

namespace PiiScanner.Tests.Index;

public sealed class JournalCodecTests
{
    private static Finding Full(string value, int start) => new()
    {
        Element = Elements.DriversLicense,
        Value = value,
        Locator = "row 3",
        SegmentLocator = "sheet Staff!row 3",
        Confidence = 0.8125,
        Evidence = new Evidence { RuleId = "dl-il", Pattern = "strict", Validator = "il-soundex", ContextWord = "licence", Header = "DL #", InferredHeader = true },
        Start = start,
        Length = value.Length,
        Group = 7,
        GroupKind = GroupKind.Record,
        ParentGroup = -2,
        SegmentIndex = 1L << 40,
        ByteOffset = 123_456_789_012,
        Owner = "Jane Doe",
        State = "IL",
        Code = "E11.9",
        Qualifiers = new() { Role = PersonRole.Relative, NameForm = NameForm.Honorific, Sensitivity = "mental-health", Issuer = "US", Kind = "card" },
    };

    private static ItemResult FullItem()
    {
        var a = Full("D120-4455-0001", 0);
        var b = Full("D120-4455-0002", 40) with { Qualifiers = FindingQualifiers.None, ParentGroup = null, ByteOffset = null, SegmentLocator = null };
        var changed = a with { State = "WI" };
        var file = new FileRecord
        {
            Path = "HR/staff.xlsx",
            Size = 4096,
            Sha256 = new string('a', 64),
            Status = FileStatus.Partial,
            Change = FileChange.Changed,
            Reason = "regex-timeout: rule x",
            RegexTimeouts = ["dl-il", "person-name"],
            Extractor = "xlsx",
            Detail = "2 sheets",
            Findings = 2,
            Counts = new Dictionary<string, long> { ["rows"] = 12, ["cells"] = long.MaxValue },
            Origin = new ItemOrigin { Partition = "p1", Inode = "128-0", Deleted = true, ImageOffset = 1 << 20 },
            Modified = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(-6)).AddTicks(1),
        };
        return new ItemResult(file, [a, b], [new PersonRecord(file.Path, "row 3", [a, changed]), new PersonRecord("HR/staff.xlsx!inner", "row 9", [b])]);
    }

    [Fact]
    public void EveryFieldSurvivesTheJournal()
    {
        var item = FullItem();

        var back = JournalCodec.Decode(JournalCodec.Encode(item));

        Assert.Equal(item.File with { RegexTimeouts = null, Counts = null }, back.File with { RegexTimeouts = null, Counts = null });
        Assert.Equal(item.File.RegexTimeouts, back.File.RegexTimeouts);
        Assert.Equal(item.File.Counts!.OrderBy(c => c.Key, StringComparer.Ordinal), back.File.Counts!);
        Assert.Equal(item.File.Modified!.Value.Offset, back.File.Modified!.Value.Offset);
        Assert.Equal(item.Findings, back.Findings);
        Assert.Equal(item.Records.Count, back.Records.Count);
        for (var i = 0; i < item.Records.Count; i++)
        {
            Assert.Equal(item.Records[i].Path, back.Records[i].Path);
            Assert.Equal(item.Records[i].Locator, back.Records[i].Locator);
            Assert.Equal(item.Records[i].Findings, back.Records[i].Findings);
        }

        // A record's finding that is one of the item's is the same object after decoding (not a copy).
        Assert.Same(back.Findings[0], back.Records[0].Findings[0]);
        Assert.Equal("WI", back.Records[0].Findings[1].State);
        Assert.Equal(item.File, JournalCodec.DecodeFile(JournalCodec.Encode(item)) with { Counts = item.File.Counts, RegexTimeouts = item.File.RegexTimeouts });
    }

    [Fact]
    public void NoFieldIsLeftOutOfTheJournal()
    {
        // The codec writes these fields one by one: a field added to one of these types must be added to
        // JournalCodec (and to FullItem above), or a resumed or rescanned scan would lose it.
        static string[] Props(Type t) => [.. t.GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order(StringComparer.Ordinal)];
        Assert.Equal(["ByteOffset", "Code", "Confidence", "Element", "Evidence", "Group", "GroupKind", "Length", "Locator", "Owner", "ParentGroup", "Qualifiers", "SegmentIndex", "SegmentLocator", "Start", "State", "Value"], Props(typeof(Finding)));
        Assert.Equal(["ContextWord", "Header", "InferredHeader", "Pattern", "RuleId", "Validator"], Props(typeof(Evidence)));
        Assert.Equal(["Issuer", "Kind", "NameForm", "Role", "Sensitivity"], Props(typeof(FindingQualifiers)));
        Assert.Equal(["Change", "Counts", "Detail", "Extractor", "Findings", "Modified", "Origin", "Path", "Reason", "RegexTimeouts", "Sha256", "Size", "Status"], Props(typeof(FileRecord)));
        Assert.Equal(["Deleted", "ImageOffset", "Inode", "Partition"], Props(typeof(ItemOrigin)));
    }

    [Fact]
    public void AJsonRowOfAnEarlierBuildIsRefused()
    {
        var row = Encoding.UTF8.GetBytes("""{"File":{"Path":"a.txt","Status":"scanned"},"Findings":[],"Records":[]}""");
        Assert.Throws<InvalidDataException>(() => JournalCodec.Decode(row));
        Assert.Throws<InvalidDataException>(() => JournalCodec.DecodeFile(row));
    }

    [Fact]
    public void ATruncatedRowIsRefused()
    {
        var row = JournalCodec.Encode(FullItem());
        for (var n = 0; n < row.Length; n += 7)
        {
            Assert.Throws<InvalidDataException>(() => JournalCodec.Decode(row.AsSpan(0, n)));
        }
    }
}
