namespace PiiScanner.Resolution;

/// <summary>
/// One person in the exposure index: the values of theirs that were exposed and where. Values are full
/// (unmasked); the index writers mask them. Immutable.
/// </summary>
public sealed record Individual
{
    /// <summary>Stable id: the same input gives the same id; it is derived from locations, not from PII.</summary>
    public required string Id { get; init; }

    /// <summary>The best full name seen, or null when only identifiers tie the records together.</summary>
    public string? Name { get; init; }

    /// <summary>Other spellings of the name seen in the sources, sorted.</summary>
    public IReadOnlyList<string> NameVariants { get; init; } = [];

    /// <summary>Element names exposed, in contract order.</summary>
    public required IReadOnlyList<string> Elements { get; init; }

    /// <summary>Exposed values by element (name excluded), each list sorted and distinct.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<ExposedValue>> Values { get; init; }

    /// <summary>Where this person's data was found, sorted by path then locator.</summary>
    public required IReadOnlyList<SourceRef> Sources { get; init; }

    /// <summary>Confidence that this is one real person whose data is exposed, in [0, 1].</summary>
    public double Confidence { get; init; }

    /// <summary>
    /// Why this person's records were joined: one entry per key or rule, with the number of records it attached
    /// (every record after the first was attached by exactly one), sorted by key. Empty for a single record.
    /// Holds no PII.
    /// </summary>
    public IReadOnlyList<JoinReason> JoinedBy { get; init; } = [];

    /// <summary>
    /// Ids of individuals found in the same household record (a dependent inside a household object or form, or
    /// the record that encloses this one), sorted. Linked, never merged.
    /// </summary>
    public IReadOnlyList<string> Household { get; init; } = [];
}

/// <summary>One reason records were joined into an individual.</summary>
/// <param name="Key">
/// The key or rule: <c>ssn</c>, <c>itin</c>, <c>driversLicense</c>, <c>mbi</c>, <c>passport</c>, <c>name+dob</c>,
/// <c>name+address</c>, <c>name+email</c>, <c>name+phone</c>, <c>maiden+dob+address</c>, <c>typo+dob+address</c>,
/// <c>same-document-name</c>.
/// </param>
/// <param name="Records">How many records it attached.</param>
public sealed record JoinReason(string Key, int Records);

/// <summary>
/// A prescriber, provider or staff member named in the sources: not a person to notify, so kept out of the
/// individuals and listed apart. Immutable.
/// </summary>
/// <param name="Name">The name as most often written.</param>
/// <param name="Role"><c>provider</c> (credentials, Dr, NPI / DEA, prescriber labels) or <c>staff</c>.</param>
/// <param name="Sources">Where the name was found, sorted by path then locator.</param>
public sealed record StaffMember(string Name, string Role, IReadOnlyList<SourceRef> Sources);

/// <summary>The outcome of resolution: the people to notify and the staff named beside them.</summary>
/// <param name="Individuals">Individuals sorted by id.</param>
/// <param name="Staff">Staff sorted by folded name, then role.</param>
internal sealed record ResolvedIndex(IReadOnlyList<Individual> Individuals, IReadOnlyList<StaffMember> Staff);

/// <summary>An exposed value with its qualifiers.</summary>
/// <param name="Value">Normalised value (DL number, term, ISO date…).</param>
/// <param name="State">Issuing state for a licence, when known.</param>
/// <param name="Code">Code for a medical term (ICD-10-CM, NDC), when known.</param>
/// <param name="Category">Sensitivity category of a medical term, when known.</param>
public sealed record ExposedValue(string Value, string? State = null, string? Code = null, string? Category = null);

/// <summary>One place a person's data was found.</summary>
/// <param name="Path">Logical path of the item.</param>
/// <param name="Locator">Locator of the record.</param>
/// <param name="Elements">Elements of this person found there.</param>
/// <param name="Deleted">True when the item was a deleted file in a disk image.</param>
/// <param name="Partition">Partition label of a disk-image item (<c>p1</c>), null for an unpartitioned image or a plain file.</param>
/// <param name="Inode">File-system address of a disk-image file (inode / MFT entry), null for raw pages and plain files.</param>
public sealed record SourceRef(string Path, string Locator, IReadOnlyList<string> Elements, bool Deleted = false, string? Partition = null, string? Inode = null);
