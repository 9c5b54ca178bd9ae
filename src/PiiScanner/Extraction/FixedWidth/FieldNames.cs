namespace PiiScanner.Extraction.FixedWidth;

/// <summary>
/// Turns mainframe field names into the header words detection knows: <c>CLT-SSN</c> → <c>ssn</c>,
/// <c>BIRTH-DT</c> / <c>DOB-CCYYMMDD</c> → <c>date of birth</c>, <c>LAST-NAME</c> / <c>LST-NM</c> →
/// <c>last name</c>, <c>MBR-LAST</c> → <c>last name</c>, <c>ADDR-LINE-1</c> → <c>street</c>, <c>ZIP-CODE</c> → <c>zip</c>. Names it does not know
/// are returned as they are (detection splits <c>PART-NO</c> into words itself). Stateless and thread-safe.
/// </summary>
internal static class FieldNames
{
    private static readonly HashSet<string> PersonPrefixes = new(StringComparer.Ordinal)
    {
        "clt", "client", "cust", "customer", "pt", "pat", "patient", "emp", "employee", "mbr", "member", "ins",
        "insured", "person", "full", "applicant", "appl", "sub", "subscriber", "bene", "beneficiary", "name",
    };

    /// <summary>The header words for <paramref name="name"/>, or <paramref name="name"/> itself.</summary>
    public static string Canonical(string name)
    {
        var tokens = name.ToLowerInvariant()
            .Split(['-', '_', ' ', '.'], StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);
        bool Has(params string[] any) => any.Any(tokens.Contains);

        var isName = Has("name", "nm", "nam");
        if (Has("ssn", "ssno", "socsec") || (Has("soc", "social") && Has("sec", "security")) || (Has("ss") && Has("no", "num", "nbr")))
        {
            return "ssn";
        }

        if (Has("dob", "birth", "brth", "bdate", "birthdate", "bdt"))
        {
            return "date of birth";
        }

        // MBR-LAST and MBR-FIRST under an MBR-NAME group: the word "name" is only on the group.
        var personOnly = tokens.Count(t => !PersonPrefixes.Contains(t)) == 1;
        if (Has("lname", "surname") || ((isName || personOnly) && Has("last", "lst", "sur", "family")))
        {
            return "last name";
        }

        if (Has("fname", "forename") || ((isName || personOnly) && Has("first", "frst", "fst", "given")))
        {
            return "first name";
        }

        if (Has("mname", "mi") || (Has("middle", "mid") && (isName || Has("init", "initial", "int"))))
        {
            return "middle name";
        }

        if (isName && tokens.All(t => t is "name" or "nm" or "nam" || PersonPrefixes.Contains(t) || t.All(char.IsDigit)))
        {
            return "name";
        }

        var address = Has("addr", "address", "adr", "street", "str", "strt");
        if (address && (Has("2", "line2", "addr2") || Has("apt", "unit")))
        {
            return "address line 2";
        }

        if (address || Has("addr1", "address1"))
        {
            return "street";
        }

        if (Has("city", "cty", "town"))
        {
            return "city";
        }

        if (Has("state", "st", "stcd", "state-cd") && !Has("status"))
        {
            return "state";
        }

        if (Has("zip", "zipcode", "zip5", "postal", "postcode"))
        {
            return Has("4", "plus4", "zip4", "ext", "sfx") ? "zip plus four" : "zip";
        }

        if (Has("phone", "phn", "tel", "telephone"))
        {
            return "phone";
        }

        return name;
    }
}
