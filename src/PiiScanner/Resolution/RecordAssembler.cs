using PiiScanner.Detection;
using PiiScanner.Extraction;

namespace PiiScanner.Resolution;

/// <summary>
/// Groups the findings of one item into person records. Deterministic: the same findings give the same records.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="GroupKind.Record"/> (table row, JSON object, form): every finding of the group is one record.</item>
/// <item><see cref="GroupKind.Block"/> (free text): the block is read segment by segment (line, paragraph) in
/// document order and a new record starts, at the segment's start, when the segment holds a second, different identity value (a name that cannot be the same person, another SSN, ITIN or date of
/// birth, MBI or passport) arrives after the current record already has one, when a segment brings its own
/// strong identifier and its own address after a record that has both, or after more than <see cref="MaxSegmentGap"/>
/// segments without findings. Lists and logs of several people are split that way.</item>
/// </list>
/// A record's locator is the locator of its first finding; for a hard record, of the segment that holds it
/// (<c>table 1 row 2</c>, not the cell <c>table 1 row 2 col 1</c>). Whether a record is a person at all is decided later
/// (see <see cref="IdentityResolver"/>).
/// </remarks>
internal static class RecordAssembler
{
    /// <summary>Segments without findings after which a free-text block starts a new record.</summary>
    public const int MaxSegmentGap = 5;

    /// <summary>Assembles the records of one item.</summary>
    /// <param name="path">Logical path of the item.</param>
    /// <param name="findings">The item's findings in document order.</param>
    /// <returns>Records in document order (by their first finding).</returns>
    public static IReadOnlyList<PersonRecord> Assemble(string path, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0)
        {
            return [];
        }

        // Stable document order: segment index, then position in the segment, then arrival.
        var ordered = findings
            .Select((f, i) => (f, i))
            .OrderBy(x => x.f.SegmentIndex)
            .ThenBy(x => x.f.Start)
            .ThenBy(x => x.i)
            .Select(x => x.f)
            .ToList();

        var groups = new List<(GroupKind Kind, int Group, List<Finding> Items)>();
        var byKey = new Dictionary<(GroupKind, int), List<Finding>>();
        foreach (var f in ordered)
        {
            if (!byKey.TryGetValue((f.GroupKind, f.Group), out var list))
            {
                byKey[(f.GroupKind, f.Group)] = list = [];
                groups.Add((f.GroupKind, f.Group, list));
            }

            list.Add(f);
        }

        var records = new List<PersonRecord>();
        var block = new List<List<Finding>>();
        foreach (var (kind, _, items) in groups)
        {
            if (kind == GroupKind.Record)
            {
                // A table row, form or object is located as a whole (table 1 row 2), not by its first cell.
                records.Add(new PersonRecord(path, items[0].SegmentLocator ?? items[0].Locator, items));
            }
            else
            {
                block.Clear();
                SplitBlock(items, block);
                records.AddRange(block.Select(r => new PersonRecord(path, r[0].Locator, r)));
            }
        }

