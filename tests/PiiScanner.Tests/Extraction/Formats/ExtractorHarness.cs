using PiiScanner.Extraction;
using PiiScanner.Sources;

namespace PiiScanner.Tests.Extraction.Formats;

/// <summary>Runs one extractor over bytes held in memory and collects what it emits.</summary>
internal static class ExtractorHarness
{
    public const int HeadBytes = 8192; // as the item pipeline sniffs

    public static (ExtractionContext Context, List<Segment> Segments) Run(
        IExtractor extractor, byte[] bytes, string path, ExtractionLimits? limits = null, bool seekable = true)
    {
        var segments = new List<Segment>();
        Stream content = seekable ? new MemoryStream(bytes, writable: false) : new NonSeekableStream(bytes);
        using (content)
        {
            var item = new ScanItem(path, bytes.Length, _ => new MemoryStream(bytes, writable: false));
            var context = new ExtractionContext(
                item,
                content,
                bytes.AsMemory(0, Math.Min(bytes.Length, HeadBytes)),
                limits ?? new ExtractionLimits(),
                segments.Add,
                (_, _, _) => ValueTask.CompletedTask);
            extractor.ExtractAsync(context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return (context, segments);
        }
    }

    /// <summary>Text of every segment and field value, one per line, for "contains" assertions.</summary>
    public static string AllText(IEnumerable<Segment> segments)
        => string.Join('\n', segments.SelectMany(s => new[] { s.Text }.Concat(s.Fields?.Select(f => f.Value) ?? [])));

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Position
        {
            get => base.Position;
            set => throw new NotSupportedException();
        }
    }
}
