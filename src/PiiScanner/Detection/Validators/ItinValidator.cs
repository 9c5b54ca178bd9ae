namespace PiiScanner.Detection.Validators;

/// <summary>
/// IRS Individual Taxpayer Identification Number: area 900–999 with group 50–65, 70–88, 90–92 or 94–99
/// (the ranges the IRS has assigned). Same shapes as an SSN; normalises to 9 digits. An ITIN is never an SSN.
/// Stateless and thread-safe.
/// </summary>
internal sealed class ItinValidator : IValidator
{
    /// <inheritdoc />
    public string Name => "itin";

    /// <inheritdoc />
    public ValidationResult Validate(string candidate)
    {
        if (!SsnDigits.TryExtract(candidate, out var digits, out var outcome))
        {
            return ValidationResult.Invalid(outcome);
        }

        if (digits[0] != '9')
        {
            return ValidationResult.Invalid("area-not-9xx");
        }

        var group = (digits[3] - '0') * 10 + (digits[4] - '0');

        // Group 89 and 93 were never assigned to ITINs; 66–69 and 00–49 belong to other IRS numbers (ATIN, EIN-like).
        var inRange = group is (>= 50 and <= 65) or (>= 70 and <= 88) or (>= 90 and <= 92) or (>= 94 and <= 99);
        if (!inRange)
        {
            return ValidationResult.Invalid("group-range");
        }

        if (digits.AsSpan(5).SequenceEqual("0000"))
        {
            return ValidationResult.Invalid("serial-0000");
        }

        return ValidationResult.Valid(digits);
    }
}
