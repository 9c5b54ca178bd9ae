using System.Runtime.CompilerServices;

namespace PiiScanner.Detection.Matching;

/// <summary>
/// A pure function of a header (a column name, a field name, a label) remembered, per thread, for the last headers
/// seen: the rows of a table repeat the same name strings, so each name is worked out once per table, not once per
/// cell. Keyed by the string instance (an equal string from elsewhere is worked out again, with the same result).
/// Thread-safe.
/// </summary>
/// <typeparam name="T">What the function gives.</typeparam>
internal sealed class HeaderMemo<T>(Func<string, T> compute)
{
    private const int Slots = 64;
    private readonly ThreadLocal<Entry[]> _slots = new(() => new Entry[Slots]);

    /// <summary>The function's value for <paramref name="header"/>.</summary>
    public T Of(string header)
    {
        ref var slot = ref _slots.Value![RuntimeHelpers.GetHashCode(header) & (Slots - 1)];
        if (!ReferenceEquals(slot.Key, header))
        {
            slot = new Entry(header, compute(header));
        }

        return slot.Value;
    }

    private readonly record struct Entry(string? Key, T Value);
}
