using PiiScanner.Extraction;

namespace PiiScanner.Cluster;

/// <summary>
/// The options that decide a scan's results, in a form a silo receives: extra rule folders, limits, OCR and the
/// paths never to scan (output folders). The client and every silo build their scanners with
/// <see cref="CreateBuilder"/>, so they read items alike. Immutable.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ScanSettings
{
    /// <summary>Extra rules folders (full paths, present at the same path on every silo).</summary>
    [Id(0)] public IReadOnlyList<string> RuleDirectories { get; init; } = [];

    /// <summary>Paths the scan never enters (full paths).</summary>
    [Id(1)] public IReadOnlyList<string> ExcludedPaths { get; init; } = [];

    [Id(2)] public int MaxDepth { get; init; }

    [Id(3)] public long MaxExpandedBytesPerItem { get; init; }

    [Id(4)] public long MaxExpandedBytesPerScan { get; init; }

    [Id(5)] public double MaxExpansionRatio { get; init; }

    [Id(6)] public int MaxEntriesPerContainer { get; init; }

    [Id(7)] public TimeSpan MaxTimePerItem { get; init; }

    [Id(8)] public long MaxInMemoryBytes { get; init; }

    [Id(9)] public int MaxSegmentChars { get; init; }

    [Id(10)] public bool OcrEnabled { get; init; }

    [Id(11)] public string OcrLanguage { get; init; } = "eng";

    [Id(12)] public int OcrPdfDpi { get; init; }

    [Id(13)] public int OcrMaxPages { get; init; }

    [Id(14)] public TimeSpan OcrMaxTime { get; init; }

    [Id(15)] public long OcrMaxImagePixels { get; init; }

    [Id(16)] public int OcrMaxImageDimension { get; init; }

    [Id(17)] public long OcrMaxImageBytes { get; init; }

    /// <summary>Settings from the scanner's options.</summary>
    public static ScanSettings From(IEnumerable<string> ruleDirectories, ExtractionLimits limits, OcrOptions ocr, IEnumerable<string> excludedPaths)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(ocr);
        return new ScanSettings
        {
            RuleDirectories = [.. ruleDirectories.Select(Path.GetFullPath)],
            ExcludedPaths = [.. excludedPaths.Select(Path.GetFullPath)],
            MaxDepth = limits.MaxDepth,
            MaxExpandedBytesPerItem = limits.MaxExpandedBytesPerItem,
            MaxExpandedBytesPerScan = limits.MaxExpandedBytesPerScan,
            MaxExpansionRatio = limits.MaxExpansionRatio,
            MaxEntriesPerContainer = limits.MaxEntriesPerContainer,
            MaxTimePerItem = limits.MaxTimePerItem,
            MaxInMemoryBytes = limits.MaxInMemoryBytes,
            MaxSegmentChars = limits.MaxSegmentChars,
            OcrEnabled = ocr.Enabled,
            OcrLanguage = ocr.Language,
            OcrPdfDpi = ocr.PdfDpi,
            OcrMaxPages = ocr.MaxPagesPerDocument,
            OcrMaxTime = ocr.MaxTimePerDocument,
            OcrMaxImagePixels = ocr.MaxImagePixels,
            OcrMaxImageDimension = ocr.MaxImageDimension,
            OcrMaxImageBytes = ocr.MaxImageBytes,
        };
    }

    /// <summary>The limits these settings stand for.</summary>
    public ExtractionLimits Limits => new()
    {
        MaxDepth = MaxDepth,
        MaxExpandedBytesPerItem = MaxExpandedBytesPerItem,
        MaxExpandedBytesPerScan = MaxExpandedBytesPerScan,
        MaxExpansionRatio = MaxExpansionRatio,
        MaxEntriesPerContainer = MaxEntriesPerContainer,
        MaxTimePerItem = MaxTimePerItem,
        MaxInMemoryBytes = MaxInMemoryBytes,
        MaxSegmentChars = MaxSegmentChars,
    };

    /// <summary>The OCR options these settings stand for.</summary>
    public OcrOptions Ocr => new()
    {
        Enabled = OcrEnabled,
        Language = OcrLanguage,
        PdfDpi = OcrPdfDpi,
        MaxPagesPerDocument = OcrMaxPages,
        MaxTimePerDocument = OcrMaxTime,
        MaxImagePixels = OcrMaxImagePixels,
        MaxImageDimension = OcrMaxImageDimension,
        MaxImageBytes = OcrMaxImageBytes,
    };

    /// <summary>A builder with these settings and <paramref name="threads"/> workers (threads do not change results).</summary>
    public ScannerBuilder CreateBuilder(int threads)
    {
        var builder = new ScannerBuilder().WithThreads(threads).WithLimits(Limits).WithOcr(Ocr);
        foreach (var directory in RuleDirectories)
        {
            builder.AddRules(directory);
        }

        foreach (var path in ExcludedPaths)
        {
            builder.ExcludePath(path);
        }

        return builder;
    }
}
