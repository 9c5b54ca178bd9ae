using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>
/// Computes the scan totals for <c>summary.json</c>: the items are counted one by one as they stream past
/// (<see cref="Add"/>), the individuals in one pass, with the journal's totals. Not thread-safe.
/// </summary>
internal sealed class SummaryBuilder
{
    private readonly SortedDictionary<string, long> _byStatus = new(StringComparer.Ordinal)
    {
        [FileStatus.Scanned] = 0,
        [FileStatus.Partial] = 0,
        [FileStatus.Skipped] = 0,
        [FileStatus.Failed] = 0,
    };

    private readonly SortedDictionary<string, long> _byElement = new(StringComparer.Ordinal);

    /// <summary>Items the scan meant to read and could not (<see cref="IsUnread"/>), of those added.</summary>
    public long Unread { get; private set; }

    /// <summary>An item the scan meant to read and could not: failed, or refused by the file system.</summary>
    public static bool IsUnread(FileRecord file) =>
        file.Status == FileStatus.Failed
        || (file.Status == FileStatus.Skipped && file.Reason is { } reason
            && (reason.StartsWith("permission-denied", StringComparison.Ordinal) || reason.StartsWith("io-error", StringComparison.Ordinal)));

    /// <summary>The counts so far as bytes (kept with a journal's resolution), read back by <see cref="Decode"/>.</summary>
    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Unread);
            foreach (var counts in (SortedDictionary<string, long>[])[_byStatus, _byElement])
            {
                w.Write(counts.Count);
                foreach (var (key, value) in counts)
                {
                    w.Write(key);
                    w.Write(value);
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>Counts kept by <see cref="Encode"/>.</summary>
    public static SummaryBuilder Decode(byte[] data)
    {
        using var r = new BinaryReader(new MemoryStream(data), System.Text.Encoding.UTF8);
        var builder = new SummaryBuilder { Unread = r.ReadInt64() };
        foreach (var counts in (SortedDictionary<string, long>[])[builder._byStatus, builder._byElement])
        {
            for (var n = r.ReadInt32(); n > 0; n--)
            {
                counts[r.ReadString()] = r.ReadInt64();
            }
        }

        return builder;
    }

    /// <summary>Counts one item's status and findings.</summary>
    public void Add(ItemResult item)
    {
        Unread += IsUnread(item.File) ? 1 : 0;
        _byStatus[item.File.Status] = _byStatus.GetValueOrDefault(item.File.Status) + 1;
        foreach (var finding in item.Findings)
        {
            _byElement[finding.Element] = _byElement.GetValueOrDefault(finding.Element) + 1;
        }
    }

    /// <summary>The totals of the items added so far, <paramref name="individuals"/> (one pass) and the rest.</summary>
    public ScanSummary Build(
        IReadOnlyList<string> roots,
        IReadOnlyList<Individual> individuals,
        JournalTotals totals,
        TimeSpan elapsed,
        IReadOnlyDictionary<string, string> facts)
    {
        var individualsByElement = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var individual in individuals)
        {
            foreach (var element in individual.Elements)
            {
                individualsByElement[element] = individualsByElement.GetValueOrDefault(element) + 1;
            }
        }

        return new ScanSummary
        {
            Roots = roots,
            FilesByStatus = _byStatus,
            FindingsByElement = _byElement,
            IndividualsByElement = individualsByElement,
            Individuals = individuals.Count,
            BytesRead = totals.BytesRead,
            Changes = totals.Changes,
            Elapsed = elapsed,
            Facts = facts,
        };
    }
}
