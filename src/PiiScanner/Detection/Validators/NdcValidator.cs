namespace PiiScanner.Detection.Validators;

/// <summary>
/// National Drug Code in one of the FDA's 10-digit dashed layouts (4-4-2, 5-3-2, 5-4-1) or the 11-digit
/// 5-4-2 billing layout. Normalised to the 11-digit 5-4-2 form with dashes (<c>0002-3227-30</c> →
/// <c>00002-3227-30</c>). Dashes are required: bare 10-digit runs are ambiguous.
/// </summary>
internal sealed class NdcValidator : IValidator
{
    /// <inheritdoc />
    public string Name => "ndc";

    /// <inheritdoc />
    public ValidationResult Validate(string candidate)
    {
        if (string.IsNullOrWhiteSpace(candidate))
        {
            return ValidationResult.Invalid("format");
        }

        var parts = candidate.Trim().Split('-');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
        {
            return ValidationResult.Invalid("format");
        }

        var (a, b, c) = (parts[0], parts[1], parts[2]);
        string normalized;
        switch (a.Length, b.Length, c.Length)
        {
            case (4, 4, 2):
                normalized = $"0{a}-{b}-{c}";
                break;
            case (5, 3, 2):
                normalized = $"{a}-0{b}-{c}";
                break;
            case (5, 4, 1):
                normalized = $"{a}-{b}-0{c}";
                break;
            case (5, 4, 2):
                normalized = $"{a}-{b}-{c}";
                break;
            default:
                return ValidationResult.Invalid("layout");
        }

        if (a.All(ch => ch == '0') && b.All(ch => ch == '0'))
        {
            return ValidationResult.Invalid("zero");
        }

        return ValidationResult.Valid(normalized);
    }
}
