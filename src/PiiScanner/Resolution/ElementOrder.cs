using PiiScanner.Detection;

namespace PiiScanner.Resolution;

/// <summary>
/// The output contract's element order: <c>name, address, ssn, driversLicense, dob, medical</c>, then every other
/// element in ordinal (alphabetical) order.
/// </summary>
internal static class ElementOrder
{
    private static readonly string[] Leading =
        [Elements.Name, Elements.Address, Elements.Ssn, Elements.DriversLicense, Elements.Dob, Elements.Medical];

    public static IComparer<string> Comparer { get; } = Comparer<string>.Create(Compare);

    public static int Compare(string? x, string? y)
    {
        var ix = x is null ? -1 : Array.IndexOf(Leading, x);
        var iy = y is null ? -1 : Array.IndexOf(Leading, y);
        ix = ix < 0 ? Leading.Length : ix;
        iy = iy < 0 ? Leading.Length : iy;
        return ix != iy ? ix.CompareTo(iy) : string.CompareOrdinal(x, y);
    }

    public static List<string> Sort(IEnumerable<string> elements)
    {
        var list = elements.Distinct(StringComparer.Ordinal).ToList();
        list.Sort(Comparer);
        return list;
    }
}
