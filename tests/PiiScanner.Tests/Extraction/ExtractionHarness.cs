using System.Text;
using PiiScanner.Extraction;
using PiiScanner.Sources;

namespace PiiScanner.Tests.Extraction;

/// <summary>What one extraction produced.</summary>
internal sealed record ExtractionRun(IExtractor Extractor, ExtractionContext Context, List<Segment> Segments)
{
    public IEnumerable<string> Texts => Segments.Select(s => s.Text);

    public static string? Value(Segment segment, string name) => segment.Fields?.SingleOrDefault(f => f.Name == name)?.Value;
}

/// <summary>Runs extractors on in-memory content, the way the pipeline does.</summary>
internal static class ExtractionHarness
{
    public static readonly Encoding Utf8NoBom = new UTF8Encoding(false);

    static ExtractionHarness() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    public static byte[] Bytes(string text) => Utf8NoBom.GetBytes(text);

    /// <summary>Selects the extractor through the default registry and runs it.</summary>
    public static Task<ExtractionRun> ScanAsync(
        byte[] content, ExtractionLimits? limits = null, int headSize = 8192, int? chunk = null, string path = "share/file.dat")
    {
        var head = content.AsMemory(0, Math.Min(headSize, content.Length));
        var extractor = ExtractorRegistry.CreateDefault().Select(head.Span, path)
            ?? throw new InvalidOperationException("no extractor accepted the content");
        return RunAsync(extractor, content, limits, headSize, chunk, path);
    }

    /// <summary>Runs one extractor. <paramref name="chunk"/> makes the stream non-seekable and return at most that many bytes per read.</summary>
    public static async Task<ExtractionRun> RunAsync(
        IExtractor extractor, byte[] content, ExtractionLimits? limits = null, int headSize = 8192, int? chunk = null, string path = "share/file.dat")
    {
        var segments = new List<Segment>();
        Stream stream = chunk is { } n ? new TrickleStream(content, n) : new MemoryStream(content, writable: false);
        await using (stream)
        {
            var context = new ExtractionContext(
                new ScanItem(path, content.Length, null),
                stream,
                content.AsMemory(0, Math.Min(headSize, content.Length)),
                limits ?? new ExtractionLimits(),
                segments.Add,
                (_, _, _) => ValueTask.CompletedTask);
            await extractor.ExtractAsync(context, CancellationToken.None);
            return new ExtractionRun(extractor, context, segments);
        }
    }

    /// <summary>A forward-only stream that hands out few bytes per read (exercises every buffer boundary).</summary>
    private sealed class TrickleStream(byte[] content, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), content.Length - _position);
            content.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
