using PiiScanner.Detection;

namespace PiiScanner.Resolution;

/// <summary>
/// Decides which records are people. A record becomes (part of) an individual only when it holds
/// <list type="bullet">
/// <item>a strong identifier — <c>ssn</c>, <c>itin</c>, <c>driversLicense</c>, <c>passport</c> or <c>mbi</c>,
/// numbers issued to exactly one person — or</item>
/// <item>a full name (given name and surname) plus at least one other element (a date of birth, an address, a
/// diagnosis, an account…) other than a prescriber's NPI or DEA number or a phone number or email address alone.</item>
/// </list>
/// Everything else belongs to nobody and creates no individual: a lone date of birth, a medical term in a
/// brochure, a name on its own or with only a phone number or email (a staff directory), a surname on its own
/// (<c>Ms. Doe</c>) with a diagnosis, an email address or card number with no name. Such findings still appear in <c>findings.jsonl</c>; a name-only mention may still
/// attach to a person identified in the same document (see <see cref="IdentityResolver"/>). Stateless.
/// </summary>
internal static class PersonPolicy
{
    /// <summary>Elements that identify one person on their own.</summary>
    public static IReadOnlyList<string> StrongElements { get; } =
        [Elements.Ssn, Elements.Itin, Elements.DriversLicense, Elements.Passport, Elements.Mbi];

    /// <summary>Whether the record is (part of) a person under the policy above.</summary>
    public static bool IsPerson(PersonRecord record) => IsPerson(record, static name => NameMatcher.Parse(name) is not null);

    /// <summary>The policy, with a (cached) test of whether a written name has a given name and surname.</summary>
    internal static bool IsPerson(PersonRecord record, Func<string, bool> isFullName)
    {
        ArgumentNullException.ThrowIfNull(record);
        var hasName = false;
        var hasOther = false;
        foreach (var f in record.Findings)
        {
            if (StrongElements.Contains(f.Element))
            {
                return true;
            }

            if (f.Element == Elements.Name)
            {
                hasName = hasName || isFullName(f.Value);
            }
            else if (f.Element is not (Elements.Npi or Elements.Dea or Elements.Phone or Elements.Email))
            {
                // A phone number or email beside a name is a directory entry, not an exposure to notify anyone of;
                // with anything else in the record they still join the person's records.
                hasOther = true;
            }
        }

        return hasName && hasOther;
    }
}
