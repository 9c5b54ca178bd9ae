namespace PiiScanner.Extraction.Tables;

/// <summary>Words that column headers are made of (<c>First Name</c>, <c>ZIP</c>, <c>DOB</c>, <c>Order #</c>). Stateless.</summary>
internal static class HeaderWords
{
    private static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "names", "first", "last", "middle", "mi", "given", "surname", "family", "fname", "lname", "full",
        "ssn", "social", "security", "tin", "itin", "dob", "birth", "birthdate", "birthday", "born", "date", "dt",
        "address", "addr", "street", "city", "town", "state", "st", "zip", "zipcode", "postal", "postcode", "code",
        "county", "country", "phone", "tel", "telephone", "mobile", "cell", "fax", "email", "mail", "e-mail",
        "id", "no", "num", "number", "nbr", "#", "account", "acct", "amount", "total", "price", "qty", "quantity",
        "type", "status", "description", "desc", "gender", "sex", "age", "member", "patient", "client", "customer",
        "employee", "order", "invoice", "item", "product", "sku", "notes", "note", "comment", "comments", "created",
        "updated", "time", "year", "month", "value", "key", "title", "company", "dept", "department", "license",
        "licence", "dl", "mrn", "policy", "group", "plan", "balance", "paid", "due", "unit", "apt", "suite",
    };

    /// <summary>True when one of the cell's words (split at spaces, punctuation and camelCase) is a header word.</summary>
    public static bool IsHeaderWord(string cell)
    {
        var start = -1;
        for (var i = 0; i <= cell.Length; i++)
        {
            var boundary = i == cell.Length
                || !char.IsLetter(cell[i])
                || (i > 0 && char.IsUpper(cell[i]) && char.IsLower(cell[i - 1]));
            if (boundary && start >= 0)
            {
                if (Words.Contains(cell[start..i]))
                {
                    return true;
                }

                start = -1;
            }

            if (i < cell.Length && char.IsLetter(cell[i]) && start < 0)
            {
                start = i;
            }
        }

        return cell.Contains('#', StringComparison.Ordinal)
            || cell.StartsWith("first", StringComparison.OrdinalIgnoreCase)
            || cell.StartsWith("last", StringComparison.OrdinalIgnoreCase)
            || cell.StartsWith("zip", StringComparison.OrdinalIgnoreCase);
    }
}
