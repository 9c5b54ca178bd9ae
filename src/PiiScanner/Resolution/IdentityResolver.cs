using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using PiiScanner.Detection;
using PiiScanner.Extraction;
using PiiScanner.Index;
using PiiScanner.Sources;

namespace PiiScanner.Resolution;

/// <summary>
/// Links person records across items into individuals (the deduplicated exposure index), and lists apart the
/// prescribers, providers and staff named beside them. Immutable and thread-safe: one instance may resolve many
/// scans concurrently.
/// </summary>
/// <remarks>
/// <para><b>Roles first.</b> In every record, names that Detection marked as a provider or staff member
/// (<see cref="FindingQualifiers.Role"/> <c>provider</c> / <c>staff</c>), names written after <c>Dr</c>, and the name of a
/// record that holds an NPI or DEA number and nothing about a patient are staff (<see cref="StaffMember"/>): they
/// are taken out of the record, so they never become individuals and never join patients. NPI and DEA numbers
/// are never a patient's exposed values.</para>
/// <para>Only records that then pass <see cref="PersonPolicy"/> take part. Records are joined with union-find, in
/// this order, each union under the guards below:</para>
/// <list type="number">
/// <item>strong keys: the same SSN, ITIN, MBI or passport number; the same driver's licence state + number (a
/// licence without a known state joins only other state-less records with the same number);</item>
/// <item>the same name and the same date of birth;</item>
/// <item>the same name and the same normalised address;</item>
/// <item>the same name and the same email address or phone number (a household shares a phone, so a contact
/// never joins on its own);</item>
/// <item>the same date of birth and address, and either the same given name with another surname (maiden and
/// married names) or one typo (one edit, names of 5 letters or more) in the given name or the surname, when
/// exactly one such candidate exists and the two were never seen as two records of one document;</item>
/// <item>name-only mentions (and surname-only fragments): attached, as a source with element <c>name</c>, to the
/// one person with a compatible name identified in the same item or the same container / mail thread (items
/// sharing the path before the last <c>!</c>, or the same mbox); a mention that matches nobody, or several
/// people, creates no one.</item>
/// </list>
/// <para>Names match when the surname is equal after folding (a two-word surname also reads as one word) and the
/// given names are equal, nicknames of one formal name (<see cref="NameMatcher"/>), or an initial (<c>J. Smith</c>).
/// Within a block, the records that say most about who they are (SSNs, dates of birth, middle initials,
/// generation) are placed first; a record then joins only when exactly one person in the block fits it, so a
/// record that could be Sr or Jr joins neither. Blocks are hash keys (surname + date of birth, surname + address,
/// date of birth + address), so no step compares every record with every other.</para>
/// <para>Guards: two clusters that each hold an SSN the other lacks are never merged. Name-based joins are also
/// refused when both sides have dates of birth and none in common, middle initials and none in common, or
/// generations (Jr, Sr, II…) and none in common. A record nested in another record of the same item
/// (<see cref="Finding.ParentGroup"/>: a dependent in a household) is never merged with it; the two individuals
/// list each other in <see cref="Individual.Household"/>.</para>
/// <para><see cref="Individual.Name"/> is the most frequent full name; ties go to the form a letter would use
/// (not <c>LAST, FIRST</c>, not all capitals), then the longest, then ordinal order. Every other distinct form
/// is a name variant. <see cref="Individual.JoinedBy"/> counts, per key, the records each key attached.</para>
/// <para><see cref="Individual.Confidence"/> is <c>1 − Π(1 − cₑ)</c> over the person's elements, where
/// <c>cₑ</c> is the highest confidence of any finding of element <c>e</c>, capped at 0.99: more independent
/// elements make a real, identifiable person more certain. <see cref="Individual.Id"/> is the first 16 hex
/// digits of SHA-256 over <c>path\0locator</c> of the person's first identifying source (in source order), so it
/// carries no PII and is the same for the same input whatever the thread count. Output is sorted by id.</para>
/// </remarks>
internal sealed class IdentityResolver
{
    /// <summary>Staff role of a name marked by credentials, Dr, an NPI / DEA number or a prescriber label.</summary>
    public const string ProviderRole = "provider";

    /// <summary>Staff role of a name marked as staff (caseworker, signer, directory).</summary>
    public const string StaffRole = "staff";

    private const double MaxConfidence = 0.99;

    // A block with more distinct people of one name than this is a crowd (a common name at a shelter address):
    // nothing more in it is joined, and no step grows with the crowd.
    private const int MaxPeoplePerGroup = 32;
    private const int TypoMinLength = 5;

    // Individuals built per bucket of the second pass: one bucket's records are in memory at a time.
    private const int PeoplePerBucket = 1 << 15;

    private readonly NameMatcher _names;

    /// <summary>Creates a resolver that matches names with <paramref name="nameMatcher"/>.</summary>
    public IdentityResolver(NameMatcher nameMatcher)
    {
        ArgumentNullException.ThrowIfNull(nameMatcher);
        _names = nameMatcher;
    }

    /// <summary>
    /// Resolves the records of <paramref name="items"/> into individuals (see <see cref="ResolveIndex(IReadOnlyList{ItemResult})"/>).
    /// </summary>
    /// <returns>Individuals sorted by <see cref="Individual.Id"/> (ordinal).</returns>
    public IReadOnlyList<Individual> Resolve(IReadOnlyList<ItemResult> items) => ResolveIndex(items).Individuals;

    /// <summary>
    /// Resolves the records of <paramref name="items"/> into individuals and staff. Items should be sorted by
    /// path (they are re-sorted ordinally, stably, to be safe). When an item carries findings but no records, its
    /// records are assembled with <see cref="RecordAssembler"/>.
    /// </summary>
    public ResolvedIndex ResolveIndex(IReadOnlyList<ItemResult> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        List<ItemResult> sorted =
        [
            .. items
                .Select((item, i) => (item, i))
                .OrderBy(x => x.item.File.Path, StringComparer.Ordinal)
                .ThenBy(x => x.i)
                .Select(x => x.item),
        ];
        return ResolveIndex(new SortedItems(sorted), spillDirectory: null, observe: null, CancellationToken.None);
    }

    /// <summary>
    /// Resolves the items <paramref name="items"/> streams (in the scan's order, see <see cref="IItemResultReader"/>)
    /// in one pass, without holding them: the pass keeps each record's join keys and location in memory and what
    /// building an individual reads of it in a <see cref="SpillFile"/>; the joins run on the keys, a second pass over
    /// that spill sends each record to its individual's bucket, and the individuals are built bucket by bucket, in id
    /// order. With <paramref name="spillDirectory"/>, the spills and the individuals live in owner-only temporary
    /// files there (the returned list reads them back as it is enumerated); without, in memory.
    /// <paramref name="observe"/> sees every item.
    /// </summary>
    public ResolvedIndex ResolveIndex(IItemResultReader items, string? spillDirectory, Action<ItemResult>? observe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var staff = new StaffList();
        var names = new NameCache();
        var keys = new KeyCache();
        using var sources = SpillFile.Create(spillDirectory);
        var (records, links) = Collect(items, staff, names, keys, sources, observe, cancellationToken);
        if (records.Count == 0)
        {
            return new ResolvedIndex([], staff.Build());
        }

        var emails = keys.Rank(records);

        var uf = new Clusters(records, links);
        JoinStrongKeys(records, uf);
        NamePass(records, uf, r => r.Dobs, _ => "name+dob");
        NamePass(records, uf, r => r.Addresses, _ => "name+address");
        NamePass(records, uf, r => r.Contacts, k => k < emails ? "name+email" : "name+phone");
        HouseholdPass(records, uf);
        AttachMentions(records, uf, names);

        var people = People(records, uf);
        var households = Households(people, links, uf);
        var shared = new SharedLists();
        IReadOnlyList<Individual> result;
        if (spillDirectory is null)
        {
            var list = new List<Individual>(people.Count);
            BuildAll(sources, records, uf, people, households, shared, spillDirectory, list.Add, cancellationToken);
            result = list;
        }
        else
        {
            var spilled = new SpilledIndividuals(spillDirectory);
            try
            {
                BuildAll(sources, records, uf, people, households, shared, spillDirectory, spilled.Add, cancellationToken);
            }
            catch
            {
                spilled.Dispose();
                throw;
            }

            result = spilled;
        }

        return new ResolvedIndex(result, staff.Build());
    }

