using PiiScanner.Detection;
using PiiScanner.Index;
using PiiScanner.Resolution;

namespace PiiScanner.Notification;

/// <summary>
/// What the index's sources hold, looked up by (path, locator): the findings of the records there (their element,
/// value and state, which is all the decision reads) and the modification time of the file. Built once per decision
/// from the scan's items as they stream past; with <c>elements</c>, only findings of those elements are kept (the
/// residence needs addresses only; a review narrows people by every element).
/// </summary>
internal sealed class SourceFacts
{
    private readonly Dictionary<(string Path, string Locator), SourceFact[]> _findings = [];
    private readonly Dictionary<string, DateTimeOffset> _modified = new(StringComparer.Ordinal);

    public SourceFacts(IEnumerable<ItemResult> items, IReadOnlySet<string>? elements = null)
    {
        foreach (var item in items)
        {
            if (item.File.Modified is { } modified)
            {
                _modified[item.File.Path] = modified;
            }

            foreach (var record in item.Records)
            {
                var kept = new List<SourceFact>(record.Findings.Count);
                foreach (var f in record.Findings)
                {
                    if (elements is null || elements.Contains(f.Element))
                    {
                        kept.Add(new SourceFact(f.Element, f.Value, f.State));
                    }
                }

                if (kept.Count == 0)
                {
                    continue;
                }

                var key = (record.Path, record.Locator);
                _findings[key] = _findings.TryGetValue(key, out var list) ? [.. list, .. kept] : [.. kept];
            }
        }
    }

    /// <summary>The findings of the records at a source; empty when the scan's records are not at hand.</summary>
    public IReadOnlyList<SourceFact> At(SourceRef source) =>
        _findings.TryGetValue((source.Path, source.Locator), out var list) ? list : [];

    /// <summary>When the file of a source was last modified: its own time, else its outermost container's.</summary>
    public DateTimeOffset? Modified(string path)
    {
        if (_modified.TryGetValue(path, out var time))
        {
            return time;
        }

        var bang = path.IndexOf('!', StringComparison.Ordinal);
        return bang > 0 && _modified.TryGetValue(path[..bang], out time) ? time : null;
    }

    /// <summary>
    /// The person narrowed to <paramref name="kept"/> sources: elements from those sources, values found in their
    /// records (every value of a kept element when the records are not at hand), the name when one of its forms
    /// is there. Null when nothing is kept.
    /// </summary>
    public Individual? Narrow(Individual person, IReadOnlyList<SourceRef> kept)
    {
        if (kept.Count == 0)
        {
            return null;
        }

        var elements = ElementOrder.Sort(kept.SelectMany(s => s.Elements));
        var found = kept.SelectMany(At).ToList();
        var values = new SortedDictionary<string, IReadOnlyList<ExposedValue>>(ElementOrder.Comparer);
        foreach (var (element, list) in person.Values)
        {
            if (!elements.Contains(element))
            {
                continue;
            }

            var here = found.Count == 0
                ? list
                : list.Where(v => found.Exists(f => f.Element == element && f.Value == v.Value)).ToList();
            if (here.Count > 0)
            {
                values[element] = here;
            }
        }

        var forms = person.Name is null ? person.NameVariants : [person.Name, .. person.NameVariants];
        var name = found.Count == 0
            ? (elements.Contains(Elements.Name) ? person.Name : null)
            : forms.FirstOrDefault(n => found.Exists(f => f.Element == Elements.Name && f.Value == n));
        return person with
        {
            Name = name,
            NameVariants = [.. person.NameVariants.Where(v => v != name && (found.Count == 0 || found.Exists(f => f.Element == Elements.Name && f.Value == v)))],
            Elements = elements,
            Values = values,
            Sources = kept,
        };
    }
}

/// <summary>What the decision reads of a finding at a source.</summary>
internal readonly record struct SourceFact(string Element, string Value, string? State);
