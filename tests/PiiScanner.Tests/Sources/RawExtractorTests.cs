using System.Text;
using PiiScanner.Extraction;
using PiiScanner.Extraction.Raw;
using PiiScanner.Sources;

namespace PiiScanner.Tests.Sources;

public sealed class RawExtractorTests
{
    private static async Task<List<Segment>> ExtractAsync(byte[] bytes, long? imageOffset)
    {
        var item = new ScanItem("p1/$unallocated/x", bytes.Length, null)
        {
            ExtractorHint = "raw",
            Origin = imageOffset is null ? null : new ItemOrigin { ImageOffset = imageOffset },
        };
        var segments = new List<Segment>();
        using var content = new MemoryStream(bytes);
        var context = new ExtractionContext(item, content, bytes, new ExtractionLimits(), segments.Add, (_, _, _) => ValueTask.CompletedTask);
        await new RawExtractor().ExtractAsync(context, CancellationToken.None);
        return segments;
    }

    [Fact]
    public async Task AsciiRun_LocatorAndByteOffsetAreImageOffsets()
    {
        var bytes = new byte[300];
        Encoding.ASCII.GetBytes("Name: Ann Example\nSSN 123-45-6701").CopyTo(bytes, 100);
        var segment = Assert.Single(await ExtractAsync(bytes, imageOffset: 1_000_000));
        Assert.Equal("offset 1000100", segment.Locator);
        Assert.Equal(1_000_100, segment.ByteOffset);
        Assert.Equal("Name: Ann Example\nSSN 123-45-6701", segment.Text);
        Assert.Equal(GroupKind.Block, segment.GroupKind);
    }

    [Fact]
    public async Task Utf16Run_IsFoundWithItsOwnLocator()
    {
        var bytes = new byte[200];
        Encoding.Unicode.GetBytes("SSN 123-45-6702").CopyTo(bytes, 51);
        var segment = Assert.Single(await ExtractAsync(bytes, imageOffset: null));
        Assert.Equal("offset 51 utf-16le", segment.Locator);
        Assert.Equal("SSN 123-45-6702", segment.Text);
        Assert.Equal(51, segment.ByteOffset);
    }

    [Fact]
    public async Task ShortRunsAndBinaryAreIgnored()
    {
        var bytes = new byte[] { 0, 1, 2, (byte)'a', (byte)'b', 0, 0xFF, (byte)'x', 9, 200 };
        Assert.Empty(await ExtractAsync(bytes, imageOffset: 0));
        Assert.False(new RawExtractor().CanExtract("plain text"u8, "a.txt"));
        Assert.Same(typeof(RawExtractor), ExtractorRegistry.CreateDefault().Find("raw")?.GetType());
    }

    [Fact]
    public async Task RunStartingInThePageOverlap_IsLeftToTheNextPage()
    {
        var bytes = new byte[RawExtractor.PageSize + RawExtractor.PageOverlap];
        Encoding.ASCII.GetBytes("owned by this page 123-45-6703").CopyTo(bytes, RawExtractor.PageSize - 10);
        Encoding.ASCII.GetBytes("owned by next page 123-45-6704").CopyTo(bytes, RawExtractor.PageSize + 100);
        var segments = await ExtractAsync(bytes, imageOffset: 4096);
        var segment = Assert.Single(segments);
        Assert.Equal(4096 + RawExtractor.PageSize - 10, segment.ByteOffset);
        Assert.Contains("123-45-6703", segment.Text, StringComparison.Ordinal);
    }
}
