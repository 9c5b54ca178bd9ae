using PiiScanner.Extraction;
using static PiiScanner.Tests.Extraction.ExtractionHarness;

namespace PiiScanner.Tests.Extraction;

public class DelimitedExtractorTests
{
    private const string QuotedCsv =
        "Name,SSN,Address,Notes\r\n" +
        "\"Roe, Jane\",123-45-6701,\"12 Oak St\nHelena, MT 59601\",\"said \"\"hi\"\"\"\r\n" +
        "John Poe,123-45-6702,9 Elm Rd,\r\n" +
        "\r\n" +
        "Ann Loe,123-45-6703,1 Pine Ave,plain\r\n";

    [Fact]
    public async Task CsvWithQuotesEmbeddedNewlinesAndDoubledQuotesBecomesRows()
    {
        var run = await ScanAsync(Bytes(QuotedCsv));

        Assert.Equal("delimited", run.Extractor.Name);
        Assert.Equal(["row 2", "row 3", "row 5"], run.Segments.Select(s => s.Locator));
        var first = run.Segments[0];
        Assert.Equal("Roe, Jane", ExtractionRun.Value(first, "Name"));
        Assert.Equal("123-45-6701", ExtractionRun.Value(first, "SSN"));
        Assert.Equal("12 Oak St\nHelena, MT 59601", ExtractionRun.Value(first, "Address"));
        Assert.Equal("said \"hi\"", ExtractionRun.Value(first, "Notes"));
        Assert.Equal(string.Empty, first.Text);
        Assert.Equal(GroupKind.Record, first.GroupKind);
        Assert.Equal([2, 3, 5], run.Segments.Select(s => s.Group));

        // Empty cells are left out.
        Assert.Equal(["Name", "SSN", "Address"], run.Segments[1].Fields!.Select(f => f.Name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task CsvParsesTheSameThroughAChunkedStream(int chunk)
    {
        var whole = await ScanAsync(Bytes(QuotedCsv));
        var trickled = await ScanAsync(Bytes(QuotedCsv), chunk: chunk);

        Assert.Equal(
            whole.Segments.Select(s => string.Join('|', s.Fields!.Select(f => f.Name + "=" + f.Value))),
            trickled.Segments.Select(s => string.Join('|', s.Fields!.Select(f => f.Name + "=" + f.Value))));
    }

    [Theory]
    [InlineData('\t')]
    [InlineData('|')]
    [InlineData(';')]
    public async Task OtherDelimitersAreSniffed(char delimiter)
    {
        var rows = new[]
        {
            "last_name,first_name,dob,ssn",
            "Roe,Jane,03/04/1961,123-45-6701",
            "Poe,John,1970-01-02,123-45-6702",
            "Loe,Ann,1980-12-31,123-45-6703",
        };
        var text = string.Join('\n', rows.Select(r => r.Replace(',', delimiter))) + "\n";

        var run = await ScanAsync(Bytes(text));

        Assert.Equal("delimited", run.Extractor.Name);
        Assert.Equal(3, run.Segments.Count);
        Assert.Equal("1970-01-02", ExtractionRun.Value(run.Segments[1], "dob"));
        Assert.Equal("Loe", ExtractionRun.Value(run.Segments[2], "last_name"));
    }

    [Fact]
    public async Task CommasInsideTsvCellsDoNotWinOverTabs()
    {
        var text = "name\tssn\nRoe, Jane\t123-45-6701\nPoe, John\t123-45-6702\nLoe, Ann\t123-45-6703\n";

        var run = await ScanAsync(Bytes(text));

        Assert.Equal("Roe, Jane", ExtractionRun.Value(run.Segments[0], "name"));
    }

    [Fact]
    public async Task HeaderlessTableUsesColumnNamesAndCountsFromRowOne()
    {
        var text = "Roe|Jane|123-45-6701|1961-03-04\nPoe|John|123-45-6702|1970-01-02\nLoe|Ann|123-45-6703|1980-12-31\n";

        var run = await ScanAsync(Bytes(text));

        Assert.Equal("delimited", run.Extractor.Name);
        Assert.Equal(["row 1", "row 2", "row 3"], run.Segments.Select(s => s.Locator));

        // Columns are named from their values: given names, the surname column beside them (Roe is in no list), SSNs.
        Assert.Equal("123-45-6701", ExtractionRun.Value(run.Segments[0], "ssn"));
        Assert.Equal("John", ExtractionRun.Value(run.Segments[1], "first name"));
        Assert.Equal("Poe", ExtractionRun.Value(run.Segments[1], "last name"));
        Assert.True(run.Segments[0].InferredHeader);
    }

    [Fact]
    public async Task ProseWithCommasIsReadAsLines()
    {
        var text =
            "Dear Ms. Roe, thank you for your letter of March 4, which we received, read and filed.\n" +
            "We reviewed your account, your claim, and the notes from your visit.\n" +
            "As discussed, the balance is due on receipt, or within thirty days.\n" +
            "Sincerely, the billing office.\n";

        var run = await ScanAsync(Bytes(text));

        Assert.Equal("text", run.Extractor.Name);
        Assert.Equal(4, run.Segments.Count);
    }

    [Theory]
    [InlineData("Hello, world\nGoodbye, moon\n")]
    [InlineData("a,b,c\nplain line\nanother plain line\nx,y\n")]
    public void InconsistentOrTooSmallTablesAreNotDelimited(string text)
        => Assert.False(new DelimitedExtractor().CanExtract(Bytes(text), "x.csv"));

    [Fact]
    public async Task UnterminatedQuoteIsCutAtTheRecordLimitAndReadingResumes()
    {
        // The head holds well-formed rows; the stray quote comes after it.
        var lines = new List<string> { "name,ssn,note" };
        lines.AddRange(Enumerable.Range(0, 10).Select(i => $"Good Row{i},123-45-67{i + 10},fine"));
        lines.Add("Jane Roe,123-45-6701,\"never closed");
        lines.AddRange(Enumerable.Range(0, 200).Select(i => $"filler line {i} inside the quote"));
        var text = string.Join('\n', lines) + "\n";

        var run = await ScanAsync(Bytes(text), new ExtractionLimits { MaxSegmentChars = 1000 }, headSize: 300);

        Assert.Contains("delimited:record-too-long", run.Context.PartialReasons);
        var cut = Assert.Single(run.Segments, s => ExtractionRun.Value(s, "ssn") == "123-45-6701");
        Assert.Equal("row 12", cut.Locator);
        Assert.True(ExtractionRun.Value(cut, "note")!.Length <= 1000);
        Assert.True(run.Segments.Count > 150, $"only {run.Segments.Count} segments after the cut");
    }

    [Fact]
    public async Task SingleCellRowInAWideTableIsText()
    {
        var text = "name,ssn\nJane Roe,123-45-6701\nJohn Poe,123-45-6702\nAnn Loe,123-45-6703\nEnd of report\n";

        var run = await ScanAsync(Bytes(text));

        var footer = run.Segments[^1];
        Assert.Equal("row 5", footer.Locator);
        Assert.Equal("End of report", footer.Text);
        Assert.Null(footer.Fields);
    }

    [Fact]
    public async Task TitleLineBeforeTheHeaderIsTextAndTheHeaderIsStillFound()
    {
        var text = "Client export 2021\nname,ssn,dob\nJane Roe,123-45-6701,1961-03-04\nJohn Poe,123-45-6702,1970-01-02\nAnn Loe,123-45-6703,1980-12-31\nBo Loe,123-45-6704,1990-05-06\n";

        var run = await ScanAsync(Bytes(text));

        Assert.Equal("delimited", run.Extractor.Name);
        Assert.Equal("Client export 2021", run.Segments[0].Text);
        Assert.Equal("row 3", run.Segments[1].Locator);
        Assert.Equal("123-45-6701", ExtractionRun.Value(run.Segments[1], "ssn"));
        Assert.Equal(5, run.Segments.Count);
    }
}
