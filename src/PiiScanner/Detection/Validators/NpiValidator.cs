namespace PiiScanner.Detection.Validators;

/// <summary>
/// National Provider Identifier: 10 digits starting with 1 or 2, whose last digit is the Luhn check digit of
/// the number prefixed with the card issuer prefix 80840 (ISO 7812, as CMS specifies).
/// </summary>
internal sealed class NpiValidator : IValidator
{
    /// <inheritdoc />
    public string Name => "npi";

    /// <inheritdoc />
    public ValidationResult Validate(string candidate)
    {
        var d = ValidatorText.DigitsOnly(candidate, allowSeparators: false);
        if (d is null || d.Length != 10)
        {
            return ValidationResult.Invalid("format");
        }

        if (d[0] is not ('1' or '2'))
        {
            return ValidationResult.Invalid("prefix");
        }

        return LuhnValidator.IsValid("80840" + d) ? ValidationResult.Valid(d) : ValidationResult.Invalid("checksum");
    }
}