        return records;
    }

    private static void SplitBlock(List<Finding> items, List<List<Finding>> records)
    {
        BlockRecord? current = null;
        long lastSegment = 0;
        var start = 0;
        while (start < items.Count)
        {
            // One segment (a line, a paragraph) at a time: when anything in it belongs to someone else than the
            // current record, the new record starts at the segment's start, not at the conflicting value. A log
            // line "ssn=… name=… dob=…" must not lend its SSN to the person of the line before.
            var end = start;
            while (end < items.Count && items[end].SegmentIndex == items[start].SegmentIndex)
            {
                end++;
            }

            var segment = items.GetRange(start, end - start);
            if (current is null
                || segment[0].SegmentIndex - lastSegment > MaxSegmentGap
                || segment.Exists(current.IsSecondIdentity)
                || current.IsAnotherIdentifiedPerson(segment))
            {
                current = new BlockRecord();
                records.Add(current.Findings);
            }

            foreach (var f in segment)
            {
                if (current.Findings.Count > 0 && current.IsSecondIdentity(f))
                {
                    current = new BlockRecord();
                    records.Add(current.Findings);
                }

                current.Add(f);
            }

            lastSegment = segment[0].SegmentIndex;
            start = end;
        }
    }

    /// <summary>
    /// A free-text record being assembled, with the distinct values of its identity elements, so that a block of
    /// one person repeated many times is read in linear time (each finding is compared with the distinct values
    /// seen, not with every finding before it).
    /// </summary>
    private sealed class BlockRecord
    {
        // Element → distinct values, for names, identifiers, dates of birth and addresses.
        private readonly Dictionary<string, HashSet<string>> _values = new(StringComparer.Ordinal);
        private bool _hasStrong;

        public List<Finding> Findings { get; } = [];

        public void Add(Finding f)
        {
            Findings.Add(f);
            _hasStrong |= IsStrong(f);

            // A prescriber or caseworker named in a client's note ("… as prescribed by Dr. Loretta Finch (NPI …). SSN …")
            // is no second person of the record: the role takes the name out later, the record stays whole.
            if ((f.Element is Elements.Name && IdentityResolver.RoleOf(f) is null) || IsIdentity(f.Element))
            {
                if (!_values.TryGetValue(f.Element, out var set))
                {
                    _values[f.Element] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(f.Value);
            }
        }

        // A line with its own identifier and its own address, after a record that already has both, is someone
        // else even without a name ("… MBI … born … still at 12 Oak St." then "Tax clinic: …, ITIN, 14 Elm St …").
        public bool IsAnotherIdentifiedPerson(List<Finding> segment)
        {
            if (!_hasStrong || !segment.Exists(IsStrong) || !_values.TryGetValue(Elements.Address, out var known))
            {
                return false;
            }

            var addresses = segment.Where(f => f.Element == Elements.Address).ToList();
            return addresses.Count > 0 && !addresses.Exists(a => known.Contains(a.Value));
        }

        public bool IsSecondIdentity(Finding f)
        {
            if (!_values.TryGetValue(f.Element, out var seen))
            {
                return false;
            }

            if (f.Element == Elements.Name)
            {
                if (IdentityResolver.RoleOf(f) is not null)
                {
                    return false;
                }

                foreach (var name in seen)
                {
                    if (!SameWrittenPerson(name, f.Value))
                    {
                        return true;
                    }
                }

                return false;
            }

            // A second, different identifier or address in a block of lines is someone else's: "… 1EG4-TE5-MK73 …, 12 Oak St"
            // then "…, 912-70-1234, 4 Elm St" are two people even when no name was read on either line.
            return seen.Count > 1 || !seen.Contains(f.Value);
        }

        private static bool IsStrong(Finding f) => PersonPolicy.StrongElements.Contains(f.Element);

        private static bool IsIdentity(string element) =>
            element is Elements.Ssn or Elements.Itin or Elements.Dob or Elements.Mbi or Elements.Passport or Elements.DriversLicense or Elements.Address;
    }

    // Inside one block "Jane A. Doe" … "Ms. Doe" … "DOE, JANE" are one person: same surname, or one name's
    // tokens contained in the other's.
    private static bool SameWrittenPerson(string a, string b)
    {
        var x = NameMatcher.Tokens(a);
        var y = NameMatcher.Tokens(b);
        if (x.Count == 0 || y.Count == 0)
        {
            return true;
        }

        if (x.Count >= 2 && y.Count >= 2)
        {
            if (x[^1] != y[^1])
            {
                return false;
            }

            // Same surname: different given names (not initials of each other) are different people.
            var fx = x[0];
            var fy = y[0];
            return fx == fy || (fx.Length == 1 && fy[0] == fx[0]) || (fy.Length == 1 && fx[0] == fy[0])
                || fx.StartsWith(fy, StringComparison.Ordinal) || fy.StartsWith(fx, StringComparison.Ordinal);
        }

        var (shorter, longer) = x.Count <= y.Count ? (x, y) : (y, x);
        return shorter.All(longer.Contains);
    }
}
