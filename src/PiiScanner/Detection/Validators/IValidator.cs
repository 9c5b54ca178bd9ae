namespace PiiScanner.Detection.Validators;

/// <summary>
/// Checks and normalises a candidate value (checksums, issuance rules). Validators are small, stateless and
/// thread-safe; rules name them by <see cref="Name"/>, and <see cref="ValidatorRegistry"/> lists them.
/// </summary>
public interface IValidator
{
    /// <summary>The name rules use (<c>ssn</c>, <c>luhn</c>, <c>aba-routing</c>…).</summary>
    string Name { get; }

    /// <summary>Validates the matched text. Never throws for bad input.</summary>
    ValidationResult Validate(string candidate);
}

/// <summary>A validator's verdict.</summary>
/// <param name="IsValid">Whether the value passes.</param>
/// <param name="Normalized">The canonical value when valid (e.g. SSN as 9 digits), else null.</param>
/// <param name="Outcome">Short machine-readable outcome for evidence (<c>valid</c>, <c>area-666</c>, <c>checksum</c>…).</param>
public readonly record struct ValidationResult(bool IsValid, string? Normalized, string Outcome)
{
    /// <summary>A passing result.</summary>
    public static ValidationResult Valid(string normalized) => new(true, normalized, "valid");

    /// <summary>A failing result with its reason.</summary>
    public static ValidationResult Invalid(string outcome) => new(false, null, outcome);
}
