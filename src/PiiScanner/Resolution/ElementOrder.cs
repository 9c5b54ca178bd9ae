using PiiScanner.Detection;

namespace PiiScanner.Resolution;

/// <summary>
/// The output contract's element order: <c>name, address, ssn, driversLicense, dob, medical</c>, then every other
/// element in ordinal (alphabetical) order.
/// </summary>
internal static class ElementOrder
{
    public static IComparer<string> Comparer { get; } = Comparer<string>.Create(Compare);

    public static int Compare(string? x, string? y)
    {
        var ix = Rank(x);
        var iy = Rank(y);
        return ix != iy ? ix.CompareTo(iy) : string.CompareOrdinal(x, y);
    }

    /// <summary>The distinct elements, in order (a person's or a source's: a handful, so no hash set).</summary>
    public static List<string> Sort(IEnumerable<string> elements)
    {
        var list = new List<string>();
        foreach (var element in elements)
        {
            if (!Contains(list, element))
            {
                list.Add(element);
            }
        }

        list.Sort(Comparer);
        return list;
    }

    private static bool Contains(List<string> list, string element)
    {
        foreach (var e in list)
        {
            if (string.Equals(e, element, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // The leading six in contract order, then the rest (null among them, first by ordinal order).
    private static int Rank(string? element) => element switch
    {
        null => 6,
        Elements.Name => 0,
        Elements.Address => 1,
        Elements.Ssn => 2,
        Elements.DriversLicense => 3,
        Elements.Dob => 4,
        Elements.Medical => 5,
        _ => 6,
    };
}
