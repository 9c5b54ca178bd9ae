using System.Text.Json.Serialization;
using PiiScanner.Index;

namespace PiiScanner.Detection;

/// <summary>
/// What a finding's value is beyond its element, typed (<see cref="Finding.Qualifiers"/>): the role of a named
/// person, the form a name was written in, a medical value's sensitivity, the issuer of a card or passport, the kind
/// of an identifier. The licence or address state and the medical code are <see cref="Finding.State"/> and
/// <see cref="Finding.Code"/>. Immutable; <see cref="None"/> when there is nothing to say.
/// </summary>
/// <remarks>
/// <c>findings.jsonl</c> writes one of them as the finding's <c>category</c>, the first that is set in the order of
/// the properties here: role, name form, sensitivity, issuer, kind. The engine sets at most one.
/// </remarks>
public sealed record FindingQualifiers
{
    /// <summary>No qualifier.</summary>
    public static FindingQualifiers None { get; } = new();

    /// <summary>A name (or an NPI / DEA number) that belongs to someone in a role other than a person to notify.</summary>
    public PersonRole? Role { get; init; }

    /// <summary>How a name was written, when that is worth knowing (<c>LAST, FIRST</c>; after an honorific).</summary>
    public NameForm? NameForm { get; init; }

    /// <summary>A medical value's sensitivity (<c>mental-health</c>, <c>substance-use</c>, <c>hiv-sti</c>… <c>other</c>; see <c>rules/medical/</c>).</summary>
    public string? Sensitivity { get; init; }

    /// <summary>Who issued the number: a card network (<c>visa</c>, <c>amex</c>…) or a passport's country (<c>us</c>).</summary>
    public string? Issuer { get; init; }

    /// <summary>
    /// Which kind of number or document it is (<c>member</c>, <c>subscriber</c>, <c>policy</c>, <c>group</c>,
    /// <c>medicaid</c> for health insurance; <c>id-card</c> for a state ID card read by the licence detector), or a
    /// rule pattern's own <c>category</c> that is no role or name form.
    /// </summary>
    public string? Kind { get; init; }

    /// <summary>Qualifiers with just <paramref name="role"/>.</summary>
    internal static FindingQualifiers Of(PersonRole role) => role switch
    {
        PersonRole.Provider => ProviderOnly,
        PersonRole.Staff => StaffOnly,
        _ => new() { Role = role },
    };

    /// <summary>Qualifiers with just <paramref name="form"/>.</summary>
    internal static FindingQualifiers Of(NameForm form) => form == Detection.NameForm.LastFirst ? LastFirstOnly : new() { NameForm = form };

    /// <summary>The <c>category</c> written for these qualifiers (see the remarks), or null.</summary>
    internal string? Category =>
        Role is { } role ? WireName.Of(role)
        : NameForm is { } form ? WireName.Of(form)
        : Sensitivity ?? Issuer ?? Kind;

    /// <summary>
    /// The qualifiers a rule file's <c>category</c> (a pattern's, a role cue's, an example's) stands for: a role, a name
    /// form, or else a kind. The same strings <see cref="Category"/> writes.
    /// </summary>
    internal static FindingQualifiers FromRuleCategory(string? category) =>
        category is null ? None
        : WireName.TryParse<PersonRole>(category, out var role) ? Of(role)
        : WireName.TryParse<NameForm>(category, out var form) ? Of(form)
        : new() { Kind = category };

    private static readonly FindingQualifiers ProviderOnly = new() { Role = PersonRole.Provider };
    private static readonly FindingQualifiers StaffOnly = new() { Role = PersonRole.Staff };
    private static readonly FindingQualifiers LastFirstOnly = new() { NameForm = Detection.NameForm.LastFirst };
}

/// <summary>The role of a person a finding names, when it is not a person to notify (written as shown).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PersonRole>))]
public enum PersonRole
{
    /// <summary><c>provider</c>: a prescriber, physician or other provider (also NPI and DEA numbers).</summary>
    [JsonStringEnumMemberName("provider")]
    Provider,

    /// <summary><c>staff</c>: a caseworker, clerk, signatory or other staff member.</summary>
    [JsonStringEnumMemberName("staff")]
    Staff,

    /// <summary><c>relative</c>: a relative mentioned in a note about someone else (a client's son).</summary>
    [JsonStringEnumMemberName("relative")]
    Relative,
}

/// <summary>How a name was written (written as shown).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NameForm>))]
public enum NameForm
{
    /// <summary><c>last-first</c>: <c>DOE, JANE A</c>, turned into <c>Jane A Doe</c>.</summary>
    [JsonStringEnumMemberName("last-first")]
    LastFirst,

    /// <summary><c>honorific</c>: found after an honorific (<c>Ms.</c>, <c>Mr.</c>).</summary>
    [JsonStringEnumMemberName("honorific")]
    Honorific,
}
