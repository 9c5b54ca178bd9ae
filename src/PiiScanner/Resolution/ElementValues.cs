using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace PiiScanner.Resolution;

/// <summary>
/// An individual's exposed values by element, in <see cref="ElementOrder"/>: two arrays searched in place (a person
/// has a handful of elements), far smaller than a tree of nodes per person. Immutable.
/// </summary>
internal sealed class ElementValues : IReadOnlyDictionary<string, IReadOnlyList<ExposedValue>>
{
    private readonly string[] _elements;
    private readonly IReadOnlyList<ExposedValue>[] _values;

    public ElementValues(IEnumerable<(string Element, IReadOnlyList<ExposedValue> Values)> entries)
    {
        var sorted = entries.ToList();
        sorted.Sort((a, b) => ElementOrder.Compare(a.Element, b.Element));
        _elements = [.. sorted.Select(e => e.Element)];
        _values = [.. sorted.Select(e => e.Values)];
    }

    public int Count => _elements.Length;

    public IEnumerable<string> Keys => _elements;

    public IEnumerable<IReadOnlyList<ExposedValue>> Values => _values;

    public IReadOnlyList<ExposedValue> this[string key] => TryGetValue(key, out var values) ? values : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => Array.IndexOf(_elements, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyList<ExposedValue> value)
    {
        var i = Array.IndexOf(_elements, key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, IReadOnlyList<ExposedValue>>> GetEnumerator()
    {
        for (var i = 0; i < _elements.Length; i++)
        {
            yield return new KeyValuePair<string, IReadOnlyList<ExposedValue>>(_elements[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
