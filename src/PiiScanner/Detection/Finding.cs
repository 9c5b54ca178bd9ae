namespace PiiScanner.Detection;

/// <summary>
/// One detected value in one segment, with everything that explains it. Immutable.
/// <see cref="Value"/> holds the full normalised value: it is masked only when written out.
/// </summary>
public sealed record Finding
{
    /// <summary>Element name (see <see cref="Elements"/>).</summary>
    public required string Element { get; init; }

    /// <summary>
    /// Normalised value: SSN as 9 digits, DOB as <c>yyyy-MM-dd</c>, DL number upper-case without separators,
    /// name as written (cleaned), address as one line, medical term as its canonical vocabulary term.
    /// </summary>
    public required string Value { get; init; }

    /// <summary>Locator of the segment (or field) the value was found in.</summary>
    public required string Locator { get; init; }

    /// <summary>
    /// Locator of the segment that holds the value (<c>table 1 row 2</c>) when <see cref="Locator"/> names a field
    /// inside it (<c>table 1 row 2 col 3</c>); null when they are the same. A record's source locator is this one.
    /// </summary>
    public string? SegmentLocator { get; init; }

    /// <summary>Confidence in [0, 1].</summary>
    public required double Confidence { get; init; }

    /// <summary>Why this was reported.</summary>
    public required Evidence Evidence { get; init; }

    /// <summary>Start of the match in the segment text or field value.</summary>
    public int Start { get; init; }

    /// <summary>Length of the match.</summary>
    public int Length { get; init; }

    /// <summary>Record group of the segment (see <see cref="Extraction.Segment.Group"/>).</summary>
    public int Group { get; init; }

    /// <summary>Whether the group is a hard record or a free-text block.</summary>
    public Extraction.GroupKind GroupKind { get; init; }

    /// <summary>Group of the enclosing record (see <see cref="Extraction.Segment.ParentGroup"/>), or null.</summary>
    public int? ParentGroup { get; init; }

    /// <summary>Index of the segment in the item (document order), for proximity grouping.</summary>
    public long SegmentIndex { get; init; }

    /// <summary>Byte offset of the match in the item, for raw byte scans (unallocated space), when known.</summary>
    public long? ByteOffset { get; init; }

    /// <summary>
    /// For a raw-byte finding in a disk image: the file the bytes belong to, when The Sleuth Kit can tell
    /// (e.g. <c>p1 inode 13 /gone.txt (deleted)</c>, <c>fs data unit 3500, no file</c>); null otherwise.
    /// </summary>
    public string? Owner { get; init; }

    /// <summary>US state or issuing jurisdiction (driver's licences, addresses), two letters, when known.</summary>
    public string? State { get; init; }

    /// <summary>Code attached to the value: ICD-10-CM for a condition, NDC for a drug, and so on.</summary>
    public string? Code { get; init; }

    /// <summary>
    /// The rest of what is known about the value, typed: a named person's role, a name's form, a medical value's
    /// sensitivity, an issuer, a kind of number (see <see cref="FindingQualifiers"/>). Never null.
    /// </summary>
    public FindingQualifiers Qualifiers { get; init; } = FindingQualifiers.None;
}

/// <summary>What raised a finding: the rule, the pattern, the validator outcome and the context.</summary>
public sealed record Evidence
{
    /// <summary>Rule id from <c>rules/</c>.</summary>
    public required string RuleId { get; init; }

    /// <summary>Name of the pattern that matched.</summary>
    public string? Pattern { get; init; }

    /// <summary>Validator that checked the value, with its outcome (<c>ssn:valid</c>).</summary>
    public string? Validator { get; init; }

    /// <summary>Context word or label seen near the value.</summary>
    public string? ContextWord { get; init; }

    /// <summary>Column header / key path / label of the field the value was in.</summary>
    public string? Header { get; init; }

    /// <summary>True when <see cref="Header"/> was inferred from the column's values, not read from the file.</summary>
    public bool InferredHeader { get; init; }
}
