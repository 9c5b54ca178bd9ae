using PiiScanner.Extraction.Structure;
using PiiScanner.Extraction;
using static PiiScanner.Tests.Extraction.ExtractionHarness;

namespace PiiScanner.Tests.Extraction;

public class TextExtractorTests
{
    [Fact]
    public async Task LinesGetLocatorsAndBlankLinesStartNewGroups()
    {
        var text = "Intake form\r\nName: Jane Roe\r\n\r\n\r\nName: John Poe\rSSN: 123-45-6702\n   \nEnd";
        var run = await RunAsync(new TextExtractor(), Bytes(text));

        Assert.Equal(["line 1", "line 2", "line 5", "line 6", "line 8"], run.Segments.Select(s => s.Locator));
        Assert.Equal([1, 1, 2, 2, 3], run.Segments.Select(s => s.Group));
        Assert.All(run.Segments, s => Assert.Equal(GroupKind.Block, s.GroupKind));
        Assert.Equal("SSN: 123-45-6702", run.Segments[3].Text);
        Assert.Equal(8, run.Context.Counts["lines"]);
    }

    [Fact]
    public async Task CrLfSplitAcrossReadsIsOneLineBreak()
    {
        var run = await RunAsync(new TextExtractor(), Bytes("a\r\nb\r\nc\r\nd"), chunk: 2);

        Assert.Equal(["line 1", "line 2", "line 3", "line 4"], run.Segments.Select(s => s.Locator));
        Assert.Equal(["a", "b", "c", "d"], run.Texts);
    }

    [Fact]
    public async Task LabelledLinesCarryTheirLabelAndKeepTheWholeText()
    {
        var run = await RunAsync(new TextExtractor(), Bytes("Date of Birth: 03/04/1961\nSSN: 123-45-6701\nsee https://example.org/x\n"));

        Assert.Equal("Date of Birth", run.Segments[0].Label);
        Assert.Equal("Date of Birth: 03/04/1961", run.Segments[0].Text);
        Assert.Equal("SSN", run.Segments[1].Label);
        Assert.Null(run.Segments[2].Label);
    }

    [Theory]
    [InlineData("Date of Birth: 03/04/1961", "Date of Birth")]
    [InlineData("  Patient Name : Jane Roe", "Patient Name")]
    [InlineData("SS#: 123-45-6701", "SS#")]
    [InlineData("https://example.org/a", null)]
    [InlineData("12:30 meeting with Jane", null)]
    [InlineData("Note:", null)]
    [InlineData("This sentence is much too long to be a label of anything: value", null)]
    [InlineData("one two three four five six seven: value", null)]
    [InlineData("Jane said \"hello\": twice", null)]
    [InlineData("no colon here", null)]
    [InlineData("City, State ZIP: Flagstaff, AZ 86001", "City, State ZIP")]
    [InlineData("Well, as we said before, at the meeting: nothing", null)]
    public void LabelParserFindsShortLabelsOnly(string line, string? expected)
        => Assert.Equal(expected, LabelValue.FindLabel(line));

    [Fact]
    public async Task LongLineIsSplitAtWhitespaceIntoSegmentsWithTheSameLocator()
    {
        var words = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"word{i:D3}"));
        var run = await RunAsync(new TextExtractor(), Bytes("short\n" + words + "\nlast"), new ExtractionLimits { MaxSegmentChars = 100 });

        var pieces = run.Segments.Where(s => s.Locator == "line 2").ToList();
        Assert.True(pieces.Count >= 9, $"only {pieces.Count} pieces");
        Assert.All(pieces, p => Assert.InRange(p.Text.Length, 1, 100));
        Assert.Equal(words, string.Concat(pieces.Select(p => p.Text)));
        Assert.All(pieces[..^1], p => Assert.EndsWith(" ", p.Text, StringComparison.Ordinal));
        Assert.Equal("line 3", run.Segments[^1].Locator);
        Assert.Equal(1, run.Context.Counts["splitLines"]);
    }

    [Fact]
    public async Task HugeSingleLineStreamsInBoundedPieces()
    {
        // 4 MB without a line break or a space, through a non-seekable stream.
        var bytes = new byte[4 << 20];
        bytes.AsSpan().Fill((byte)'x');
        var run = await RunAsync(new TextExtractor(), bytes, new ExtractionLimits { MaxSegmentChars = 4096 }, chunk: 100_000);

        Assert.Equal(1024, run.Segments.Count);
        Assert.All(run.Segments, s => Assert.Equal(4096, s.Text.Length));
        Assert.All(run.Segments, s => Assert.Equal("line 1", s.Locator));
    }

    [Fact]
    public async Task SurrogatePairIsNotCutWhenALineIsSplit()
    {
        var line = new string('a', 15) + "😀" + new string('b', 20);
        var run = await RunAsync(new TextExtractor(), Bytes(line), new ExtractionLimits { MaxSegmentChars = 16 });

        Assert.Equal(line, string.Concat(run.Texts));
        Assert.All(run.Segments, s => Assert.False(char.IsHighSurrogate(s.Text[^1])));
    }
}
