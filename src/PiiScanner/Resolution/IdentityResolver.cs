using System.Security.Cryptography;
using System.Text;
using PiiScanner.Detection;
using PiiScanner.Index;
using PiiScanner.Sources;

namespace PiiScanner.Resolution;

/// <summary>
/// Links person records across items into individuals (the deduplicated exposure index). Immutable and
/// thread-safe: one instance may resolve many scans concurrently.
/// </summary>
/// <remarks>
/// <para>Only records that pass <see cref="PersonPolicy"/> take part. Records are joined with union-find, in this
/// order:</para>
/// <list type="number">
/// <item>strong keys: the same SSN, ITIN, MBI or passport number; the same driver's licence state + number (a
/// licence without a known state joins only other state-less records with the same number);</item>
/// <item>the same normalised name and the same date of birth;</item>
/// <item>the same normalised name and the same normalised address;</item>
/// <item>the same normalised name and the same email address or phone number (a household shares a phone, so a
/// contact never joins on its own).</item>
/// </list>
/// <para>Names match when the surname is equal after folding and the given names are equal, nicknames of one
/// formal name (<see cref="NameMatcher"/>), or an initial (<c>J. Smith</c>) — a nickname with several formal names
/// or an initial joins only when exactly one candidate person in the block matches; ambiguous joins are never
/// made. Name matching works on whole clusters, so a name seen with an SSN in one file and a DOB seen with that
/// SSN in another both count.</para>
/// <para>Every union is checked first: two clusters that each hold an SSN the other lacks are never merged
/// (two different SSNs are two people, even with the same name). Name-based joins are also refused when both
/// sides have dates of birth and none in common, or middle initials and none in common (Sr and Jr at one
/// address).</para>
/// <para><see cref="Individual.Name"/> is the most frequent full name; ties go to the form a letter would use
/// (not <c>LAST, FIRST</c>, not all capitals), then the longest, then ordinal order. Every other distinct form
/// is a name variant.</para>
/// <para><see cref="Individual.Confidence"/> is <c>1 − Π(1 − cₑ)</c> over the person's elements, where
/// <c>cₑ</c> is the highest confidence of any finding of element <c>e</c>, capped at 0.99: more independent
/// elements make a real, identifiable person more certain. <see cref="Individual.Id"/> is the first 16 hex
/// digits of SHA-256 over <c>path\0locator</c> of the person's first source (in source order), so it carries no
/// PII and is the same for the same input whatever the thread count. Output is sorted by id.</para>
/// </remarks>
public sealed class IdentityResolver
{
    private const double MaxConfidence = 0.99;
    private readonly NameMatcher _names;

    /// <summary>Creates a resolver that matches names with <paramref name="nameMatcher"/>.</summary>
    public IdentityResolver(NameMatcher nameMatcher)
    {
        ArgumentNullException.ThrowIfNull(nameMatcher);
        _names = nameMatcher;
    }

    /// <summary>
    /// Resolves the records of <paramref name="items"/> into individuals. Items should be sorted by path
    /// (they are re-sorted ordinally, stably, to be safe). When an item carries findings but no records, its
    /// records are assembled with <see cref="RecordAssembler"/>.
    /// </summary>
    /// <returns>Individuals sorted by <see cref="Individual.Id"/> (ordinal).</returns>
    public IReadOnlyList<Individual> Resolve(IReadOnlyList<ItemResult> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var records = Collect(items);
        if (records.Count == 0)
        {
            return [];
        }

        var uf = new Clusters(records);
        JoinStrongKeys(records, uf);
        NamePass(records, uf, r => r.Dobs);
        NamePass(records, uf, r => r.Addresses);
        NamePass(records, uf, r => r.Contacts);

        var byRoot = new SortedDictionary<int, List<RecordInfo>>();
        for (var i = 0; i < records.Count; i++)
        {
            var root = uf.Find(i);
            if (!byRoot.TryGetValue(root, out var list))
            {
                byRoot[root] = list = [];
            }

            list.Add(records[i]);
        }

        var result = byRoot.Values.Select(BuildIndividual).ToList();
        result.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return result;
    }