    /// <summary>
    /// The individuals to build: one per cluster with a record that is not a name-only mention, with its id (from
    /// its first identifying record), sorted by id (then root).
    /// </summary>
    private static List<(int Root, string Id)> People(List<RecordInfo> records, Clusters uf)
    {
        var first = new Dictionary<int, int>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].IsMention)
            {
                continue;
            }

            var root = uf.Find(i);
            if (!first.TryGetValue(root, out var best) || FirstIdentifying(records[i], records[best]) < 0)
            {
                first[root] = i;
            }
        }

        var people = first.Select(kv => (Root: kv.Key, Id: StableId(records[kv.Value]))).ToList();
        people.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Id, b.Id);
            return c != 0 ? c : a.Root.CompareTo(b.Root);
        });
        return people;
    }

    // Source order of records: path, locator (as ranked in Collect), then duplicate index (a stable sort over index
    // order in the caller).
    private static int FirstIdentifying(RecordInfo a, RecordInfo b)
    {
        var c = string.CompareOrdinal(a.Path, b.Path);
        if (c == 0)
        {
            c = a.LocatorRank.CompareTo(b.LocatorRank);
        }

        return c != 0 ? c : a.DuplicateIndex.CompareTo(b.DuplicateIndex);
    }

    /// <summary>
    /// Second pass: every record's findings (as the first pass kept them in <paramref name="sources"/>, in record
    /// order) go to its person's bucket (a run of ids), then each bucket is read back, its records grouped by person
    /// (in record order), and its individuals built and handed to <paramref name="add"/> in id order. Memory holds one
    /// bucket.
    /// </summary>
    private static void BuildAll(
        SpillFile sources,
        List<RecordInfo> records,
        Clusters uf,
        List<(int Root, string Id)> people,
        Dictionary<string, SortedSet<string>> households,
        SharedLists shared,
        string? spillDirectory,
        Action<Individual> add,
        CancellationToken cancellationToken)
    {
        var rankOfRoot = new Dictionary<int, int>(people.Count);
        for (var k = 0; k < people.Count; k++)
        {
            rankOfRoot[people[k].Root] = k;
        }

        var bucketCount = (people.Count + PeoplePerBucket - 1) / PeoplePerBucket;
        var buckets = new SpillFile?[bucketCount];
        var counts = new int[bucketCount];
        try
        {
            using (var reader = sources.OpenRead(0, 1 << 20))
            {
                var bytes = new byte[256];
                for (var index = 0; index < records.Count; index++)
                {
                    if ((index & 0xFFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    var length = reader.ReadInt32();
                    if (bytes.Length < length)
                    {
                        bytes = new byte[Math.Max(length, bytes.Length * 2)];
                    }

                    reader.BaseStream.ReadExactly(bytes, 0, length);
                    if (rankOfRoot.TryGetValue(uf.Find(index), out var rank))
                    {
                        var bucket = buckets[rank / PeoplePerBucket] ??= SpillFile.Create(spillDirectory);
                        bucket.Writer.Write(rank);
                        bucket.Writer.Write(index);
                        bucket.Writer.Write(bytes, 0, length);
                        counts[rank / PeoplePerBucket]++;
                    }
                }
            }

            for (var b = 0; b < bucketCount; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entries = new List<(int Rank, int Index, SourceRecord Record)>(counts[b]);
                if (buckets[b] is { } bucket)
                {
                    using var reader = bucket.OpenRead();
                    var pool = new StringPool();
                    for (var k = 0; k < counts[b]; k++)
                    {
                        entries.Add(SourceRecord.Read(reader, pool));
                    }

                    bucket.Dispose();
                    buckets[b] = null;
                }

                entries.Sort(static (x, y) => x.Rank != y.Rank ? x.Rank.CompareTo(y.Rank) : x.Index.CompareTo(y.Index));
                var groups = new List<(int Start, int Count, IReadOnlyList<JoinReason> JoinedBy)>();
                var start = 0;
                for (var k = 0; k <= entries.Count; k++)
                {
                    if (k == entries.Count || entries[k].Rank != entries[start].Rank)
                    {
                        if (k > start)
                        {
                            groups.Add((start, k - start, shared.JoinedBy(uf.JoinedBy(people[entries[start].Rank].Root))));
                        }

                        start = k;
                    }
                }

                // The people of a bucket are independent of one another: built on every core, handed on in id order.
                var built = new Individual[groups.Count];
                Parallel.For(
                    0,
                    groups.Count,
                    new ParallelOptions { CancellationToken = cancellationToken },
                    g =>
                    {
                        var (first, count, joinedBy) = groups[g];
                        var id = people[entries[first].Rank].Id;
                        var records = new List<SourceRecord>(count);
                        for (var k = first; k < first + count; k++)
                        {
                            records.Add(entries[k].Record);
                        }

                        var person = BuildIndividual(id, records, joinedBy, shared);
                        built[g] = households.TryGetValue(id, out var ids) ? person with { Household = [.. ids] } : person;
                    });
                foreach (var person in built)
                {
                    add(person);
                }
            }
        }
        finally
        {
            foreach (var bucket in buckets)
            {
                bucket?.Dispose();
            }
        }
    }

    /// <summary>
    /// First pass: every record that takes part in resolution, with its join keys (names and values as ids), the
    /// links of nested records to their parents, and what building an individual reads of each record, written to
    /// <paramref name="sources"/> in record order (so the second pass does not read the items again).
    /// </summary>
    private static (List<RecordInfo> Records, List<(int Child, int Parent)> Links) Collect(
        IItemResultReader items, StaffList staff, NameCache names, KeyCache keys, SpillFile sources, Action<ItemResult>? observe, CancellationToken cancellationToken)
    {
        var payload = new MemoryStream();
        using var payloadWriter = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true);
        var records = new List<RecordInfo>();
        var links = new List<(int Child, int Parent)>();
        string? lastPath = null;
        int[] pathId = [];
        var locators = new List<(string Locator, int Index)>();
        foreach (var item in items.Read(cancellationToken))
        {
            observe?.Invoke(item);

            // Items come sorted by path: one id per distinct path, shared by all its records.
            if (item.File.Path != lastPath)
            {
                RankLocators(records, locators);
                (lastPath, pathId) = (item.File.Path, [pathId.Length == 0 ? 0 : pathId[0] + 1]);
            }

            var origin = item.File.Origin;
            var byGroup = new Dictionary<int, List<int>>();
            var nested = new List<(int Index, int ParentGroup)>();
            foreach (var (kept, n, kind) in ItemRecords(item, staff, names))
            {
                var index = records.Count;
                records.Add(new RecordInfo(kept, n, origin, pathId, isMention: kind != RecordKind.Person, names, keys) { IsOrphan = kind == RecordKind.Orphan });
                locators.Add((kept.Locator, index));
                payload.SetLength(0);
                SourceRecord.Write(payloadWriter, kept, origin);
                payloadWriter.Flush();
                sources.Writer.Write((int)payload.Length);
                sources.Writer.Write(payload.GetBuffer(), 0, (int)payload.Length);
                var patient = kept.Findings;
                if (kind == RecordKind.Person && patient[0].GroupKind == GroupKind.Record)
                {
                    var group = patient[0].Group;
                    if (!byGroup.TryGetValue(group, out var members))
                    {
                        byGroup[group] = members = [];
                    }

                    members.Add(index);
                    if (patient.FirstOrDefault(f => f.ParentGroup is not null)?.ParentGroup is { } parent && parent != group)
                    {
                        nested.Add((index, parent));
                    }
                }
            }

            foreach (var (index, parent) in nested)
            {
                if (byGroup.TryGetValue(parent, out var parents))
                {
                    links.AddRange(parents.Select(p => (index, p)));
                }
            }
        }

        RankLocators(records, locators);
        return (records, links);
    }

    /// <summary>
    /// Gives the records of one path (<paramref name="group"/>: locator and index) their locators' ranks in
    /// <see cref="LocatorComparer"/> order (equal locators, equal ranks), so records keep an int, not the locator.
    /// </summary>
    private static void RankLocators(List<RecordInfo> records, List<(string Locator, int Index)> group)
    {
        group.Sort(static (a, b) =>
        {
            var c = LocatorComparer.Instance.Compare(a.Locator, b.Locator);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        var rank = 0;
        for (var k = 0; k < group.Count; k++)
        {
            if (k > 0 && LocatorComparer.Instance.Compare(group[k - 1].Locator, group[k].Locator) != 0)
            {
                rank++;
            }

            records[group[k].Index].LocatorRank = rank;
        }

        group.Clear();
    }

    /// <summary>
    /// The records of one item that take part in resolution, in order, with the findings each keeps (staff names
    /// moved into <paramref name="staff"/>), its duplicate index (records before it with its locator) and its kind.
    /// </summary>
    private static IEnumerable<(PersonRecord Record, int Duplicate, RecordKind Kind)> ItemRecords(ItemResult item, StaffList staff, NameCache names)
    {
        var itemRecords = item.Records.Count == 0 && item.Findings.Count > 0
            ? RecordAssembler.Assemble(item.File.Path, item.Findings)
            : item.Records;
        var dup = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var rec in itemRecords)
        {
            var n = dup.TryGetValue(rec.Locator, out var c) ? c : 0;
            dup[rec.Locator] = n + 1;
            var patient = SplitRoles(rec, staff);
            if (patient.Count == 0)
            {
                continue;
            }

            var kept = patient.Count == rec.Findings.Count ? rec : rec with { Findings = patient };
            if (PersonPolicy.IsPerson(kept, names.IsFull))
            {
                yield return (kept, n, RecordKind.Person);
            }
            else if (patient.Exists(f => f.Element == Elements.Name && names.Of(f.Value).Tokens.Count > 0))
            {
                // A name on its own, or a surname with a diagnosis: only the name may attach to someone.
                yield return (rec with { Findings = patient.Where(f => f.Element == Elements.Name).ToList() }, n, RecordKind.Mention);
            }
            else if (patient.TrueForAll(f => f.GroupKind == GroupKind.Block && f.Element is Elements.Dob or Elements.Address or Elements.Medical or Elements.HealthInsurance))
            {
                // "Re: Your application, DOB 06/14/1984" a paragraph below the addressee of a letter: free-text
                // details with no name of their own belong to the document's subject when it has exactly one.
                yield return (kept, n, RecordKind.Orphan);
            }
        }
    }

    /// <summary>Moves the record's staff names (and NPI / DEA numbers) into <paramref name="staff"/>; returns what is left.</summary>
    private static List<Finding> SplitRoles(PersonRecord rec, StaffList staff)
    {
        HashSet<Finding>? roleNames = null;
        var hasPrescriberId = false;
        var hasPatientData = false;
        foreach (var f in rec.Findings)
        {
            if (f.Element == Elements.Name)
            {
                if (RoleOf(f) is not null)
                {
                    (roleNames ??= new HashSet<Finding>(ReferenceEqualityComparer.Instance)).Add(f);
                }
            }
            else if (f.Element is Elements.Npi or Elements.Dea)
            {
                hasPrescriberId = true;
            }
            else if (f.Element is not (Elements.Address or Elements.Phone or Elements.Email))
            {
                hasPatientData = true;
            }
        }

        if (roleNames is null && !hasPrescriberId)
        {
            return rec.Findings as List<Finding> ?? [.. rec.Findings];
        }

        // A row of a prescriber directory (name, NPI, practice address): everyone named is a provider.
        var wholeRecordIsStaff = hasPrescriberId && !hasPatientData && roleNames is null;
        var kept = new List<Finding>(rec.Findings.Count);
        foreach (var f in rec.Findings)
        {
            if (f.Element == Elements.Name && (wholeRecordIsStaff || roleNames?.Contains(f) == true))
            {
                staff.Add(f, RoleOf(f) ?? ProviderRole, rec.Path, rec.Locator);
            }
            else if (!wholeRecordIsStaff && f.Element is not (Elements.Npi or Elements.Dea))
            {
                kept.Add(f);
            }
        }

        return kept;
    }

    internal static string? RoleOf(Finding name)
    {
        if (name.Qualifiers.Role == PersonRole.Provider)
        {
            return ProviderRole;
        }

        if (name.Qualifiers.Role == PersonRole.Staff)
        {
            return StaffRole;
        }

        // "Dr. Okafor": the honorific pattern's value follows the title; Detection may keep the title in the value
        // or name it as the context word.
        if (name.Evidence.Pattern == "honorific"
            && (name.Value.StartsWith("Dr ", StringComparison.OrdinalIgnoreCase) || name.Value.StartsWith("Dr.", StringComparison.OrdinalIgnoreCase)
                || string.Equals(name.Evidence.ContextWord?.TrimEnd('.'), "Dr", StringComparison.OrdinalIgnoreCase)
                || string.Equals(name.Evidence.ContextWord?.TrimEnd('.'), "Doctor", StringComparison.OrdinalIgnoreCase)))
        {
            return ProviderRole;
        }

        return null;
    }

    private static void JoinStrongKeys(List<RecordInfo> records, Clusters uf)
    {
        var owner = new Dictionary<StrongKey, int>();
        for (var i = 0; i < records.Count; i++)
        {
            foreach (var key in records[i].StrongKeys)
            {
                if (owner.TryGetValue(key, out var j))
                {
                    uf.TryUnion(j, i, weak: false, key.Label);
                }
                else
                {
                    owner[key] = i;
                }
            }
        }
    }

    /// <summary>
    /// The records of every cluster, by root (ascending), each cluster's records in index order; name-only mentions
    /// only when <paramref name="withMentions"/>. One sort of integer pairs: no dictionary of lists per root.
    /// </summary>
    private static IEnumerable<(int Root, List<int> Members)> ByRoot(List<RecordInfo> records, Clusters uf, bool withMentions)
    {
        var order = new List<long>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (withMentions || !records[i].IsMention)
            {
                order.Add(((long)uf.Find(i) << 32) | (uint)i);
            }
        }

        order.Sort();
        var members = new List<int>();
        for (var k = 0; k < order.Count; k++)
        {
            members.Add((int)order[k]);
            if (k + 1 == order.Count || order[k + 1] >> 32 != order[k] >> 32)
            {
                yield return ((int)(order[k] >> 32), members);
                members = [];
            }
        }
    }

    /// <summary>Every cluster's distinct names (in record order) and the distinct given keys of its records, by root (ascending).</summary>
    private static IEnumerable<(int Root, List<ParsedName> Names, List<T> Keys)> ClusterKeys<T>(
        List<RecordInfo> records, Clusters uf, Func<RecordInfo, IEnumerable<T>> keysOf)
    {
        foreach (var (root, members) in ByRoot(records, uf, withMentions: false))
        {
            var names = new List<ParsedName>();
            var keys = new List<T>();
            foreach (var i in members)
            {
                foreach (var p in records[i].ParsedNames)
                {
                    if (!names.Contains(p))
                    {
                        names.Add(p);
                    }
                }

                foreach (var key in keysOf(records[i]))
                {
                    if (!keys.Contains(key))
                    {
                        keys.Add(key);
                    }
                }
            }

            yield return (root, names, keys);
        }
    }

    /// <summary>
    /// Entries sorted by block key (two strings, ordinal), then by the order they were added; yields each block
    /// (run of equal keys) whose entries belong to more than one cluster when it is reached (a block of one person
    /// already joined has nothing to join). One flat list for the whole pass, no dictionary of blocks.
    /// </summary>
    private static IEnumerable<(int Key, List<(int Root, ParsedName Name)> Entries)> Blocks(List<BlockEntry> entries, Clusters uf)
    {
        entries.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Surname, b.Surname);
            if (c == 0)
            {
                c = a.Key.CompareTo(b.Key);
            }

            if (c == 0)
            {
                c = a.Key2.CompareTo(b.Key2);
            }

            return c != 0 ? c : a.Order.CompareTo(b.Order);
        });
        var start = 0;
        for (var k = 1; k <= entries.Count; k++)
        {
            if (k == entries.Count || entries[k].Surname != entries[start].Surname || entries[k].Key != entries[start].Key || entries[k].Key2 != entries[start].Key2)
            {
                if (k - start > 1 && !OneCluster(entries, start, k, uf))
                {
                    yield return (entries[start].Key, entries.GetRange(start, k - start).ConvertAll(e => (e.Root, e.Name)));
                }

                start = k;
            }
        }
    }

    private static bool OneCluster(List<BlockEntry> entries, int start, int end, Clusters uf)
    {
        var root = uf.Find(entries[start].Root);
        for (var k = start + 1; k < end; k++)
        {
            if (uf.Find(entries[k].Root) != root)
            {
                return false;
            }
        }

        return true;
    }

    private void NamePass(List<RecordInfo> records, Clusters uf, Func<RecordInfo, IEnumerable<int>> keysOf, Func<int, string> label)
    {
        // Cluster-level: every name of a cluster with every key (DOB or address) of the cluster.
        var entries = new List<BlockEntry>();
        foreach (var (root, names, keys) in ClusterKeys(records, uf, keysOf))
        {
            foreach (var key in keys)
            {
                foreach (var name in names)
                {
                    entries.Add(new BlockEntry(name.Last, key, 0, root, name, entries.Count));
                }
            }
        }

        foreach (var (key, block) in Blocks(entries, uf))
        {
            JoinBlock(block, uf, label(key));
        }
    }

    private void JoinBlock(List<(int Root, ParsedName Name)> entries, Clusters uf, string label)
    {
        // 1. Full given names with one canonical form (William = Bill = Billy).
        var canonical = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        var nicknames = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        var initials = new SortedDictionary<char, List<(int Root, ParsedName Name)>>();
        var fullNames = new Dictionary<ParsedName, List<int>>();
        foreach (var e in entries)
        {
            if (e.Name.IsInitial)
            {
                Add(initials, e.Name.First[0], e);
                continue;
            }

            Add(fullNames, e.Name, e.Root);
            var c = _names.Canonical(e.Name.First);
            Add(c is null ? nicknames : canonical, c ?? e.Name.First, e.Root);
        }

        foreach (var roots in canonical.Values)
        {
            JoinGroup(roots, uf, label);
        }

        // 2. Nicknames of several formal names (Chris): the same nickname joins; the nickname's person joins a
        //    formal name's only when exactly one person of all its formal names is present.
        foreach (var (nick, roots) in nicknames)
        {
            JoinGroup(roots, uf, label);
            var people = roots.Select(uf.Find).Distinct().ToList();
            var matches = _names.FormalNamesOf(nick)
                .Where(canonical.ContainsKey)
                .SelectMany(f => canonical[f].Select(uf.Find))
                .Distinct()
                .ToList();
            if (people.Count == 1 && matches.Count == 1)
            {
                uf.TryUnion(matches[0], people[0], weak: true, label);
            }
        }

        // 3. Initials (J. Smith): join the one person whose given name fits; never guess between several.
        foreach (var (letter, list) in initials)
        {
            var byMiddle = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var e in list)
            {
                Add(byMiddle, e.Name.Middle, e.Root);
            }

            var unmatched = new List<int>();
            foreach (var (middle, roots) in byMiddle)
            {
                var candidates = fullNames
                    .Where(x => x.Key.Initials(_names).Contains(letter)
                        && (x.Key.Middle.Length == 0 || middle.Length == 0 || x.Key.Middle[0] == middle[0]))
                    .SelectMany(x => x.Value.Select(uf.Find))
                    .Distinct()
                    .ToList();
                if (candidates.Count == 1)
                {
                    foreach (var r in roots)
                    {
                        uf.TryUnion(candidates[0], r, weak: true, label);
                    }
                }
                else if (candidates.Count == 0)
                {
                    unmatched.AddRange(roots);
                }
            }

            JoinGroup(unmatched, uf, label);
        }
    }

    /// <summary>
    /// Joins clusters that match by name, most distinguishing first; a cluster that more than one person of the
    /// group could take joins none.
    /// </summary>
    private static void JoinGroup(List<int> roots, Clusters uf, string label)
    {
        var distinct = roots.Select(uf.Find).Distinct().ToList();
        if (distinct.Count < 2)
        {
            return;
        }

        distinct.Sort((a, b) =>
        {
            var c = uf.Weight(b).CompareTo(uf.Weight(a));
            return c != 0 ? c : a.CompareTo(b);
        });
        var people = new List<int>();
        foreach (var r in distinct)
        {
            var match = -1;
            var ambiguous = false;
            for (var i = 0; i < people.Count; i++)
            {
                if (uf.CanUnion(people[i], r, weak: true))
                {
                    if (match >= 0)
                    {
                        ambiguous = true;
                        break;
                    }

                    match = i;
                }
            }

            if (ambiguous)
            {
                continue;
            }

            if (match < 0)
            {
                if (people.Count >= MaxPeoplePerGroup)
                {
                    return;
                }

                people.Add(r);
                continue;
            }

            uf.TryUnion(people[match], r, weak: true, label);
            people[match] = uf.Find(people[match]);
        }
    }

    /// <summary>Maiden / married surnames and one-letter typos, blocked by date of birth + address.</summary>
    private void HouseholdPass(List<RecordInfo> records, Clusters uf)
    {
        var all = new List<BlockEntry>();
        foreach (var (root, names, keys) in ClusterKeys(records, uf, DobAddressPairs))
        {
            foreach (var (dob, address) in keys)
            {
                foreach (var name in names)
                {
                    if (!name.IsInitial)
                    {
                        all.Add(new BlockEntry(string.Empty, dob, address, root, name, all.Count));
                    }
                }
            }
        }

        foreach (var (_, entries) in Blocks(all, uf))
        {
            // A typo first, so that Quackenbush / Quackenbosh is said to be one, not a marriage.
            JoinTypos(entries, uf);

            // Same given name, another surname: one person before and after marriage.
            var byFirst = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var (root, name) in entries)
            {
                if (_names.Canonical(name.First) is { } c)
                {
                    Add(byFirst, c, root);
                }
            }

            foreach (var roots in byFirst.Values)
            {
                JoinGroup(roots, uf, "maiden+dob+address");
            }
        }
    }

    private static IEnumerable<(int Dob, int Address)> DobAddressPairs(RecordInfo r) =>
        r.Dobs.SelectMany(dob => r.Addresses.Select(address => (dob, address)));

    private void JoinTypos(List<(int Root, ParsedName Name)> entries, Clusters uf)
    {
        var names = new Dictionary<(string First, string Last), List<int>>();
        foreach (var (root, name) in entries)
        {
            Add(names, (name.First, name.Last), root);
        }

        if (names.Count < 2 || names.Count > MaxPeoplePerGroup)
        {
            return;
        }

        var keys = names.Keys.OrderBy(k => k.Last, StringComparer.Ordinal).ThenBy(k => k.First, StringComparer.Ordinal).ToList();
        var roots = keys.Select(k => names[k].Select(uf.Find).Distinct().ToList()).ToList();
        var partners = new Dictionary<int, TypoPartner>();
        for (var i = 0; i < keys.Count; i++)
        {
            for (var j = i + 1; j < keys.Count; j++)
            {
                var (x, y) = (keys[i], keys[j]);
                var typo = (x.Last == y.Last && NameMatcher.OneEditApart(x.First, y.First, TypoMinLength))
                    || (SameGivenName(x.First, y.First) && NameMatcher.OneEditApart(x.Last, y.Last, TypoMinLength));
                if (typo)
                {
                    AddPartners(partners, roots[i], roots[j]);
                    AddPartners(partners, roots[j], roots[i]);
                }
            }
        }

        foreach (var (a, partner) in partners.OrderBy(kv => kv.Key))
        {
            // Both sides must have exactly one typo partner, and the two spellings must never sit in one document
            // (Jaden and Jayden in one household list are twins, not a typo).
            if (!partner.Many && partner.First is var b && !partners[b].Many && !uf.SharePath(a, b))
            {
                uf.TryUnion(a, b, weak: true, "typo+dob+address");
            }
        }
    }

    // Every root of one spelling has each root of the other as a typo partner. Only whether a root has one partner
    // or more counts, so three roots of the other spelling are enough to tell (one may be the root itself): a
    // crowd of one spelling costs its size, not its size times the other's.
    private static void AddPartners(Dictionary<int, TypoPartner> partners, List<int> from, List<int> to)
    {
        foreach (var a in from)
        {
            foreach (var b in to.Take(3))
            {
                if (a != b)
                {
                    partners[a] = partners.TryGetValue(a, out var p) ? p with { Many = p.Many || p.First != b } : new TypoPartner(b, Many: false);
                }
            }
        }
    }

    private bool SameGivenName(string a, string b) =>
        a == b || (_names.Canonical(a) is { } ca && ca == _names.Canonical(b));

    /// <summary>Name-only mentions join the one person of the same document or thread whose name fits.</summary>
    private void AttachMentions(List<RecordInfo> records, Clusters uf, NameCache names)
    {
        if (!records.Exists(r => r.IsMention))
        {
            AttachOrphans(records, uf);
            return;
        }

        // scope → surname → distinct (person root, name) identified there.
        var index = new Dictionary<string, Dictionary<string, HashSet<(int Root, ParsedName Name)>>>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].IsMention)
            {
                continue;
            }

            var root = uf.Find(i);
            foreach (var scope in Scopes(records[i].Path))
            {
                if (!index.TryGetValue(scope, out var bySurname))
                {
                    index[scope] = bySurname = new Dictionary<string, HashSet<(int, ParsedName)>>(StringComparer.Ordinal);
                }

                foreach (var p in records[i].ParsedNames)
                {
                    if (!bySurname.TryGetValue(p.Last, out var set))
                    {
                        bySurname[p.Last] = set = [];
                    }

                    set.Add((root, p));
                }
            }
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (!records[i].IsMention)
            {
                continue;
            }

            // Only whether exactly one person fits counts: the search stops at the second, so a mention among
            // thousands of people of one surname costs no pass over all of them.
            var candidates = new HashSet<int>();
            void Consider(IEnumerable<int> roots)
            {
                foreach (var root in roots)
                {
                    if (candidates.Add(uf.Find(root)) && candidates.Count > 1)
                    {
                        return;
                    }
                }
            }

            foreach (var scope in Scopes(records[i].Path))
            {
                if (!index.TryGetValue(scope, out var bySurname))
                {
                    continue;
                }

                foreach (var value in records[i].MentionValues)
                {
                    var (readings, tokens, _) = names.Of(value);
                    if (readings.Count == 0)
                    {
                        // A surname alone ("Ms. Doe").
                        if (tokens.Count == 1 && bySurname.TryGetValue(tokens[0], out var all))
                        {
                            Consider(all.Select(x => x.Root));
                        }
                    }
                    else
                    {
                        foreach (var m in readings)
                        {
                            if (candidates.Count < 2 && bySurname.TryGetValue(m.Last, out var set))
                            {
                                Consider(set.Where(x => Fits(m, x.Name)).Select(x => x.Root));
                            }
                        }
                    }

                    if (candidates.Count > 1)
                    {
                        break;
                    }
                }

                if (candidates.Count > 1)
                {
                    break;
                }
            }

            if (candidates.Count == 1)
            {
                uf.TryUnion(candidates.First(), i, weak: true, "same-document-name");
            }
        }

        AttachOrphans(records, uf);
    }

    // Details without a name join the subject of their document: the one person identified in that same item.
    private static void AttachOrphans(List<RecordInfo> records, Clusters uf)
    {
        var rootsByPath = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            if (!records[i].IsMention)
            {
                if (!rootsByPath.TryGetValue(records[i].Path, out var roots))
                {
                    rootsByPath[records[i].Path] = roots = [];
                }

                roots.Add(uf.Find(i));
            }
        }

        // The one person of each document, computed once (a log of many people must not cost a pass per record).
        var subjectOf = SingleRoots(rootsByPath, uf);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].IsOrphan && subjectOf.TryGetValue(records[i].Path, out var subject))
            {
                uf.TryUnion(subject, i, weak: true, "same-document-subject");
            }
        }

        // A letter's "SSN: … DOB: …" block below its addressee, or a note's identifiers line under the client's name: a
        // free-text record with identifiers but no name joins the one named person of its document (never across two
        // SSNs or birth dates: the union refuses those).
        var namedRoots = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            if (!records[i].IsMention && records[i].ParsedNames.Length > 0)
            {
                if (!namedRoots.TryGetValue(records[i].Path, out var set))
                {
                    namedRoots[records[i].Path] = set = [];
                }

                set.Add(uf.Find(i));
            }
        }

        var namedSubjectOf = SingleRoots(namedRoots, uf);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (!r.IsMention && r.ParsedNames.Length == 0 && r.AllBlock
                && namedSubjectOf.TryGetValue(r.Path, out var subject))
            {
                uf.TryUnion(subject, i, weak: true, "same-document-subject");
            }
        }

        AttachSubjectName(records, uf, rootsByPath);
    }

    // A form printed one label per paragraph ("Patient Name: Sandoval, Joyce F" / "SSN: …" / "Date of Birth: …") leaves
    // the name a mention on its own and the identifiers a person without a name: when the document's records are one
    // nameless person and its mentions all give one name, that name is the person's.
    // rootsByPath: each document's non-mention records (as roots found earlier; SingleRoots finds them again).
    private static void AttachSubjectName(List<RecordInfo> records, Clusters uf, Dictionary<string, HashSet<int>> rootsByPath)
    {
        var named = new HashSet<int>();
        var mentions = new Dictionary<string, (string? Name, List<int> Records)>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var path = records[i].Path;
            if (!records[i].IsMention)
            {
                if (records[i].ParsedNames.Length > 0)
                {
                    named.Add(uf.Find(i));
                }

                continue;
            }

            if (records[i].IsOrphan)
            {
                continue;
            }

            var name = records[i].FirstName?.ToUpperInvariant();
            if (!mentions.TryGetValue(path, out var seen))
            {
                mentions[path] = (name, [i]);
            }
            else
            {
                seen.Records.Add(i);
                mentions[path] = (string.Equals(seen.Name, name, StringComparison.Ordinal) ? seen.Name : null, seen.Records);
            }
        }

        foreach (var (path, subject) in SingleRoots(rootsByPath, uf))
        {
            if (!named.Contains(uf.Find(subject)) && mentions.TryGetValue(path, out var m) && m.Name is not null)
            {
                foreach (var i in m.Records)
                {
                    uf.TryUnion(subject, i, weak: true, "same-document-subject");
                }
            }
        }
    }

    // Documents whose records all belong to one person: path → that person's root.
    private static Dictionary<string, int> SingleRoots(Dictionary<string, HashSet<int>> rootsByPath, Clusters uf)
    {
        var single = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (path, roots) in rootsByPath)
        {
            var first = -1;
            var one = true;
            foreach (var root in roots)
            {
                var r = uf.Find(root);
                if (first < 0)
                {
                    first = r;
                }
                else if (r != first)
                {
                    one = false;
                    break;
                }
            }

            if (one && first >= 0)
            {
                single[path] = first;
            }
        }

        return single;
    }

    private bool Fits(ParsedName mention, ParsedName person)
    {
        if (mention.Middle.Length > 0 && person.Middle.Length > 0 && mention.Middle[0] != person.Middle[0])
        {
            return false;
        }

        if (mention.IsInitial || person.IsInitial)
        {
            var (i, full) = mention.IsInitial ? (mention, person) : (person, mention);
            return full.Initials(_names).Contains(i.First[0]);
        }

        return mention.First == person.First || _names.CanonicalSet(mention.First).Overlaps(_names.CanonicalSet(person.First));
    }

    /// <summary>The item itself, the container or thread it sits in (path before the last <c>!</c>) and its mbox.</summary>
    private static IEnumerable<string> Scopes(string path)
    {
        yield return path;
        var last = path.LastIndexOf('!');
        if (last > 0)
        {
            yield return path[..last];
            var first = path.IndexOf('!', StringComparison.Ordinal);
            if (first < last && path.AsSpan(0, first).EndsWith(".mbox", StringComparison.OrdinalIgnoreCase))
            {
                yield return path[..first];
            }
        }
    }

    /// <summary>Each person's household (ids of people linked to them by a nested record), by id; only people with one.</summary>
    private static Dictionary<string, SortedSet<string>> Households(List<(int Root, string Id)> people, List<(int Child, int Parent)> links, Clusters uf)
    {
        var household = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        if (links.Count == 0)
        {
            return household;
        }

        var idOfRoot = new Dictionary<int, string>(people.Count);
        foreach (var (root, id) in people)
        {
            idOfRoot[root] = id;
        }

        foreach (var (child, parent) in links)
        {
            if (idOfRoot.TryGetValue(uf.Find(child), out var a) && idOfRoot.TryGetValue(uf.Find(parent), out var b) && a != b)
            {
                Add(household, a, b);
                Add(household, b, a);
            }
        }

        return household;
    }

    private static void Add<TKey, TValue, TCollection>(IDictionary<TKey, TCollection> map, TKey key, TValue value)
        where TKey : notnull
        where TCollection : ICollection<TValue>, new()
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new TCollection();
        }

        list.Add(value);
    }

    private static Individual BuildIndividual(string id, List<SourceRecord> records, IReadOnlyList<JoinReason> joinedBy, SharedLists shared)
    {
        var findings = records.SelectMany(r => r.Facts).ToList();

        // Name: the most frequent full name (given name and surname, not an initial); ties → written as a
        // letter would address the person (no "LAST, FIRST", not all capitals), then longest, then ordinal.
        var nameCounts = findings
            .Where(f => f.Element == Elements.Name && !string.IsNullOrWhiteSpace(f.Value))
            .GroupBy(f => f.Value, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Count: g.Count(), Full: NameMatcher.Readings(g.Key) is [{ IsInitial: false }, ..]))
            .OrderByDescending(x => x.Full)
            .ThenByDescending(x => x.Count)
            .ThenBy(x => x.Name.Contains(',', StringComparison.Ordinal))
            .ThenBy(x => !x.Name.Any(char.IsLower))
            .ThenByDescending(x => x.Name.Length)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .ToList();
        var name = nameCounts.Count > 0 ? nameCounts[0].Name : null;
        IReadOnlyList<string> variants = nameCounts.Count > 1 ? [.. nameCounts.Skip(1).Select(x => x.Name).Order(StringComparer.Ordinal)] : [];

        var elements = shared.Elements(ElementOrder.Sort(findings.Select(f => f.Element)));

        var values = new ElementValues(findings
            .Where(f => f.Element != Elements.Name)
            .GroupBy(f => f.Element, StringComparer.Ordinal)
            .Select(group => (group.Key, (IReadOnlyList<ExposedValue>)[.. DistinctValues(group.Select(ToExposed))])));

        var sources = records
            .GroupBy(r => (r.Path, r.Locator))
            .Select(g => new SourceRef(
                g.Key.Path,
                g.Key.Locator,
                shared.Elements(ElementOrder.Sort(g.SelectMany(r => r.Facts).Select(f => f.Element))),
                g.Any(r => r.Deleted),
                g.Select(r => r.Partition).FirstOrDefault(p => p is not null),
                g.Select(r => r.Inode).FirstOrDefault(i => i is not null)))
            .OrderBy(s => s.Path, StringComparer.Ordinal)
            .ThenBy(s => s.Locator, LocatorComparer.Instance)
            .ToList();

        var miss = 1.0;
        foreach (var g in findings.GroupBy(f => f.Element, StringComparer.Ordinal))
        {
            miss *= 1 - Math.Clamp(g.Max(f => f.Confidence), 0, 1);
        }

        return new Individual
        {
            Id = id,
            Name = name,
            NameVariants = variants,
            Elements = elements,
            Values = values,
            Sources = sources,
            Confidence = Math.Min(MaxConfidence, 1 - miss),
            JoinedBy = joinedBy,
        };
    }

    private static ExposedValue ToExposed(Fact f) => f.Element switch
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
        Span<byte> id = stackalloc byte[sizeof(ulong)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(id, first.SourceHash);
        return Convert.ToHexStringLower(id);
    }

    /// <summary>The first 8 bytes (big-endian) of SHA-256 over <c>path\0locator</c> (and <c>\0duplicate</c> after the first): an individual's id when the record is its first.</summary>
    private static ulong SourceHash(string path, string locator, int duplicateIndex)
    {
        var text = path + "\0" + locator
            + (duplicateIndex > 0 ? "\0" + duplicateIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    /// <summary>A cluster's first typo partner, and whether it has another.</summary>
    private readonly record struct TypoPartner(int First, bool Many);

    /// <summary>
    /// Element lists and join reasons shared by the individuals and sources that have the same ones (most people have
    /// one of a few element sets): each distinct list is held once. <see cref="Elements"/> may be called from several
    /// threads at once (individuals are built in parallel); <see cref="JoinedBy"/> from one.
    /// </summary>
    private sealed class SharedLists
    {
        private readonly Dictionary<string, IReadOnlyList<string>> _elements = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IReadOnlyList<JoinReason>> _joins = new(StringComparer.Ordinal);

        public IReadOnlyList<string> Elements(List<string> elements)
        {
            var key = string.Join('\n', elements);
            lock (_elements)
            {
                if (!_elements.TryGetValue(key, out var list))
                {
                    _elements[key] = list = [.. elements];
                }

                return list;
            }
        }

        public IReadOnlyList<JoinReason> JoinedBy(IReadOnlyList<JoinReason> reasons)
        {
            if (reasons.Count == 0)
            {
                return reasons;
            }

            var key = string.Join('\n', reasons.Select(r => r.Key + "\t" + r.Records.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (!_joins.TryGetValue(key, out var list))
            {
                _joins[key] = list = reasons;
            }

            return list;
        }
    }

    /// <summary>
    /// A strong identifier as a join key: the join reason and a 64-bit hash of the reason, the licence state (<c>?</c>
    /// when unknown) and the value (<see cref="KeyCache.Hash"/>).
    /// </summary>
    private readonly record struct StrongKey(string Label, long Hash);

    /// <summary>
    /// One (cluster, name) entry of a block keyed by a surname (empty when unused) and two ranked keys
    /// (<see cref="KeyTable"/>; 0 when unused); <see cref="Order"/> keeps the order of addition.
    /// </summary>
    private readonly record struct BlockEntry(string Surname, int Key, int Key2, int Root, ParsedName Name, int Order);

    private enum RecordKind
    {
        Person,
        Mention,
        Orphan,
    }

    /// <summary>Items already in the scan's order, as a reader.</summary>
    private sealed class SortedItems(List<ItemResult> items) : IItemResultReader
    {
        public IEnumerable<ItemResult> Read(CancellationToken cancellationToken) => items;
    }

    /// <summary>What building an individual reads of a finding.</summary>
    private readonly record struct Fact(string Element, string Value, double Confidence, string? State, string? Code, string? Category);

    /// <summary>
    /// What building an individual reads of one record: where it is, its item's disk-image provenance, its facts.
    /// Written to and read from a bucket of the second pass.
    /// </summary>
    private sealed record SourceRecord(string Path, string Locator, bool Deleted, string? Partition, string? Inode, Fact[] Facts)
    {
        /// <summary>Writes the record (read back after its bucket's rank and index by <see cref="Read"/>).</summary>
        public static void Write(BinaryWriter w, PersonRecord record, ItemOrigin? origin)
        {
            w.Write(record.Path);
            w.Write(record.Locator);
            w.Write(origin?.Deleted == true);
            IndividualCodec.WriteNullable(w, origin?.Partition);
            IndividualCodec.WriteNullable(w, origin?.Inode);
            w.Write(record.Findings.Count);
            foreach (var f in record.Findings)
            {
                w.Write(f.Element);
                w.Write(f.Value);
                w.Write(f.Confidence);
                IndividualCodec.WriteNullable(w, f.State);
                IndividualCodec.WriteNullable(w, f.Code);
                IndividualCodec.WriteNullable(w, f.Qualifiers.Sensitivity);
            }
        }

        public static (int Rank, int Index, SourceRecord Record) Read(BinaryReader r, StringPool pool)
        {
            var rank = r.ReadInt32();
            var index = r.ReadInt32();
            var path = pool.Share(r.ReadString());
            var locator = r.ReadString();
            var deleted = r.ReadBoolean();
            var partition = IndividualCodec.ReadNullable(r, pool);
            var inode = IndividualCodec.ReadNullable(r);
            var facts = new Fact[r.ReadInt32()];
            for (var i = 0; i < facts.Length; i++)
            {
                facts[i] = new Fact(pool.Share(r.ReadString()), r.ReadString(), r.ReadDouble(), IndividualCodec.ReadNullable(r, pool), IndividualCodec.ReadNullable(r, pool), IndividualCodec.ReadNullable(r, pool));
            }

            return (rank, index, new SourceRecord(path, locator, deleted, partition, inode, facts));
        }
    }

    /// <summary>
    /// A person record (or a name-only mention) with its join keys precomputed, compactly: distinct values in arrays
    /// (most records have one value per element, none for most elements), join keys as integers
    /// (<see cref="KeyCache"/>): no key string is held per record.
    /// </summary>
    private sealed class RecordInfo
    {
        public RecordInfo(PersonRecord record, int duplicateIndex, ItemOrigin? origin, int[] pathId, bool isMention, NameCache names, KeyCache keys)
        {
            Path = record.Path;
            SourceHash = IdentityResolver.SourceHash(record.Path, record.Locator, duplicateIndex);
            DuplicateIndex = duplicateIndex;
            PathId = pathId;
            IsMention = isMention;
            if (isMention)
            {
                MentionValues = [.. record.Findings.Select(f => f.Value)];
                FirstName = record.Findings.FirstOrDefault(f => f.Element == Elements.Name)?.Value;
                return;
            }

            AllBlock = record.Findings.All(f => f.GroupKind == GroupKind.Block);

            var strong = new List<StrongKey>();
            var ssns = new List<long>();
            var dobs = new List<int>();
            var addresses = new List<int>();
            var contacts = new List<int>();
            var parsed = new List<ParsedName>();
            var middles = new List<char>();
            var generations = new List<string>();
            foreach (var f in record.Findings)
            {
                switch (f.Element)
                {
                    case Elements.Ssn:
                        var ssn = KeyCache.Hash(Elements.Ssn, null, f.Value);
                        ssns.Add(ssn);
                        strong.Add(new StrongKey(Elements.Ssn, ssn));
                        break;
                    case Elements.Itin or Elements.Mbi or Elements.Passport:
                        // The label is the shared constant, not the row's string (which a record would keep alive).
                        var label = f.Element switch { Elements.Itin => Elements.Itin, Elements.Mbi => Elements.Mbi, _ => Elements.Passport };
                        strong.Add(new StrongKey(label, KeyCache.Hash(label, null, f.Value.ToUpperInvariant())));
                        break;
                    case Elements.DriversLicense:
                        strong.Add(new StrongKey(Elements.DriversLicense, KeyCache.Hash(Elements.DriversLicense, f.State is null ? "?" : f.State.ToUpperInvariant(), f.Value.ToUpperInvariant())));
                        break;
                    case Elements.Dob:
                        dobs.Add(keys.Dobs.Id(f.Value, static v => v));
                        break;
                    case Elements.Address:
                        addresses.Add(keys.Addresses.Id(f.Value, AddressKey.Of));
                        break;
                    case Elements.Email:
                        contacts.Add(keys.Contacts.Id(f.Value, static v => KeyCache.EmailPrefix + v.ToLowerInvariant()));
                        break;
                    case Elements.Phone:
                        contacts.Add(keys.Contacts.Id(f.Value, static v => "phone:" + v));
                        break;
                    case Elements.Name:
                        var (readings, _, generation) = names.Of(f.Value);
                        for (var i = 0; i < readings.Count; i++)
                        {
                            parsed.Add(readings[i]);

                            // Middle initials of the usual reading only: "Mary Running Crane" has no middle name R.
                            if (i == 0 && readings[i].Middle.Length > 0)
                            {
                                middles.Add(readings[i].Middle[0]);
                            }
                        }

                        if (generation is { } g)
                        {
                            generations.Add(g);
                        }

                        break;
                }
            }

            StrongKeys = keys.StrongSingles.Of(strong);
            Ssns = keys.SsnSingles.Of(ssns);
            Dobs = keys.Dobs.Singles.Of(dobs);
            Addresses = keys.Addresses.Singles.Of(addresses);
            Contacts = keys.Contacts.Singles.Of(contacts);
            ParsedNames = keys.NameSingles.Of(parsed);
            Middles = keys.MiddleSingles.Of(middles);
            Generations = keys.GenerationSingles.Of(generations);
        }

        /// <summary>Logical path of the record's item (one string per item).</summary>
        public string Path { get; }

        /// <summary>Hash of the record's path, locator and duplicate index (<see cref="SourceHash"/>): its person's id when it is the first.</summary>
        public ulong SourceHash { get; }

        /// <summary>Rank of the record's locator among its path's records (<see cref="RankLocators"/>).</summary>
        public int LocatorRank { get; set; }

        /// <summary>Records of the item before this one with its locator.</summary>
        public int DuplicateIndex { get; }

        /// <summary>A mention's (or orphan's) finding values, the only findings resolution reads of it.</summary>
        public string[] MentionValues { get; } = [];

        /// <summary>A mention's first name as written.</summary>
        public string? FirstName { get; }

        /// <summary>Every finding of the record is in a free-text block.</summary>
        public bool AllBlock { get; }

        /// <summary>Id of the record's path (one array per path, shared by its records).</summary>
        public int[] PathId { get; }

        /// <summary>A name-only record: joins only a person identified in the same document or thread.</summary>
        public bool IsMention { get; }

        /// <summary>A free-text record with details but no name or identifier: joins the one person of its document, if there is one.</summary>
        public bool IsOrphan { get; init; }

        public StrongKey[] StrongKeys { get; } = [];

        /// <summary>Hashes of the SSNs (<see cref="KeyCache.Hash"/>).</summary>
        public long[] Ssns { get; } = [];

        /// <summary>Dates of birth, as ranked keys (<see cref="KeyTable"/>).</summary>
        public int[] Dobs { get; } = [];

        /// <summary>Normalised addresses (<see cref="AddressKey"/>), as ranked keys.</summary>
        public int[] Addresses { get; } = [];

        /// <summary>Email addresses and phone numbers, as ranked keys that only count together with a matching name.</summary>
        public int[] Contacts { get; } = [];

        public ParsedName[] ParsedNames { get; } = [];

        public char[] Middles { get; } = [];

        public string[] Generations { get; } = [];

    }

    /// <summary>
    /// The distinct values of a record's list, in first-seen order: the empty array and, for one value, one array per
    /// distinct value are shared by every record (most records have one SSN, one date of birth, one name), so a share
    /// of millions of records holds an array per value, not per record. Arrays are never changed in place (but
    /// <see cref="KeyCache.Rank"/>'s renumbering, which goes through <see cref="Arrays"/> once each).
    /// </summary>
    private sealed class Singletons<T>
        where T : notnull
    {
        private readonly Dictionary<T, T[]> _arrays = [];

        /// <summary>The shared one-value arrays.</summary>
        public IEnumerable<T[]> Arrays => _arrays.Values;

        public T[] Of(List<T> values)
        {
            switch (values.Count)
            {
                case 0:
                    return [];
                case 1:
                    break;
                default:
                    T[] distinct = [.. values.Distinct()];
                    if (distinct.Length > 1)
                    {
                        return distinct;
                    }

                    break;
            }

            if (!_arrays.TryGetValue(values[0], out var array))
            {
                _arrays[values[0]] = array = [values[0]];
            }

            return array;
        }
    }

    /// <summary>
    /// The join keys of a resolution as integers: strong identifiers and SSNs as 64-bit hashes (<see cref="Hash"/>),
    /// dates of birth, addresses and contacts as ranked ids (<see cref="KeyTable"/>). Records hold these, never the
    /// key strings.
    /// </summary>
    private sealed class KeyCache
    {
        /// <summary>Contact keys of email addresses start with this (and sort before <c>phone:</c>).</summary>
        public const string EmailPrefix = "email:";

        public KeyTable Dobs { get; } = new();

        public KeyTable Addresses { get; } = new();

        public KeyTable Contacts { get; } = new();

        public Singletons<StrongKey> StrongSingles { get; } = new();

        public Singletons<long> SsnSingles { get; } = new();

        public Singletons<ParsedName> NameSingles { get; } = new();

        public Singletons<char> MiddleSingles { get; } = new();

        public Singletons<string> GenerationSingles { get; } = new();

        /// <summary>
        /// A 64-bit hash (XXH3) of a strong key: two keys are taken to be the same when their hashes are. Over the
        /// few million keys of a large share, a collision (two SSNs taken for one) has odds of about one in a million,
        /// and even then the join is one the guards may still refuse.
        /// </summary>
        public static long Hash(string label, string? state, string value) =>
            (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(string.Concat(label, "\0", state, "\0", value).AsSpan()));

        /// <summary>
        /// Renumbers every record's ranked keys in their keys' ordinal order (see <see cref="KeyTable.Rank"/>) and
        /// drops the key strings. Returns the number of email contact keys: their ranks come first.
        /// </summary>
        public int Rank(List<RecordInfo> records)
        {
            var emails = Contacts.Count(static k => k.StartsWith(EmailPrefix, StringComparison.Ordinal));
            var (dobs, addresses, contacts) = (Dobs.Rank(), Addresses.Rank(), Contacts.Rank());
            foreach (var r in records)
            {
                Remap(r.Dobs, dobs);
                Remap(r.Addresses, addresses);
                Remap(r.Contacts, contacts);
            }

            return emails;
        }

        // A record's arrays of several ids are its own: renumbered in place. One-id arrays are shared
        // (Singletons): renumbered once each, by their table.
        private static void Remap(int[] ids, int[] rank)
        {
            for (var i = 0; ids.Length > 1 && i < ids.Length; i++)
            {
                ids[i] = rank[ids[i]];
            }
        }
    }

    /// <summary>
    /// Join keys of one kind as small integers. While records are collected, each distinct key string is held once
    /// and given the next id (a bounded cache of written values spares normalising a repeated value again); then
    /// <see cref="Rank"/> renumbers the ids in the keys' ordinal order and drops the strings, so comparing two ids
    /// orders blocks exactly as comparing the key strings did.
    /// </summary>
    private sealed class KeyTable
    {
        private const int CacheLimit = 1 << 18;

        /// <summary>One-id arrays shared by the records (by id before <see cref="Rank"/>, renumbered by it).</summary>
        public Singletons<int> Singles { get; } = new();

        private readonly Dictionary<string, int> _written = new(StringComparer.Ordinal);
        private Dictionary<string, int> _ids = new(StringComparer.Ordinal);

        /// <summary>The id of <paramref name="value"/>'s key (<paramref name="key"/> of it).</summary>
        public int Id(string value, Func<string, string> key)
        {
            if (!_written.TryGetValue(value, out var id))
            {
                // Bounded: values repeat close together; the table of keys below holds every distinct key once.
                if (_written.Count >= CacheLimit)
                {
                    _written.Clear();
                }

                var k = key(value);
                if (!_ids.TryGetValue(k, out id))
                {
                    _ids[k] = id = _ids.Count;
                }

                _written[value] = id;
            }

            return id;
        }

        /// <summary>Keys that satisfy <paramref name="predicate"/> (before <see cref="Rank"/>).</summary>
        public int Count(Func<string, bool> predicate) => _ids.Keys.Count(predicate);

        /// <summary>For each id, its key's rank in ordinal order; the table is emptied.</summary>
        public int[] Rank()
        {
            var keys = new string[_ids.Count];
            foreach (var (k, id) in _ids)
            {
                keys[id] = k;
            }

            _ids = new(StringComparer.Ordinal);
            _written.Clear();
            var ids = new int[keys.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = i;
            }

            Array.Sort(keys, ids, StringComparer.Ordinal);
            var rank = new int[ids.Length];
            for (var r = 0; r < ids.Length; r++)
            {
                rank[ids[r]] = r;
            }

            foreach (var single in Singles.Arrays)
            {
                single[0] = rank[single[0]];
            }

            return rank;
        }
    }

    /// <summary>
    /// A small set of distinct values held by a cluster: no storage when empty, the record's own array until a merge
    /// grows it, a new array up to <see cref="ArrayLimit"/> values, a hash set beyond (so a big cluster is never
    /// copied again and again). Arrays are never changed in place, so sharing them is safe.
    /// </summary>
    private struct ValueSet<T>
        where T : notnull
    {
        private const int ArrayLimit = 8;
        private object? _items;

        public ValueSet(T[] values) => _items = values.Length == 0 ? null : values;

        public readonly int Count => _items switch
        {
            T[] a => a.Length,
            HashSet<T> h => h.Count,
            _ => 0,
        };

        public readonly bool Contains(T value) => _items switch
        {
            T[] a => Array.IndexOf(a, value) >= 0,
            HashSet<T> h => h.Contains(value),
            _ => false,
        };

        public readonly bool IsSubsetOf(in ValueSet<T> other)
        {
            switch (_items)
            {
                case T[] a:
                    foreach (var v in a)
                    {
                        if (!other.Contains(v))
                        {
                            return false;
                        }
                    }

                    return true;
                case HashSet<T> h:
                    foreach (var v in h)
                    {
                        if (!other.Contains(v))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }

        public readonly bool Overlaps(in ValueSet<T> other)
        {
            if (Count > other.Count)
            {
                return other.Overlaps(this);
            }

            switch (_items)
            {
                case T[] a:
                    foreach (var v in a)
                    {
                        if (other.Contains(v))
                        {
                            return true;
                        }
                    }

                    return false;
                case HashSet<T> h:
                    foreach (var v in h)
                    {
                        if (other.Contains(v))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }

        /// <summary>Pours <paramref name="other"/> into this set; <paramref name="other"/> is left empty.</summary>
        public void Absorb(ref ValueSet<T> other)
        {
            if (other._items is null)
            {
                return;
            }

            if (_items is null || (other._items is HashSet<T> && _items is T[]))
            {
                (_items, other._items) = (other._items, _items);
            }

            switch (_items, other._items)
            {
                case (HashSet<T> h, T[] a):
                    h.UnionWith(a);
                    break;
                case (HashSet<T> h, HashSet<T> o):
                    if (o.Count > h.Count)
                    {
                        (h, o) = (o, h);
                        _items = h;
                    }

                    h.UnionWith(o);
                    break;
                case (T[] a, T[] o):
                    var extra = o.Where(v => Array.IndexOf(a, v) < 0).ToList();
                    if (a.Length + extra.Count <= ArrayLimit)
                    {
                        _items = extra.Count == 0 ? a : [.. a, .. extra];
                    }
                    else
                    {
                        _items = new HashSet<T>(a.Concat(extra));
                    }

                    break;
            }

            other._items = null;
        }
    }

    /// <summary>
    /// Union-find over records, with each cluster's SSNs, DOBs, middle initials, generations, paths, records it
    /// must never merge with, and join reasons, for the guards and <see cref="Individual.JoinedBy"/>.
    /// </summary>
    private sealed class Clusters
    {
        private readonly int[] _parent;
        private readonly ValueSet<long>[] _ssns;
        private readonly ValueSet<int>[] _dobs;
        private readonly ValueSet<char>[] _middles;
        private readonly ValueSet<string>[] _generations;
        private readonly ValueSet<int>[] _paths;
        private readonly List<int>?[] _never;
        private readonly List<(string Reason, int Records)>?[] _joins;

        public Clusters(List<RecordInfo> records, List<(int Child, int Parent)> neverMerge)
        {
            var n = records.Count;
            _parent = new int[n];
            _ssns = new ValueSet<long>[n];
            _dobs = new ValueSet<int>[n];
            _middles = new ValueSet<char>[n];
            _generations = new ValueSet<string>[n];
            _paths = new ValueSet<int>[n];
            _never = new List<int>?[n];
            _joins = new List<(string, int)>?[n];
            for (var i = 0; i < n; i++)
            {
                _parent[i] = i;
                _ssns[i] = new(records[i].Ssns);
                _dobs[i] = new(records[i].Dobs);
                _middles[i] = new(records[i].Middles);
                _generations[i] = new(records[i].Generations);
                _paths[i] = new(records[i].PathId);
            }

            foreach (var (child, parent) in neverMerge)
            {
                (_never[child] ??= []).Add(parent);
                (_never[parent] ??= []).Add(child);
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

        /// <summary>How much a cluster says about who it is: SSNs, dates of birth, middle initials, generations.</summary>
        public int Weight(int root) => _ssns[root].Count + _dobs[root].Count + _middles[root].Count + _generations[root].Count;

        public bool SharePath(int a, int b) => _paths[Find(a)].Overlaps(_paths[Find(b)]);

        /// <summary>Reasons the cluster's records were joined, sorted by key.</summary>
        public IReadOnlyList<JoinReason> JoinedBy(int root) =>
            _joins[Find(root)] is { } joins
                ? [.. joins.OrderBy(j => j.Reason, StringComparer.Ordinal).Select(j => new JoinReason(j.Reason, j.Records))]
                : [];

        /// <summary>Whether two clusters may be joined, or the guards tell them apart.</summary>
        public bool CanUnion(int a, int b, bool weak)
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

            if (weak && (Disjoint(_dobs[ra], _dobs[rb]) || Disjoint(_middles[ra], _middles[rb]) || Disjoint(_generations[ra], _generations[rb])))
            {
                return false;
            }

            // A dependent and the household record around it are two people.
            return !Forbids(ra, rb) && !Forbids(rb, ra);
        }

        /// <summary>Joins two clusters unless that would merge people the guards tell apart.</summary>
        public bool TryUnion(int a, int b, bool weak, string reason)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb)
            {
                return true;
            }

            if (!CanUnion(ra, rb, weak))
            {
                return false;
            }

            // The lower index stays root so the outcome does not depend on hash order.
            var (root, child) = ra < rb ? (ra, rb) : (rb, ra);
            _parent[child] = root;
            _ssns[root].Absorb(ref _ssns[child]);
            _dobs[root].Absorb(ref _dobs[child]);
            _middles[root].Absorb(ref _middles[child]);
            _generations[root].Absorb(ref _generations[child]);
            _paths[root].Absorb(ref _paths[child]);
            if (_never[child] is { } never)
            {
                (_never[root] ??= []).AddRange(never);
                _never[child] = null;
            }

            var joins = _joins[root] ??= [];
            if (_joins[child] is { } childJoins)
            {
                foreach (var (key, count) in childJoins)
                {
                    Count(joins, key, count);
                }

                _joins[child] = null;
            }

            Count(joins, reason, 1);
            return true;
        }

        // A handful of join reasons per cluster: a list searched in place is smaller than a dictionary.
        private static void Count(List<(string Reason, int Records)> joins, string reason, int records)
        {
            for (var i = 0; i < joins.Count; i++)
            {
                if (joins[i].Reason == reason)
                {
                    joins[i] = (reason, joins[i].Records + records);
                    return;
                }
            }

            joins.Add((reason, records));
        }

        private bool Forbids(int root, int other)
        {
            if (_never[root] is not { } never)
            {
                return false;
            }

            var found = false;
            for (var i = 0; i < never.Count; i++)
            {
                never[i] = Find(never[i]);
                found |= never[i] == other;
            }

            // Kept as distinct current roots, so that a person repeated beside the same dependent in many forms is
            // one entry, not one per form.
            if (never.Count > 8)
            {
                var distinct = new HashSet<int>(never);
                if (distinct.Count < never.Count)
                {
                    never.Clear();
                    never.AddRange(distinct.Order());
                }
            }

            return found;
        }

        private static bool Disjoint<T>(in ValueSet<T> x, in ValueSet<T> y)
            where T : notnull => x.Count > 0 && y.Count > 0 && !x.Overlaps(y);
    }

    /// <summary>Parsed forms of each distinct written name, folded once per resolution (names repeat a lot).</summary>
    private sealed class NameCache
    {
        private const int CacheLimit = 1 << 18;

        private readonly Dictionary<string, (List<ParsedName> Readings, List<string> Tokens, string? Generation)> _cache = new(StringComparer.Ordinal);
        private readonly Dictionary<ParsedName, ParsedName> _parsed = [];

        public (List<ParsedName> Readings, List<string> Tokens, string? Generation) Of(string name)
        {
            if (!_cache.TryGetValue(name, out var facts))
            {
                // Bounded: a share of millions of people must not keep every name it ever saw (names repeat close
                // together, in one file or one folder, so a cache of recent names serves almost every look-up).
                if (_cache.Count >= CacheLimit)
                {
                    _cache.Clear();
                }

                var readings = NameMatcher.Readings(name);
                for (var i = 0; i < readings.Count; i++)
                {
                    readings[i] = Shared(readings[i]);
                }

                _cache[name] = facts = (readings, NameMatcher.Tokens(name), NameMatcher.Generation(name));
            }

            return facts;
        }

        // One object per distinct parsed name for the whole resolution: records keep the parsed names they were
        // given, and a name met again after the cache was cleared must not be a second copy held by every record.
        private ParsedName Shared(ParsedName name)
        {
            if (_parsed.TryGetValue(name, out var shared))
            {
                return shared;
            }

            _parsed[name] = name;
            return name;
        }

        public bool IsFull(string name) => Of(name).Readings.Count > 0;
    }

    /// <summary>Staff names gathered across records, one entry per folded name.</summary>
    private sealed class StaffList
    {
        private readonly Dictionary<string, (Dictionary<string, int> Written, HashSet<string> Roles, HashSet<(string Path, string Locator)> Sources)> _byName =
            new(StringComparer.Ordinal);

        public void Add(Finding name, string role, string path, string locator)
        {
            var tokens = NameMatcher.Tokens(name.Value);
            if (tokens.Count == 0)
            {
                return;
            }

            var key = string.Join(' ', tokens);
            if (!_byName.TryGetValue(key, out var entry))
            {
                _byName[key] = entry = (new Dictionary<string, int>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), []);
            }

            entry.Written[name.Value] = entry.Written.GetValueOrDefault(name.Value) + 1;
            entry.Roles.Add(role);
            entry.Sources.Add((path, locator));
        }

        public IReadOnlyList<StaffMember> Build() =>
        [
            .. _byName
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new StaffMember(
                    kv.Value.Written
                        .OrderByDescending(w => w.Value)
                        .ThenByDescending(w => w.Key.Length)
                        .ThenBy(w => w.Key, StringComparer.Ordinal)
                        .First().Key,
                    kv.Value.Roles.Contains(ProviderRole) ? ProviderRole : StaffRole,
                    [.. kv.Value.Sources
                        .OrderBy(s => s.Path, StringComparer.Ordinal)
                        .ThenBy(s => s.Locator, LocatorComparer.Instance)
                        .Select(s => new SourceRef(s.Path, s.Locator, [Elements.Name]))])),
        ];
    }
}
