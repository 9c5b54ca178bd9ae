namespace PiiScanner.Detection.Licences;

/// <summary>The verdict of checking a licence number against a person's name and date of birth.</summary>
internal enum LicenceCheckOutcome
{
    /// <summary>The state has no name/DOB encoding, or the number is not in the encoded layout (e.g. a newer random number).</summary>
    NotApplicable,

    /// <summary>Every part the scheme encodes matches: the number was issued to this name and birth date.</summary>
    Match,

    /// <summary>
    /// The surname and birth-date parts match but the scheme encodes less (a surname-only or date-only scheme), or
    /// only a first-name / middle-initial part differs (nicknames, a missing middle name): strong evidence, not proof.
    /// </summary>
    PartialMatch,

    /// <summary>A surname or birth-date part contradicts the person.</summary>
    Mismatch,
}

/// <summary>One encoded part of a licence number compared with what the person's data gives.</summary>
/// <param name="Name">Part name: <c>surname</c>, <c>firstName</c>, <c>middleInitial</c>, <c>birthYear</c>, <c>birthDate</c>, <c>sex</c>, <c>checksum</c>…</param>
/// <param name="Expected">What the person's data encodes to (e.g. <c>D120</c>); for alternatives, joined with <c>|</c>.</param>
/// <param name="Actual">What the number holds.</param>
/// <param name="Matched">Whether they agree.</param>
/// <param name="Decisive">Whether the part counts for the outcome (a checksum or inferred sex is informational).</param>
internal sealed record LicencePart(string Name, string Expected, string Actual, bool Matched, bool Decisive = true);

/// <summary>Result of <see cref="LicenceEncodings.Check"/>.</summary>
/// <param name="State">The state checked.</param>
/// <param name="Outcome">The verdict.</param>
/// <param name="Scheme">Which encoding was applied (<c>soundex-fl</c>, <c>wa-pre2018</c>…), null when not applicable.</param>
/// <param name="Parts">Every part compared, in number order.</param>
internal sealed record LicenceCheck(string State, LicenceCheckOutcome Outcome, string? Scheme, IReadOnlyList<LicencePart> Parts)
{
    /// <summary>Names of the decisive parts that matched.</summary>
    public IReadOnlyList<string> MatchedParts => [.. Parts.Where(p => p.Matched && p.Decisive).Select(p => p.Name)];

    /// <summary>Names of the decisive parts that did not match.</summary>
    public IReadOnlyList<string> MismatchedParts => [.. Parts.Where(p => !p.Matched && p.Decisive).Select(p => p.Name)];

    internal static LicenceCheck NotApplicable(string state, string? scheme = null, IReadOnlyList<LicencePart>? parts = null) =>
        new(state, LicenceCheckOutcome.NotApplicable, scheme, parts ?? []);
}
