using PiiScanner.Sources;

namespace PiiScanner.Index;

/// <summary>
/// A journal that keeps finished items in memory: for library scans given no journal, which neither resume nor
/// bound their memory. Thread-safe.
/// </summary>
internal sealed class MemoryJournal : IScanJournal
{
    private readonly Lock _lock = new();
    private readonly List<ItemResult> _items = [];
    private long _bytes;

    public ValueTask<bool> TryReuseAsync(ScanItem item, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public void Append(ScanItem item, IReadOnlyList<ItemResult> results, long bytesRead)
    {
        lock (_lock)
        {
            _items.AddRange(results);
            _bytes += bytesRead;
        }
    }

    public JournalTotals Finish()
    {
        lock (_lock)
        {
            return new JournalTotals(_bytes, null);
        }
    }

    public IEnumerable<ItemResult> Read(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ItemOrder.Sort(_items);
        }
    }

    public void MarkComplete()
    {
    }
}

/// <summary>Reads a list of results in the scan order (for a <see cref="ScanResult"/> built from a list).</summary>
internal sealed class ItemListReader(IReadOnlyList<ItemResult> items) : IItemResultReader
{
    public IEnumerable<ItemResult> Read(CancellationToken cancellationToken) => ItemOrder.Sort(items);
}

/// <summary>The scan's order of results (see <see cref="IItemResultReader"/>): path, then inode, ordinal; stable.</summary>
internal static class ItemOrder
{
    public static List<ItemResult> Sort(IEnumerable<ItemResult> items) =>
        [.. items.OrderBy(r => r.File.Path, StringComparer.Ordinal).ThenBy(r => r.File.Origin?.Inode, StringComparer.Ordinal)];
}
