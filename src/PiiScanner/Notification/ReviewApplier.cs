using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PiiScanner.Resolution;

namespace PiiScanner.Notification;

/// <summary>Applies a <see cref="Review"/> to the index's individuals: out of scope, split, merge, exclude.</summary>
internal static class ReviewApplier
{
    public const string SplitKey = "review:split", MergeKey = "review:merge";

    /// <summary>The reviewed people (sorted by id), the excluded ones with the reason, a note per changed id, and the log.</summary>
    public static (IReadOnlyList<Individual> People, List<(Individual Person, string? Reason)> Excluded, Dictionary<string, string> Notes, List<ReviewAction> Log) Apply(
        IReadOnlyList<Individual> individuals, Review review, SourceFacts facts)
    {
        if (review.IsEmpty)
        {
            // Nothing to change: the index as it is (it streams; it is not copied into memory).
            return (individuals, [], new Dictionary<string, string>(StringComparer.Ordinal), []);
        }

        var people = individuals.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        var log = new List<ReviewAction>();

        foreach (var scope in review.OutOfScope)
        {
            int narrowed = 0, removed = 0;
            foreach (var person in people.Values.ToList())
            {
                var kept = person.Sources.Where(s => !InScope(scope.Path, s.Path)).ToList();
                if (kept.Count == person.Sources.Count)
                {
                    continue;
                }

                if (facts.Narrow(person, kept) is { } narrower)
                {
                    people[person.Id] = narrower;
                    Note(notes, person.Id, "sources out of scope removed");
                    narrowed++;
                }
                else
                {
                    people.Remove(person.Id);
                    removed++;
                }
            }

            log.Add(new ReviewAction("outOfScope", scope.Path, scope.Reason, narrowed + removed > 0, Count(narrowed, "individual") + " narrowed, " + Count(removed, "individual") + " removed"));
        }

        foreach (var split in review.Splits)
        {
            if (!people.TryGetValue(split.Id, out var person))
            {
                log.Add(new ReviewAction("split", split.Id, split.Reason, false, "no such individual"));
                continue;
            }

            var moved = person.Sources.Where(s => split.Sources.Contains((s.Path, s.Locator))).ToList();
            var kept = person.Sources.Where(s => !moved.Contains(s)).ToList();
            if (moved.Count == 0 || kept.Count == 0)
            {
                log.Add(new ReviewAction("split", split.Id, split.Reason, false, moved.Count == 0 ? "none of the sources belong to it" : "every source would move"));
                continue;
            }

            var newId = SplitId(person.Id, moved[0]);
            people[person.Id] = facts.Narrow(person, kept)!;
            people[newId] = facts.Narrow(person, moved)! with { Id = newId, JoinedBy = [new JoinReason(SplitKey, moved.Count)], Household = [] };
            Note(notes, person.Id, "split by review");
            Note(notes, newId, "split from " + person.Id + " by review");
            log.Add(new ReviewAction("split", split.Id, split.Reason, true, Count(moved.Count, "source") + " moved to new individual " + newId));
        }

        foreach (var merge in review.Merges)
        {
            var missing = merge.Ids.Where(id => !people.ContainsKey(id)).ToList();
            var target = string.Join(" + ", merge.Ids);
            if (missing.Count > 0)
            {
                log.Add(new ReviewAction("merge", target, merge.Reason, false, "no such individual: " + string.Join(", ", missing)));
                continue;
            }

            var group = merge.Ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(id => people[id]).ToList();
            var merged = Merge(group);
            foreach (var p in group)
            {
                people.Remove(p.Id);
            }

            people[merged.Id] = merged;
            Note(notes, merged.Id, "merged by review (" + string.Join(", ", group.Select(p => p.Id)) + ")");
            log.Add(new ReviewAction("merge", target, merge.Reason, true, Count(group.Count, "individual") + " merged into " + merged.Id));
        }

        var excluded = new List<(Individual, string?)>();
        foreach (var exclude in review.Excludes)
        {
            var found = people.Remove(exclude.Id, out var person);
            if (found)
            {
                excluded.Add((person!, exclude.Reason));
            }

            log.Add(new ReviewAction("exclude", exclude.Id, exclude.Reason, found, found ? "not notified" : "no such individual"));
        }

        return ([.. people.Values.OrderBy(p => p.Id, StringComparer.Ordinal)], excluded, notes, log);
    }

    /// <summary>True when <paramref name="path"/> is the scope itself or lies below it (a folder or a container).</summary>
    private static bool InScope(string scope, string path)
    {
        var prefix = scope.TrimEnd('/');
        return path == prefix
            || (path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.Ordinal) && path[prefix.Length] is '/' or '!');
    }

    private static Individual Merge(List<Individual> group)
    {
        var first = group[0];
        var values = new SortedDictionary<string, IReadOnlyList<ExposedValue>>(ElementOrder.Comparer);
        foreach (var element in group.SelectMany(p => p.Values.Keys).Distinct(StringComparer.Ordinal))
        {
            values[element] = group
                .SelectMany(p => p.Values.TryGetValue(element, out var list) ? list : [])
                .Distinct()
                .OrderBy(v => v.Value, StringComparer.Ordinal)
                .ThenBy(v => v.State, StringComparer.Ordinal)
                .ToList();
        }

        var name = group.Select(p => p.Name).FirstOrDefault(n => n is not null);
        var joined = group.SelectMany(p => p.JoinedBy)
            .Append(new JoinReason(MergeKey, group.Count - 1))
            .GroupBy(j => j.Key, StringComparer.Ordinal)
            .Select(g => new JoinReason(g.Key, g.Sum(j => j.Records)))
            .OrderBy(j => j.Key, StringComparer.Ordinal)
            .ToList();
        var ids = group.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        return first with
        {
            Name = name,
            NameVariants = [.. group.SelectMany(p => p.Name is null ? p.NameVariants : [p.Name, .. p.NameVariants]).Where(n => n != name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Elements = ElementOrder.Sort(group.SelectMany(p => p.Elements)),
            Values = values,
            Sources = [.. group.SelectMany(p => p.Sources).Distinct().OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.Locator, LocatorComparer.Instance)],
            Confidence = group.Max(p => p.Confidence),
            JoinedBy = joined,
            Household = [.. group.SelectMany(p => p.Household).Where(h => !ids.Contains(h)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    private static string SplitId(string id, SourceRef first)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(id + "\0split\0" + first.Path + "\0" + first.Locator));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    private static void Note(Dictionary<string, string> notes, string id, string note) =>
        notes[id] = notes.TryGetValue(id, out var existing) ? existing + "; " + note : note;

    private static string Count(int n, string noun) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");
}
