using PiiScanner.Extraction.FixedWidth;

namespace PiiScanner.Tests.Extraction.FixedWidth;

public sealed class CopybookParserTests
{
    private const string Copybook = """
              * CLIENT MASTER EXTRACT - LAYOUT VERSION 3
        000100 01  CLIENT-REC.
        000200     05  CLT-ID              PIC 9(6).
        000300     05  CLT-SSN             PIC 9(9).
        000400     05  CLT-ALT-ID REDEFINES CLT-SSN PIC X(9).
        000500     05  CLT-NAME.
        000600         10  CLT-LAST-NAME   PIC X(15).
        000700         10  CLT-FIRST-NAME  PIC X(10).
        000800         10  CLT-MID-INIT    PIC X.
        000900     05  FILLER              PIC XX.
        001000     05  CLT-STATE           PIC XXX.
        001100     05  CLT-BAL             PIC S9(7)V99 COMP-3.
        001200     05  CLT-COUNT           PIC S9(4) COMP.
        001300     05  CLT-PHONE OCCURS 2 TIMES.
        001400         10  PHONE-NO        PIC 9(10).
        001500         10  PHONE-TYPE      PIC X.
        001600     05  CLT-RATE            PIC 9(3)V99.
        001700     05  CLT-FLAG            PIC X VALUE 'Y'.
        001800         88  CLT-ACTIVE      VALUE 'Y'.
        """;

    [Fact]
    public void CopybookFieldsHaveOffsetsAndWidths()
    {
        var layout = CopybookParser.Parse(Copybook);

        var fields = layout.Fields.ToDictionary(f => f.Name, f => (f.Start, f.Length, f.Encoding));
        Assert.Equal((0, 6, FieldEncoding.Display), fields["CLT-ID"]);
        Assert.Equal((6, 9, FieldEncoding.Display), fields["CLT-SSN"]);
        Assert.DoesNotContain("CLT-ALT-ID", fields.Keys);               // REDEFINES: no width, no field
        Assert.Equal((15, 15, FieldEncoding.Display), fields["CLT-LAST-NAME"]);
        Assert.Equal((30, 10, FieldEncoding.Display), fields["CLT-FIRST-NAME"]);
        Assert.Equal((40, 1, FieldEncoding.Display), fields["CLT-MID-INIT"]);
        Assert.DoesNotContain("FILLER", fields.Keys);                   // FILLER: width counted (41–42)
        Assert.Equal((43, 3, FieldEncoding.Display), fields["CLT-STATE"]);
        Assert.Equal((46, 5, FieldEncoding.Packed), fields["CLT-BAL"]);  // 9 digits packed: 5 bytes
        Assert.Equal((51, 2, FieldEncoding.Binary), fields["CLT-COUNT"]);
        Assert.Equal((53, 10, FieldEncoding.Display), fields["PHONE-NO-1"]);
        Assert.Equal((63, 1, FieldEncoding.Display), fields["PHONE-TYPE-1"]);
        Assert.Equal((64, 10, FieldEncoding.Display), fields["PHONE-NO-2"]);
        Assert.Equal((74, 1, FieldEncoding.Display), fields["PHONE-TYPE-2"]);
        Assert.Equal((75, 5, FieldEncoding.Display), fields["CLT-RATE"]);
        Assert.Equal((80, 1, FieldEncoding.Display), fields["CLT-FLAG"]);
        Assert.Equal(81, layout.RecordLength);
        Assert.Equal(2, layout.Fields.Single(f => f.Name == "CLT-RATE").Scale);
    }

    [Fact]
    public void FreeFormatCopybookWithInlineCommentsParses()
    {
        var layout = CopybookParser.Parse("""
            01 PERSON.
               05 LAST-NAME PIC X(20). *> surname
               05 DOB PIC 9(8).
            """);

        Assert.Equal(["LAST-NAME", "DOB"], layout.Fields.Select(f => f.Name));
        Assert.Equal(28, layout.RecordLength);
    }

    [Theory]
    [InlineData("01 REC.\n   05 A PIC Q(3).", "line 2")]
    [InlineData("01 REC.\n   05 A PIC X(3.", "line 2")]
    [InlineData("01 REC.\n   XX A PIC X(3).", "line 2")]
    [InlineData("01 REC.\n   05 A.", "no PIC")]
    [InlineData("this is not a copybook", "level number")]
    [InlineData("", "no data description")]
    public void MalformedCopybookIsReportedWithTheLine(string text, string expected)
    {
        var error = Assert.Throws<LayoutException>(() => CopybookParser.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x12, 0x34, 0x5C }, 0, "12345")]
    [InlineData(new byte[] { 0x00, 0x12, 0x34, 0x5D }, 2, "-00123.45")]
    [InlineData(new byte[] { 0x12, 0x3F }, 0, "123")]
    public void PackedDecimalIsDecoded(byte[] bytes, int scale, string expected)
    {
        var chars = bytes.Select(b => (char)b).ToArray();
        Assert.Equal(expected, FixedWidthExtractor.DecodePacked(chars, scale));
    }

    [Fact]
    public void PackedBytesThatAreNotDigitsAreSkipped()
        => Assert.Null(FixedWidthExtractor.DecodePacked("AB".ToCharArray(), 0));
}
