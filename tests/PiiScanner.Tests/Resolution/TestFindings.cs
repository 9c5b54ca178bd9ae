using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Resolution;
using PiiScanner.Sources;

namespace PiiScanner.Tests.Resolution;

/// <summary>Builds synthetic findings and item results by hand (invented people only).</summary>
internal static class TestFindings
{
    public static Finding F(
        string element,
        string value,
        string locator = "row 1",
        int group = 1,
        GroupKind kind = GroupKind.Record,
        long segment = 1,
        double confidence = 0.9,
        string? state = null,
        string? code = null,
        FindingQualifiers? qualifiers = null,
        int start = 0,
        int? parentGroup = null) => new()
        {
            Element = element,
            Value = value,
            Locator = locator,
            Confidence = confidence,
            Evidence = new Evidence { RuleId = "test." + element, Pattern = "p", Header = element == Elements.Ssn ? "SSN" : null },
            Group = group,
            GroupKind = kind,
            SegmentIndex = segment,
            State = state,
            Code = code,
            Qualifiers = qualifiers ?? FindingQualifiers.None,
            Start = start,
            ParentGroup = parentGroup,
        };

    /// <summary>A table-like item: each row is one record (group = row number, locator "row N").</summary>
    public static ItemResult Table(string path, params (string Element, string Value)[][] rows) => Table(path, false, rows);

    public static ItemResult Table(string path, bool deleted, params (string Element, string Value)[][] rows)
    {
        var findings = new List<Finding>();
        for (var r = 0; r < rows.Length; r++)
        {
            var row = r + 2;
            var col = 0;
            foreach (var (element, value) in rows[r])
            {
                findings.Add(F(element, value, locator: $"row {row}", group: row, segment: row, start: col++ * 10,
                    state: element == Elements.DriversLicense ? "IL" : null));
            }
        }

        return Item(path, findings, deleted);
    }

    public static ItemResult Item(string path, IReadOnlyList<Finding> findings, bool deleted = false)
    {
        var file = new FileRecord
        {
            Path = path,
            Size = 100,
            Sha256 = new string('a', 64),
            Status = FileStatus.Scanned,
            Extractor = "text",
            Findings = findings.Count,
            Origin = deleted ? new ItemOrigin { Deleted = true, Inode = "42", Partition = "2" } : null,
        };
        return new ItemResult(file, findings, RecordAssembler.Assemble(path, findings));
    }

    public static ResolvedIndex ResolveIndex(params ItemResult[] items) =>
        new IdentityResolver(NameMatcher.Load([RepoPaths.Rules])).ResolveIndex(items.OrderBy(i => i.File.Path, StringComparer.Ordinal).ToList());

    public static IReadOnlyList<Individual> Resolve(params ItemResult[] items) =>
        new IdentityResolver(NameMatcher.Load([RepoPaths.Rules])).Resolve(items.OrderBy(i => i.File.Path, StringComparer.Ordinal).ToList());
}
