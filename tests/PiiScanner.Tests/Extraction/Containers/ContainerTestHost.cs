using System.Text;
using PiiScanner.Extraction;
using PiiScanner.Sources;

namespace PiiScanner.Tests.Extraction.Containers;

/// <summary>What the test host recorded for one item (a stand-in for a files.jsonl line).</summary>
internal sealed class HostRecord
{
    public required string Path { get; init; }

    public int Depth { get; init; }

    public string Status { get; set; } = "scanned";

    public string? Reason { get; set; }

    public string? Extractor { get; set; }

    public string? Detail { get; set; }

    public string? Hint { get; init; }

    public List<Segment> Segments { get; } = [];

    public SortedDictionary<string, long> Counts { get; set; } = new(StringComparer.Ordinal);

    public string AllText => string.Join("\n", Segments.Select(s => s.Text + string.Join(" ", s.Fields?.Select(f => f.Value) ?? [])));
}

/// <summary>
/// A tiny recursive pipeline for tests: sniff → extractor → children through ProcessChildAsync, with the
/// parent's budget passed down, limits recorded like the real pipeline must record them.
/// </summary>
internal sealed class ContainerTestHost
{
    private const int HeadLength = 8192;

    public ContainerTestHost(ExtractionLimits? limits = null, ScanBudget? scan = null)
    {
        Limits = limits ?? new ExtractionLimits();
        Scan = scan ?? new ScanBudget(Limits);
        Registry = new ExtractorRegistry([.. ExtractorRegistry.CreateDefault().Extractors, new PlainTextExtractor()]);
    }

    public ExtractionLimits Limits { get; }

    public ScanBudget Scan { get; }

    public ExtractorRegistry Registry { get; }

    public List<HostRecord> Records { get; } = [];

    public string? LastError { get; private set; }

    public HostRecord this[string path] => Records.Single(r => r.Path == path);

    public async Task<HostRecord> ScanAsync(string path, byte[] bytes)
    {
        var item = new ScanItem(path, bytes.Length, _ => new MemoryStream(bytes, writable: false));
        using var content = new MemoryStream(bytes, writable: false);
        return await ScanItemAsync(item, content, parentBudget: null, CancellationToken.None);
    }

    public async Task<HostRecord> ScanItemAsync(ScanItem item, Stream content, ExtractionBudget? parentBudget, CancellationToken cancellationToken)
    {
        var record = new HostRecord { Path = item.Path, Depth = item.Depth, Hint = item.ExtractorHint };
        Records.Add(record);
        if (item.SkipReason is not null)
        {
            record.Status = "skipped";
            record.Reason = item.SkipReason;
            return record;
        }

        ExtractionContext? context = null;
        try
        {
            var head = new byte[HeadLength];
            var headLength = 0;
            int read;
            while (headLength < head.Length && (read = await content.ReadAsync(head.AsMemory(headLength), cancellationToken)) > 0)
            {
                headLength += read;
            }

            var extractor = item.ExtractorHint is { } hint
                ? Registry.Find(hint)
                : Registry.Select(head.AsSpan(0, headLength), item.Path);
            if (extractor is null)
            {
                record.Status = "skipped";
                record.Reason = "unknown-format";
                return record;
            }

            record.Extractor = extractor.Name;
            var replay = new PiiScanner.Sources.PrefixedStream(head.AsMemory(0, headLength), content);
            context = new ExtractionContext(
                item,
                replay,
                head.AsMemory(0, headLength),
                Limits,
                record.Segments.Add,
                (child, stream, ct) => new ValueTask(ScanItemAsync(child, stream, context!.Budget, ct)));
            context.Budget = parentBudget ?? new ExtractionBudget(Limits, Scan, item.Length);
            await extractor.ExtractAsync(context, cancellationToken);
            record.Detail = context.Detail;
            record.Counts = context.Counts;
            if (context.SkipReason is not null)
            {
                record.Status = "skipped";
                record.Reason = context.SkipReason;
            }
            else if (context.PartialReasons.Count > 0)
            {
                record.Status = "partial";
                record.Reason = string.Join("; ", context.PartialReasons);
            }
        }
        catch (ExtractionLimitException ex)
        {
            record.Status = context?.SegmentCount > 0 ? "partial" : "skipped";
            record.Reason = ex.LimitName;
        }
#pragma warning disable CA1031 // the host records every failure, like the pipeline
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            record.Status = "failed";
            record.Reason = ex.GetType().Name; LastError = ex.ToString();
        }
#pragma warning restore CA1031

        return record;
    }

    /// <summary>Stand-in for the real text extractor (another engineer's): lines of anything that is not binary.</summary>
    private sealed class PlainTextExtractor : IExtractor
    {
        public string Name => "text";

        public bool CanExtract(ReadOnlySpan<byte> head, string path) => !StringsExtractor.LooksBinary(head);

        public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
        {
            using var reader = new StreamReader(context.Content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            var number = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                number++;
                context.Emit(new Segment($"line {number}", line));
            }
        }
    }
}