    private static List<RecordInfo> Collect(IReadOnlyList<ItemResult> items)
    {
        var sorted = items
            .Select((item, i) => (item, i))
            .OrderBy(x => x.item.File.Path, StringComparer.Ordinal)
            .ThenBy(x => x.i)
            .Select(x => x.item);

        var records = new List<RecordInfo>();
        foreach (var item in sorted)
        {
            var itemRecords = item.Records.Count == 0 && item.Findings.Count > 0
                ? RecordAssembler.Assemble(item.File.Path, item.Findings)
                : item.Records;
            var origin = item.File.Origin;
            var dup = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var rec in itemRecords)
            {
                var n = dup.TryGetValue(rec.Locator, out var c) ? c : 0;
                dup[rec.Locator] = n + 1;
                if (PersonPolicy.IsPerson(rec))
                {
                    records.Add(new RecordInfo(rec, n, origin));
                }
            }
        }

        return records;
    }

    private static void JoinStrongKeys(List<RecordInfo> records, Clusters uf)
    {
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            foreach (var key in records[i].StrongKeys)
            {
                if (owner.TryGetValue(key, out var j))
                {
                    uf.TryUnion(j, i, weak: false);
                }
                else
                {
                    owner[key] = i;
                }
            }
        }
    }

    private void NamePass(List<RecordInfo> records, Clusters uf, Func<RecordInfo, IEnumerable<string>> keysOf)
    {
        // Cluster-level: every name of a cluster with every key (DOB or address) of the cluster.
        var names = new SortedDictionary<int, List<ParsedName>>();
        var keys = new Dictionary<int, SortedSet<string>>();
        for (var i = 0; i < records.Count; i++)
        {
            var root = uf.Find(i);
            if (!names.TryGetValue(root, out var n))
            {
                names[root] = n = [];
                keys[root] = new SortedSet<string>(StringComparer.Ordinal);
            }

            foreach (var p in records[i].ParsedNames)
            {
                if (!n.Contains(p))
                {
                    n.Add(p);
                }
            }

            keys[root].UnionWith(keysOf(records[i]));
        }

        var blocks = new SortedDictionary<string, List<(int Root, ParsedName Name)>>(StringComparer.Ordinal);
        foreach (var (root, list) in names)
        {
            foreach (var key in keys[root])
            {
                foreach (var name in list)
                {
                    var blockKey = name.Last + "\0" + key;
                    if (!blocks.TryGetValue(blockKey, out var entries))
                    {
                        blocks[blockKey] = entries = [];
                    }

                    entries.Add((root, name));
                }
            }
        }

        foreach (var entries in blocks.Values)
        {
            if (entries.Count > 1)
            {
                JoinBlock(entries, uf);
            }
        }
    }

    private void JoinBlock(List<(int Root, ParsedName Name)> entries, Clusters uf)
    {
        // 1. Full given names with one canonical form (William = Bill = Billy).
        var canonical = new Dictionary<string, int>(StringComparer.Ordinal);
        var ambiguous = new List<(int Root, ParsedName Name)>();
        var initials = new List<(int Root, ParsedName Name)>();
        foreach (var e in entries)
        {
            if (e.Name.IsInitial)
            {
                initials.Add(e);
                continue;
            }

            var c = _names.Canonical(e.Name.First);
            if (c is null)
            {
                ambiguous.Add(e);
            }
            else if (canonical.TryGetValue(c, out var other))
            {
                uf.TryUnion(other, e.Root, weak: true);
            }
            else
            {
                canonical[c] = e.Root;
            }
        }

        // 2. Nicknames of several formal names (Chris): the same nickname joins; a formal name joins only when
        //    exactly one of the nickname's formal names is present.
        var sameNick = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in ambiguous)
        {
            if (sameNick.TryGetValue(e.Name.First, out var other))
            {
                uf.TryUnion(other, e.Root, weak: true);
            }
            else
            {
                sameNick[e.Name.First] = e.Root;
            }

            var matches = _names.FormalNamesOf(e.Name.First)
                .Where(canonical.ContainsKey)
                .Select(f => uf.Find(canonical[f]))
                .Distinct()
                .ToList();
            if (matches.Count == 1)
            {
                uf.TryUnion(matches[0], e.Root, weak: true);
            }
        }

        // 3. Initials (J. Smith): join the one person whose given name fits; never guess between several.
        var sameInitial = new Dictionary<char, int>();
        foreach (var e in initials)
        {
            var letter = e.Name.First[0];
            var candidates = entries
                .Where(x => !x.Name.IsInitial && x.Name.Initials(_names).Contains(letter)
                    && (x.Name.Middle.Length == 0 || e.Name.Middle.Length == 0 || x.Name.Middle[0] == e.Name.Middle[0]))
                .Select(x => uf.Find(x.Root))
                .Distinct()
                .ToList();
            if (candidates.Count == 1)
            {
                uf.TryUnion(candidates[0], e.Root, weak: true);
            }
            else if (candidates.Count == 0)
            {
                if (sameInitial.TryGetValue(letter, out var other))
                {
                    uf.TryUnion(other, e.Root, weak: true);
                }
                else
                {
                    sameInitial[letter] = e.Root;
                }
            }
        }
    }

    private static Individual BuildIndividual(List<RecordInfo> records)
    {
        var findings = records.SelectMany(r => r.Record.Findings).ToList();

        // Name: the most frequent full name (given name and surname, not an initial); ties → written as a
        // letter would address the person (no "LAST, FIRST", not all capitals), then longest, then ordinal.
        var nameCounts = findings
            .Where(f => f.Element == Elements.Name && !string.IsNullOrWhiteSpace(f.Value))
            .GroupBy(f => f.Value, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Count: g.Count(), Full: NameMatcher.Parse(g.Key) is { IsInitial: false }))
            .OrderByDescending(x => x.Full)
            .ThenByDescending(x => x.Count)
            .ThenBy(x => x.Name.Contains(',', StringComparison.Ordinal))
            .ThenBy(x => !x.Name.Any(char.IsLower))
            .ThenByDescending(x => x.Name.Length)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .ToList();
        var name = nameCounts.Count > 0 ? nameCounts[0].Name : null;
        var variants = nameCounts.Skip(1).Select(x => x.Name).Order(StringComparer.Ordinal).ToList();

        var elements = ElementOrder.Sort(findings.Select(f => f.Element));

        var values = new SortedDictionary<string, IReadOnlyList<ExposedValue>>(ElementOrder.Comparer);
        foreach (var group in findings.Where(f => f.Element != Elements.Name).GroupBy(f => f.Element, StringComparer.Ordinal))
        {
            values[group.Key] = DistinctValues(group.Select(ToExposed));
        }

        var sources = records
            .GroupBy(r => (r.Record.Path, r.Record.Locator))
            .Select(g => new SourceRef(
                g.Key.Path,
                g.Key.Locator,
                ElementOrder.Sort(g.SelectMany(r => r.Record.Findings).Select(f => f.Element)),
                g.Any(r => r.Origin?.Deleted == true),
                g.Select(r => r.Origin?.Partition).FirstOrDefault(p => p is not null),
                g.Select(r => r.Origin?.Inode).FirstOrDefault(i => i is not null)))
            .OrderBy(s => s.Path, StringComparer.Ordinal)
            .ThenBy(s => s.Locator, LocatorComparer.Instance)
            .ToList();

        var first = records
            .OrderBy(r => r.Record.Path, StringComparer.Ordinal)
            .ThenBy(r => r.Record.Locator, LocatorComparer.Instance)
            .ThenBy(r => r.DuplicateIndex)
            .First();

        var miss = 1.0;
        foreach (var g in findings.GroupBy(f => f.Element, StringComparer.Ordinal))
        {
            miss *= 1 - Math.Clamp(g.Max(f => f.Confidence), 0, 1);
        }

        return new Individual
        {
            Id = StableId(first),
            Name = name,
            NameVariants = variants,
            Elements = elements,
            Values = values,
            Sources = sources,
            Confidence = Math.Min(MaxConfidence, 1 - miss),
        };
    }

    private static ExposedValue ToExposed(Finding f) => f.Element switch
    {
        Elements.DriversLicense => new ExposedValue(f.Value, State: f.State),
        Elements.Medical => new ExposedValue(f.Value, Code: f.Code, Category: f.Category),
        _ => new ExposedValue(f.Value),
    };

    private static List<ExposedValue> DistinctValues(IEnumerable<ExposedValue> values)
    {
        var result = new List<ExposedValue>();
        foreach (var g in values.Distinct().GroupBy(v => v.Value, StringComparer.Ordinal))
        {
            // "D1204…" with state IL and the same number without a state are one licence.
            var qualified = g.Where(v => v.State is not null || v.Code is not null || v.Category is not null).ToList();
            result.AddRange(qualified.Count > 0 ? qualified : g);
        }

        result.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Value, b.Value);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.State, b.State);
            }

            if (c == 0)
            {
                c = string.CompareOrdinal(a.Code, b.Code);
            }

            return c != 0 ? c : string.CompareOrdinal(a.Category, b.Category);
        });
        return result;
    }

    private static string StableId(RecordInfo first)
    {
        var text = first.Record.Path + "\0" + first.Record.Locator
            + (first.DuplicateIndex > 0 ? "\0" + first.DuplicateIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>A person record with its join keys precomputed.</summary>
    private sealed class RecordInfo
    {
        public RecordInfo(PersonRecord record, int duplicateIndex, ItemOrigin? origin)
        {
            Record = record;
            DuplicateIndex = duplicateIndex;
            Origin = origin;
            foreach (var f in record.Findings)
            {
                switch (f.Element)
                {
                    case Elements.Ssn:
                        Ssns.Add(f.Value);
                        StrongKeys.Add("ssn:" + f.Value);
                        break;
                    case Elements.Itin or Elements.Mbi or Elements.Passport:
                        StrongKeys.Add(f.Element + ":" + f.Value.ToUpperInvariant());
                        break;
                    case Elements.DriversLicense:
                        StrongKeys.Add("dl:" + (f.State?.ToUpperInvariant() ?? "?") + ":" + f.Value.ToUpperInvariant());
                        break;
                    case Elements.Dob:
                        Dobs.Add(f.Value);
                        break;
                    case Elements.Address:
                        Addresses.Add(AddressKey.Of(f.Value));
                        break;
                    case Elements.Email:
                        Contacts.Add("email:" + f.Value.ToLowerInvariant());
                        break;
                    case Elements.Phone:
                        Contacts.Add("phone:" + f.Value);
                        break;
                    case Elements.Name:
                        if (NameMatcher.Parse(f.Value) is { } p && !ParsedNames.Contains(p))
                        {
                            ParsedNames.Add(p);
                            if (p.Middle.Length > 0)
                            {
                                Middles.Add(p.Middle[0]);
                            }
                        }

                        break;
                }
            }
        }

        public PersonRecord Record { get; }

        public int DuplicateIndex { get; }

        /// <summary>Disk-image provenance of the record's item (deleted flag, partition, inode), null for plain files.</summary>
        public ItemOrigin? Origin { get; }

        public List<string> StrongKeys { get; } = [];

        public HashSet<string> Ssns { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Dobs { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Addresses { get; } = new(StringComparer.Ordinal);

        /// <summary>Email addresses and phone numbers, as join keys that only count together with a matching name.</summary>
        public HashSet<string> Contacts { get; } = new(StringComparer.Ordinal);

        public List<ParsedName> ParsedNames { get; } = [];

        public HashSet<char> Middles { get; } = [];
    }

    /// <summary>Union-find over records, with each cluster's SSNs, DOBs and middle initials for the guards.</summary>
    private sealed class Clusters
    {
        private readonly int[] _parent;
        private readonly HashSet<string>[] _ssns;
        private readonly HashSet<string>[] _dobs;
        private readonly HashSet<char>[] _middles;

        public Clusters(List<RecordInfo> records)
        {
            _parent = new int[records.Count];
            _ssns = new HashSet<string>[records.Count];
            _dobs = new HashSet<string>[records.Count];
            _middles = new HashSet<char>[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                _parent[i] = i;
                _ssns[i] = new HashSet<string>(records[i].Ssns, StringComparer.Ordinal);
                _dobs[i] = new HashSet<string>(records[i].Dobs, StringComparer.Ordinal);
                _middles[i] = [.. records[i].Middles];
            }
        }

        public int Find(int i)
        {
            while (_parent[i] != i)
            {
                _parent[i] = _parent[_parent[i]];
                i = _parent[i];
            }

            return i;
        }

        /// <summary>Joins two clusters unless that would merge people the guards tell apart.</summary>
        public bool TryUnion(int a, int b, bool weak)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb)
            {
                return true;
            }

            // Two clusters that each hold an SSN the other lacks are two people.
            if (!_ssns[ra].IsSubsetOf(_ssns[rb]) && !_ssns[rb].IsSubsetOf(_ssns[ra]))
            {
                return false;
            }

            if (weak && (Disjoint(_dobs[ra], _dobs[rb]) || Disjoint(_middles[ra], _middles[rb])))
            {
                return false;
            }

            // The lower index stays root so the outcome does not depend on hash order.
            var (root, child) = ra < rb ? (ra, rb) : (rb, ra);
            _parent[child] = root;
            _ssns[root].UnionWith(_ssns[child]);
            _dobs[root].UnionWith(_dobs[child]);
            _middles[root].UnionWith(_middles[child]);
            return true;
        }

        private static bool Disjoint<T>(HashSet<T> x, HashSet<T> y) => x.Count > 0 && y.Count > 0 && !x.Overlaps(y);
    }
}
