namespace PiiScanner.Extraction;

/// <summary>
/// Safety limits applied to every item and to the whole scan. Always on; when one trips, the item is recorded
/// as <c>partial</c> or <c>skipped</c> with the limit's name (<see cref="LimitNames"/>) and the scan goes on.
/// </summary>
public sealed record ExtractionLimits
{
    /// <summary>Deepest container nesting followed (a file on the share is depth 0).</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>Most bytes decompressed out of one top-level item, counted as they are actually produced.</summary>
    public long MaxExpandedBytesPerItem { get; init; } = 8L << 30;

    /// <summary>Most bytes decompressed in the whole scan.</summary>
    public long MaxExpandedBytesPerScan { get; init; } = 1L << 40;

    /// <summary>Largest ratio of decompressed to compressed bytes accepted for a container member.</summary>
    public double MaxExpansionRatio { get; init; } = 250;

    /// <summary>Most entries read from one container.</summary>
    public int MaxEntriesPerContainer { get; init; } = 200_000;

    /// <summary>Wall-clock time allowed for one item (including its children).</summary>
    public TimeSpan MaxTimePerItem { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest item buffered in memory when a format needs random access and the stream cannot seek.</summary>
    public long MaxInMemoryBytes { get; init; } = 512L << 20;

    /// <summary>Longest text kept for one segment; longer lines are split.</summary>
    public int MaxSegmentChars { get; init; } = 64 * 1024;
}

/// <summary>Names of limits as they appear in <c>files.jsonl</c> reasons.</summary>
public static class LimitNames
{
    /// <summary>Container nesting deeper than <see cref="ExtractionLimits.MaxDepth"/>.</summary>
    public const string Depth = "limit:depth";

    /// <summary>Decompressed bytes of one item over <see cref="ExtractionLimits.MaxExpandedBytesPerItem"/>.</summary>
    public const string ExpandedBytes = "limit:expanded-bytes";

    /// <summary>Decompressed bytes of the scan over <see cref="ExtractionLimits.MaxExpandedBytesPerScan"/>.</summary>
    public const string ScanExpandedBytes = "limit:scan-expanded-bytes";

    /// <summary>Expansion ratio over <see cref="ExtractionLimits.MaxExpansionRatio"/>.</summary>
    public const string Ratio = "limit:expansion-ratio";

    /// <summary>Container with more than <see cref="ExtractionLimits.MaxEntriesPerContainer"/> entries.</summary>
    public const string Entries = "limit:entries";

    /// <summary>Item took longer than <see cref="ExtractionLimits.MaxTimePerItem"/>.</summary>
    public const string Time = "limit:time";

    /// <summary>Item needed buffering beyond <see cref="ExtractionLimits.MaxInMemoryBytes"/>.</summary>
    public const string Memory = "limit:memory";
}
