namespace PiiScanner.Detection.Validators;

/// <summary>
/// Luhn (mod 10) check over 8–19 digits; spaces and dashes are ignored. Normalises to the bare digits.
/// </summary>
internal sealed class LuhnValidator : IValidator
{
    /// <inheritdoc />
    public string Name => "luhn";

    /// <inheritdoc />
    public ValidationResult Validate(string candidate)
    {
        var digits = ValidatorText.DigitsOnly(candidate, allowSeparators: true);
        if (digits is null || digits.Length is < 8 or > 19)
        {
            return ValidationResult.Invalid("format");
        }

        if (ValidatorText.AllSame(digits))
        {
            return ValidationResult.Invalid("repeated");
        }

        return IsValid(digits) ? ValidationResult.Valid(digits) : ValidationResult.Invalid("checksum");
    }

    /// <summary>Luhn check of a string of ASCII digits (the last digit is the check digit).</summary>
    internal static bool IsValid(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
