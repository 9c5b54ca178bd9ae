using PiiScanner.Detection.Identifiers;
using PiiScanner.Detection;

namespace PiiScanner.Resolution;

/// <summary>
/// Gives a driver's licence found without a state the state of the record's address, when the record holds
/// addresses in exactly one state and the number has a format that state issues. Stateless and thread-safe.
/// </summary>
internal static class LicenceStateFromAddress
{
    /// <summary>Context recorded in the evidence of a licence whose state came from the address.</summary>
    public const string ContextWord = "address-state";

    /// <summary>Returns the record with state-less licences completed, or the same instance when nothing changes.</summary>
    public static PersonRecord Apply(PersonRecord record, DriversLicenseRules rules)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(rules);
        var findings = record.Findings;
        if (!findings.Any(f => f.Element == Elements.DriversLicense && f.State is null))
        {
            return record;
        }

        var states = findings.Where(f => f.Element == Elements.Address && f.State is not null)
            .Select(f => f.State!.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();

        // Addresses in two states (home and work, an old address) say nothing about the issuing state.
        if (states.Count != 1 || !rules.ByCode.TryGetValue(states[0], out var formats))
        {
            return record;
        }

        List<Finding>? updated = null;
        for (var i = 0; i < findings.Count; i++)
        {
            var dl = findings[i];
            if (dl.Element == Elements.DriversLicense && dl.State is null && formats.Match(dl.Value) is not null)
            {
                updated ??= [.. findings];
                updated[i] = dl with { State = states[0], Evidence = dl.Evidence with { ContextWord = dl.Evidence.ContextWord ?? ContextWord } };
            }
        }

        return updated is null ? record : record with { Findings = updated };
    }
}
