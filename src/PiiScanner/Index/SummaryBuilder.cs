using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>
/// Computes the scan totals for <c>summary.json</c>: the items are counted one by one as they stream past
/// (<see cref="Add"/>), the individuals in one pass, with the journal's totals. Not thread-safe.
/// </summary>
internal sealed class SummaryBuilder
{
    private readonly SortedDictionary<FileStatus, long> _byStatus = new()
    {
        [FileStatus.Scanned] = 0,
        [FileStatus.Partial] = 0,
        [FileStatus.Skipped] = 0,
        [FileStatus.Failed] = 0,
    };

    private readonly SortedDictionary<string, long> _byElement = new(StringComparer.Ordinal);

    private readonly SortedDictionary<string, RegexTimeoutTotals> _timeouts = new(StringComparer.Ordinal);

    /// <summary>Items the scan meant to read and could not (<see cref="IsUnread"/>), of those added.</summary>
    public long Unread { get; private set; }

    /// <summary>An item the scan meant to read and could not: failed, or refused by the file system.</summary>
    public static bool IsUnread(FileRecord file) =>
        file.Status == FileStatus.Failed
        || (file.Status == FileStatus.Skipped && file.ReasonKind is ReasonKind.PermissionDenied or ReasonKind.IoError);

    /// <summary>The counts so far as bytes (kept with a journal's resolution), read back by <see cref="Decode"/>.</summary>
    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Unread);
            w.Write(_byStatus.Count);
            foreach (var (status, value) in _byStatus)
            {
                w.Write((int)status);
                w.Write(value);
            }

            w.Write(_byElement.Count);
            foreach (var (key, value) in _byElement)
            {
                w.Write(key);
                w.Write(value);
            }

            w.Write(_timeouts.Count);
            foreach (var (rule, totals) in _timeouts)
            {
                w.Write(rule);
                w.Write(totals.Files);
                w.Write(totals.ExamplePath);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Counts kept by <see cref="Encode"/>.</summary>
    public static SummaryBuilder Decode(byte[] data)
    {
        using var r = new BinaryReader(new MemoryStream(data), System.Text.Encoding.UTF8);
        var builder = new SummaryBuilder { Unread = r.ReadInt64() };
        for (var n = r.ReadInt32(); n > 0; n--)
        {
            builder._byStatus[(FileStatus)r.ReadInt32()] = r.ReadInt64();
        }

        for (var n = r.ReadInt32(); n > 0; n--)
        {
            builder._byElement[r.ReadString()] = r.ReadInt64();
        }

        for (var n = r.ReadInt32(); n > 0; n--)
        {
            builder._timeouts[r.ReadString()] = new RegexTimeoutTotals(r.ReadInt64(), r.ReadString());
        }

        return builder;
    }

    /// <summary>Counts one item's status and findings.</summary>
    public void Add(ItemResult item)
    {
        Unread += IsUnread(item.File) ? 1 : 0;
        foreach (var rule in item.File.RegexTimeouts ?? [])
        {
            // Items come in path order: the first one seen is the example.
            _timeouts[rule] = _timeouts.TryGetValue(rule, out var t) ? t with { Files = t.Files + 1 } : new RegexTimeoutTotals(1, item.File.Path);
        }

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
            RegexTimeouts = _timeouts,
        };
    }
}
