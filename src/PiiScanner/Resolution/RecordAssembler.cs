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
        List<Finding>? current = null;
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
                || segment.Exists(f => IsSecondIdentity(current, f))
                || IsAnotherIdentifiedPerson(current, segment))
            {
                current = [];
                records.Add(current);
            }

            foreach (var f in segment)
            {
                if (current.Count > 0 && IsSecondIdentity(current, f))
                {
                    current = [];
                    records.Add(current);
                }

                current.Add(f);
            }

            lastSegment = segment[0].SegmentIndex;
            start = end;
        }
    }

    // A line with its own identifier and its own address, after a record that already has both, is someone else
    // even without a name ("… MBI … born … still at 12 Oak St." then "Tax clinic: …, ITIN, 14 Elm St …").
    private static bool IsAnotherIdentifiedPerson(List<Finding> current, List<Finding> segment)
    {
        static bool Strong(Finding f) => PersonPolicy.StrongElements.Contains(f.Element);
        if (!segment.Exists(Strong) || !current.Exists(Strong))
        {
            return false;
        }

        var addresses = segment.Where(f => f.Element == Elements.Address).Select(f => f.Value).ToList();
        var known = current.Where(f => f.Element == Elements.Address).Select(f => f.Value).ToList();
        return addresses.Count > 0 && known.Count > 0 && !addresses.Exists(a => known.Contains(a, StringComparer.Ordinal));
    }

    private static bool IsSecondIdentity(List<Finding> current, Finding f)
    {
        switch (f.Element)
        {
            // A prescriber or caseworker named in a client's note ("… as prescribed by Dr. Loretta Finch (NPI …). SSN …")
            // is no second person of the record: the role takes the name out later, the record stays whole.
            case Elements.Name when IdentityResolver.RoleOf(f) is not null:
                return false;
            case Elements.Name:
                foreach (var c in current)
                {
                    if (c.Element == Elements.Name && IdentityResolver.RoleOf(c) is null && !SameWrittenPerson(c.Value, f.Value))
                    {
                        return true;
                    }
                }

                return false;
            // A second, different identifier or address in a block of lines is someone else's: "… 1EG4-TE5-MK73 …, 12 Oak St"
            // then "…, 912-70-1234, 4 Elm St" are two people even when no name was read on either line.
            case Elements.Ssn or Elements.Itin or Elements.Dob or Elements.Mbi or Elements.Passport or Elements.DriversLicense or Elements.Address:
                foreach (var c in current)
                {
                    if (c.Element == f.Element && !string.Equals(c.Value, f.Value, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
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
