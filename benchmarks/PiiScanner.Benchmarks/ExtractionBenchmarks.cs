using BenchmarkDotNet.Attributes;
using PiiScanner.Extraction;
using PiiScanner.Sources;

namespace PiiScanner.Benchmarks;

/// <summary>
/// Extraction throughput per format (no detection): the bytes of a synthetic document of each format go
/// through sniffing and the extractor the registry picks; container members are extracted recursively.
/// Divide <see cref="Bytes"/> by the mean time for MB/s; one operation is one file for files/s.
/// </summary>
[MemoryDiagnoser]
public class ExtractionBenchmarks
{
    private readonly ExtractorRegistry _registry = ExtractorRegistry.CreateDefault();
    private byte[] _bytes = [];

    [Params("text", "utf16", "csv", "json", "docx", "xlsx", "pptx", "pdf", "html", "eml", "mbox", "zip", "targz", "7z")]
    public string Format { get; set; } = "text";

    /// <summary>Size of the sample, for MB/s.</summary>
    public long Bytes => _bytes.Length;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = Format switch
        {
            "text" => SampleDocuments.Text(20_000),
            "utf16" => SampleDocuments.Utf16(20_000),
            "csv" => SampleDocuments.Csv(20_000),
            "json" => SampleDocuments.Json(20_000),
            "docx" => SampleDocuments.Docx(5_000),
            "xlsx" => SampleDocuments.Xlsx(5_000),
            "pptx" => SampleDocuments.Pptx(500),
            "pdf" => SampleDocuments.Pdf(50, 50),
            "html" => SampleDocuments.Html(5_000),
            "eml" => SampleDocuments.Eml(5_000),
            "mbox" => SampleDocuments.Mbox(500, 10),
            "zip" => SampleDocuments.Zip(10_000),
            "targz" => SampleDocuments.TarGz(10_000),
            "7z" => SampleDocuments.SevenZip(10_000),
            _ => throw new ArgumentOutOfRangeException(nameof(Format)),
        };
        Console.WriteLine($"// {Format}: {_bytes.Length} bytes");
    }

    [Benchmark]
    public async Task<long> Extract() => await ExtractAsync(new ScanItem("sample." + Format, _bytes.Length, null), new MemoryStream(_bytes, writable: false), 0);

    private async Task<long> ExtractAsync(ScanItem item, Stream content, int depth)
    {
        var head = new byte[Math.Min(8192, (int)Math.Min(int.MaxValue, content.CanSeek ? content.Length : 8192))];
        var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        Stream body = content.CanSeek ? content : new MemoryStream([.. head, .. ReadRest(content)]);
        body.Position = 0;
        var extractor = _registry.Select(head, item.Path) ?? throw new InvalidOperationException("no extractor for " + Format);
        long segments = 0;
        long children = 0;
        var context = new ExtractionContext(item, body, head, new ExtractionLimits(), _ => segments++, async (child, stream, _) =>
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            copy.Position = 0;
            children += await ExtractAsync(child, copy, depth + 1);
        });
        await extractor.ExtractAsync(context, CancellationToken.None);
        return segments + children;
    }

    private static byte[] ReadRest(Stream stream)
    {
        using var rest = new MemoryStream();
        stream.CopyTo(rest);
        return rest.ToArray();
    }
}
