using System.Runtime.CompilerServices;
using PiiScanner.Sources;

namespace PiiScanner.Extraction;

/// <summary>
/// What one top-level item (a file on the share) and everything unpacked out of it may still spend: bytes
/// actually decompressed, expansion ratio against the item's size, and wall-clock time. One instance is shared
/// by the item and all its container members, at every depth (it travels on <see cref="ExtractionContext.Budget"/>).
/// Thread-safe: counters are updated with <see cref="Interlocked"/>.
/// </summary>
/// <remarks>
/// Once a budget-wide limit trips (<see cref="LimitNames.ExpandedBytes"/>, <see cref="LimitNames.ScanExpandedBytes"/>,
/// <see cref="LimitNames.Ratio"/> for the whole item, <see cref="LimitNames.Time"/>), it stays tripped: every later
/// read of a member stream and every <see cref="ThrowIfExhausted"/> throws <see cref="ExtractionLimitException"/>
/// with that limit's name, so every enclosing container stops promptly.
/// </remarks>
internal sealed class ExtractionBudget
{
    /// <summary>Expansion ratios are only enforced once this many bytes came out (small files compress oddly).</summary>
    internal const long RatioFloorBytes = 1L << 20;

    // Weak side table (no lifetime of its own): child item → the budget of its top-level item.
    private static readonly ConditionalWeakTable<ScanItem, ExtractionBudget> Inherited = new();

    private readonly ScanBudget? _scan;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly long? _topLevelLength;
    private long _segments;
    private long _expanded;
    private string? _tripped;

    /// <summary>Creates the budget of one top-level item.</summary>
    /// <param name="limits">Limits in force.</param>
    /// <param name="scan">The scan-wide budget shared by all items, or null for none.</param>
    /// <param name="topLevelLength">Size of the top-level item (for the whole-item expansion ratio), when known.</param>
    /// <param name="time">Clock; <see cref="TimeProvider.System"/> when null.</param>
    public ExtractionBudget(ExtractionLimits limits, ScanBudget? scan, long? topLevelLength, TimeProvider? time = null)
    {
        Limits = limits;
        _scan = scan;
        _topLevelLength = topLevelLength;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
    }

    /// <summary>The limits in force.</summary>
    public ExtractionLimits Limits { get; }

    /// <summary>Bytes decompressed so far out of this item and its descendants.</summary>
    public long ExpandedBytes => Interlocked.Read(ref _expanded);

    /// <summary>The budget-wide limit that tripped, or null.</summary>
    public string? Tripped => Volatile.Read(ref _tripped);

    /// <summary>Time left for the item under <see cref="ExtractionLimits.MaxTimePerItem"/> (may be negative).</summary>
    public TimeSpan Remaining => Limits.MaxTimePerItem - _time.GetElapsedTime(_started);

    /// <summary>
    /// Returns the budget of the context's item: the one on <see cref="ExtractionContext.Budget"/> (set by the
    /// pipeline), else the one a container attached to this child item (<see cref="AttachTo"/>), else a new one
    /// for this item. The result is stored on the context so later calls share it.
    /// </summary>
    public static ExtractionBudget For(ExtractionContext context)
        => context.Budget ??= Inherited.TryGetValue(context.Item, out var inherited)
            ? inherited
            : new ExtractionBudget(context.Limits, scan: null, topLevelLength: context.Item.Depth == 0 ? context.Item.Length : null);

    /// <summary>
    /// Lets a child item's extraction find this budget even when the pipeline does not pass
    /// <see cref="ExtractionContext.Budget"/> down: keyed weakly by the child's <see cref="ScanItem"/> instance
    /// (the pipeline hands that same instance to the child's context), so nothing outlives the child.
    /// </summary>
    public void AttachTo(ScanItem child) => Inherited.AddOrUpdate(child, this);

    /// <summary>Throws when a budget-wide limit has tripped or the item's time is up.</summary>
    public void ThrowIfExhausted()
    {
        var tripped = Tripped;
        if (tripped is not null)
        {
            throw new ExtractionLimitException(tripped);
        }

        if (_time.GetElapsedTime(_started) > Limits.MaxTimePerItem)
        {
            throw Trip(LimitNames.Time);
        }
    }

    /// <summary>
    /// Counts <paramref name="count"/> freshly decompressed bytes against the item and the scan; throws
    /// <see cref="ExtractionLimitException"/> when that crosses a limit.
    /// </summary>
    public void AddExpanded(long count)
    {
        ThrowIfExhausted();
        AddToItem(count);
        if (_scan is not null && !_scan.TryAdd(count))
        {
            throw Trip(LimitNames.ScanExpandedBytes);
        }
    }

    /// <summary>
    /// Counts text handed to detection against the item (not the scan): a small file whose text is amplified —
    /// one 1 MB shared string referenced by every cell of a sheet — trips the expansion ratio like a zip bomb.
    /// Also enforces the item's time limit at every segment, whatever the extractor does.
    /// </summary>
    public void AddEmittedText(long chars)
    {
        // Reading the clock on every line costs more than detecting some lines: look every 64 segments.
        if ((Interlocked.Increment(ref _segments) & 63) == 0)
        {
            ThrowIfExhausted();
        }
        else if (Tripped is { } tripped)
        {
            throw new ExtractionLimitException(tripped);
        }

        AddToItem(chars);
    }

    private void AddToItem(long count)
    {
        var total = Interlocked.Add(ref _expanded, count);
        if (total > Limits.MaxExpandedBytesPerItem)
        {
            throw Trip(LimitNames.ExpandedBytes);
        }

        if (_topLevelLength is { } length && total > RatioFloorBytes
            && total > Limits.MaxExpansionRatio * Math.Max(length, 1))
        {
            throw Trip(LimitNames.Ratio);
        }
    }

    private ExtractionLimitException Trip(string limit)
    {
        Interlocked.CompareExchange(ref _tripped, limit, null);
        return new ExtractionLimitException(Tripped ?? limit);
    }
}

/// <summary>
/// Bytes decompressed in the whole scan, against <see cref="ExtractionLimits.MaxExpandedBytesPerScan"/>.
/// One per scan, shared by every item's <see cref="ExtractionBudget"/>. Thread-safe.
/// </summary>
internal sealed class ScanBudget
{
    private readonly long _max;
    private long _expanded;

    /// <summary>Creates the scan budget.</summary>
    public ScanBudget(ExtractionLimits limits) => _max = limits.MaxExpandedBytesPerScan;

    /// <summary>Bytes decompressed so far in the scan.</summary>
    public long ExpandedBytes => Interlocked.Read(ref _expanded);

    /// <summary>Adds decompressed bytes; false once the scan is over its limit (and from then on).</summary>
    public bool TryAdd(long count) => Interlocked.Add(ref _expanded, count) <= _max;
}
