namespace PiiScanner.Detection.Addresses;

/// <summary>USPS two-letter codes of the states, DC, the territories and the military "states".</summary>
internal static class UsStates
{
    private static readonly HashSet<string> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
        "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
        "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
        "DC",
        "PR", "GU", "VI", "AS", "MP",

        // Military mail: Armed Forces Americas, Europe, Pacific.
        "AA", "AE", "AP",
    };

    /// <summary>Whether <paramref name="code"/> is a USPS state, DC, territory or military code.</summary>
    public static bool IsValid(string code) => code.Length == 2 && Codes.Contains(code);
}
