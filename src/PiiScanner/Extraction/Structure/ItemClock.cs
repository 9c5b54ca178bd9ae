using System.Diagnostics;

namespace PiiScanner.Extraction.Structure;

/// <summary>
/// Measures the time spent on one item against <see cref="ExtractionLimits.MaxTimePerItem"/>. Extractors check it
/// between pages, rows or blocks and stop with <see cref="LimitNames.Time"/> when it is over.
/// </summary>
internal readonly struct ItemClock
{
    private readonly long _start;
    private readonly TimeSpan _limit;

    private ItemClock(long start, TimeSpan limit)
    {
        _start = start;
        _limit = limit;
    }

    /// <summary>Starts the clock for the item in <paramref name="context"/>.</summary>
    public static ItemClock Start(ExtractionContext context) => new(Stopwatch.GetTimestamp(), context.Limits.MaxTimePerItem);

    /// <summary>
    /// True when the time is up; then the item has been marked partial with <see cref="LimitNames.Time"/>.
    /// Throws when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public bool IsOver(ExtractionContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Stopwatch.GetElapsedTime(_start) <= _limit)
        {
            return false;
        }

        context.MarkPartial(LimitNames.Time);
        return true;
    }
}
