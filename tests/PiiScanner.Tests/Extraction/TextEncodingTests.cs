using System.Text;
using PiiScanner.Extraction;
using static PiiScanner.Tests.Extraction.ExtractionHarness;

namespace PiiScanner.Tests.Extraction;

public class TextEncodingTests
{
    private const string Sample = "Patient: Zoë Exampleton\nSSN: 123-45-6701\nNotes: señora Ávila café\n";

    private static readonly string[] SampleLines =
        ["Patient: Zoë Exampleton", "SSN: 123-45-6701", "Notes: señora Ávila café"];

    public static TheoryData<string, string> Encodings => new()
    {
        { "utf-8", "utf-8" },
        { "utf-8-bom", "utf-8-bom" },
        { "utf-16le-bom", "utf-16le" },
        { "utf-16be-bom", "utf-16be" },
        { "utf-16le", "utf-16le" },
        { "utf-16be", "utf-16be" },
        { "utf-32le-bom", "utf-32le" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task EachEncodingDecodesToTheSameLines(string variant, string expectedDetail)
    {
        var run = await ScanAsync(Encode(Sample, variant));

        Assert.Equal("text", run.Extractor.Name);
        Assert.Equal(expectedDetail, run.Context.Detail);
        Assert.Equal(SampleLines, run.Texts);
        Assert.Equal(["line 1", "line 2", "line 3"], run.Segments.Select(s => s.Locator));
    }

    [Fact]
    public async Task Windows1252IsDetectedAndDecoded()
    {
        var text = "Name: José Muñoz Peña\nCity: Española\nName: Inés Ibáñez\nComment: señor Muñoz paid in café\n";
        var run = await ScanAsync(Windows1252.GetBytes(text));

        Assert.Equal("text", run.Extractor.Name);
        Assert.Equal("windows-1252", run.Context.Detail);
        Assert.Contains("Name: José Muñoz Peña", run.Texts);
        Assert.Contains("Name: Inés Ibáñez", run.Texts);
    }

    [Fact]
    public void Windows1252IsNotValidUtf8SoTheSnifferDoesNotCallItUtf8()
    {
        var sniff = TextSniffer.Sniff(Windows1252.GetBytes("Muñoz, José\n"));

        Assert.False(sniff.IsBinary);
        Assert.NotEqual("utf-8", sniff.Name);
        Assert.Equal("Muñoz, José\n", TextSniffer.DecodeHead(Windows1252.GetBytes("Muñoz, José\n"), sniff));
    }

    [Fact]
    public async Task LegacyByteAfterAnAsciiHeadIsReadAsWindows1252()
    {
        // The head (64 bytes) is plain ASCII; the ñ further down is a lone Windows-1252 byte.
        var ascii = "Header line with nothing special in it at all, just ASCII text.\n";
        var bytes = Bytes(ascii).Concat(Windows1252.GetBytes("Name: Ana Muñoz\n")).ToArray();

        var run = await ScanAsync(bytes, headSize: 64);

        Assert.Equal("utf-8", run.Context.Detail);
        Assert.Equal("Name: Ana Muñoz", run.Segments[^1].Text);
        Assert.Equal(1, run.Context.Counts["windows1252Bytes"]);
    }

    [Fact]
    public void Utf8CharacterCutByTheEndOfTheHeadIsStillUtf8()
    {
        var bytes = Bytes("Name: Zoë");
        var sniff = TextSniffer.Sniff(bytes.AsSpan(0, bytes.Length - 1));

        Assert.Equal("utf-8", sniff.Name);
    }

    [Fact]
    public async Task Utf16WithBomIsReadThroughASmallChunkedStream()
    {
        var run = await ScanAsync(Encode(Sample, "utf-16le-bom"), chunk: 3);

        Assert.Equal(SampleLines, run.Texts);
    }

    [Fact]
    public async Task Utf16CsvWithSsnIsScanned()
    {
        var csv = "name,ssn,dob\r\nJane Roe,123-45-6701,1961-03-04\r\nJohn Poe,123-45-6702,1970-01-02\r\n";
        var run = await ScanAsync(Encode(csv, "utf-16le-bom"));

        Assert.Equal("delimited", run.Extractor.Name);
        Assert.Equal("utf-16le", run.Context.Detail);
        Assert.Equal("123-45-6701", ExtractionRun.Value(run.Segments[0], "ssn"));
        Assert.Equal("John Poe", ExtractionRun.Value(run.Segments[1], "name"));
    }

    [Fact]
    public async Task UnknownBinaryContentGoesToTheStringsSweep()
    {
        var bytes = new byte[600];
        new Random(7).NextBytes(bytes);
        bytes[10] = 0;
        bytes[11] = 0;
        bytes[13] = 0;

        var run = await ScanAsync(bytes);

        // Unknown binaries are not silently lost: the printable-strings sweep takes them, not a text extractor.
        Assert.Equal("strings", run.Extractor.Name);
        Assert.Null(run.Context.SkipReason);
    }

    [Theory]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x41, 0x42 })]
    [InlineData(new byte[] { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x41, 0x42, 0x43, 0x44 })]
    public void TextExtractorsRefuseBinary(byte[] bytes)
    {
        Assert.True(TextSniffer.Sniff(bytes).IsBinary);
        Assert.False(new TextExtractor().CanExtract(bytes, "x.txt"));
        Assert.False(new DelimitedExtractor().CanExtract(bytes, "x.csv"));
        Assert.False(new JsonExtractor().CanExtract(bytes, "x.json"));
        Assert.True(new BinaryExtractor().CanExtract(bytes, "x.bin"));
    }

    [Fact]
    public async Task EmptyFileIsTextWithNoSegments()
    {
        var run = await ScanAsync([]);

        Assert.Equal("text", run.Extractor.Name);
        Assert.Null(run.Context.SkipReason);
        Assert.Empty(run.Segments);
    }

    [Fact]
    public void DefaultRegistryPutsTextAfterStructuredFormatsAndBinaryLastAmongSniffers()
    {
        var extractors = ExtractorRegistry.CreateDefault().Extractors;
        var names = extractors.Select(e => e.Name).ToList();

        Assert.True(names.IndexOf("json") < names.IndexOf("delimited"));
        Assert.True(names.IndexOf("delimited") < names.IndexOf("text"));
        Assert.True(names.IndexOf("text") < names.IndexOf("strings"));
        Assert.True(names.IndexOf("strings") < names.IndexOf("binary"));
        // Everything after `binary` (which accepts anything) is only reachable by name (the `raw` hint).
        Assert.All(extractors.Skip(names.IndexOf("binary") + 1), e => Assert.False(e.CanExtract([0x41, 0x42, 0x43], "x")));
    }

    internal static byte[] Encode(string text, string variant) => variant switch
    {
        "utf-8" => Utf8NoBom.GetBytes(text),
        "utf-8-bom" => [0xEF, 0xBB, 0xBF, .. Utf8NoBom.GetBytes(text)],
        "utf-16le-bom" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
        "utf-16be-bom" => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
        "utf-16le" => Encoding.Unicode.GetBytes(text),
        "utf-16be" => Encoding.BigEndianUnicode.GetBytes(text),
        "utf-32le-bom" => [0xFF, 0xFE, 0x00, 0x00, .. Encoding.UTF32.GetBytes(text)],
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };
}
