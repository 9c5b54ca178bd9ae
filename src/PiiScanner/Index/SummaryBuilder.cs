using PiiScanner.Resolution;

namespace PiiScanner.Index;

/// <summary>Computes the scan totals for <c>summary.json</c> from the results (one pass) and the journal's totals.</summary>
internal static class SummaryBuilder
{
    public static ScanSummary Build(
        IReadOnlyList<string> roots,
        IEnumerable<ItemResult> items,
        IReadOnlyList<Individual> individuals,
        JournalTotals totals,
        TimeSpan elapsed,
        IReadOnlyDictionary<string, string> facts)
    {
        var byStatus = new SortedDictionary<FileStatus, long>
        {
            [FileStatus.Scanned] = 0,
            [FileStatus.Partial] = 0,
            [FileStatus.Skipped] = 0,
            [FileStatus.Failed] = 0,
        };
        var byElement = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var timeouts = new SortedDictionary<string, RegexTimeoutTotals>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            foreach (var rule in item.File.RegexTimeouts ?? [])
            {
                // Items come in path order: the first one seen is the example.
                timeouts[rule] = timeouts.TryGetValue(rule, out var t) ? t with { Files = t.Files + 1 } : new RegexTimeoutTotals(1, item.File.Path);
            }

            byStatus[item.File.Status] = byStatus.GetValueOrDefault(item.File.Status) + 1;
            foreach (var finding in item.Findings)
            {
                byElement[finding.Element] = byElement.GetValueOrDefault(finding.Element) + 1;
            }
        }

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
            FilesByStatus = byStatus,
            FindingsByElement = byElement,
            IndividualsByElement = individualsByElement,
            Individuals = individuals.Count,
            BytesRead = totals.BytesRead,
            Changes = totals.Changes,
            Elapsed = elapsed,
            Facts = facts,
            RegexTimeouts = timeouts,
        };
    }
}
