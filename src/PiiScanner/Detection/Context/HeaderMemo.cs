using System.Collections.Concurrent;

namespace PiiScanner.Detection;

/// <summary>
/// What a detector reads from a column header, label or key path, worked out once per header text rather than once
/// per row: a table repeats the same few headers on every row. Thread-safe (the value is a pure function of the
/// header, so a race only computes it twice); remembers at most <see cref="MaxHeaders"/> headers, and works out the
/// rest on each call, so a stream of distinct headers cannot grow it without bound.
/// </summary>
/// <typeparam name="T">What the header gives.</typeparam>
internal sealed class HeaderMemo<T>(Func<string, T> compute)
{
    /// <summary>Most headers remembered.</summary>
    internal const int MaxHeaders = 10_000;

    private readonly ConcurrentDictionary<string, T> _known = new(StringComparer.Ordinal);

    /// <summary>What <paramref name="header"/> gives.</summary>
    public T this[string header]
    {
        get
        {
            if (_known.TryGetValue(header, out var value))
            {
                return value;
            }

            value = compute(header);
            if (_known.Count < MaxHeaders)
            {
                _known.TryAdd(header, value);
            }

            return value;
        }
    }
}
