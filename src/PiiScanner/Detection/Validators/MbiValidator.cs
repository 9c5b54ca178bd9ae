namespace PiiScanner.Detection.Validators;

/// <summary>
/// Medicare Beneficiary Identifier (CMS format, 2018+): 11 characters, dashes optional.
/// Position 1 digit 1–9; 2, 5, 8, 9 letters; 3 and 6 letter or digit; 4, 7, 10, 11 digits.
/// Letters exclude S, L, O, I, B and Z. Normalised upper-case without dashes.
/// </summary>
internal sealed class MbiValidator : IValidator
{
    private const string Excluded = "SLOIBZ";

    /// <inheritdoc />
    public string Name => "mbi";

    /// <inheritdoc />
    public ValidationResult Validate(string candidate)
    {
        var s = ValidatorText.AlphanumericUpper(candidate);
        if (s is null || s.Length != 11)
        {
            return ValidationResult.Invalid("format");
        }

        if (s[0] is < '1' or > '9')
        {
            return ValidationResult.Invalid("position-1");
        }

        for (var i = 1; i < 11; i++)
        {
            var ok = (i + 1) switch
            {
                2 or 5 or 8 or 9 => IsLetter(s[i]),
                3 or 6 => IsLetter(s[i]) || char.IsAsciiDigit(s[i]),
                _ => char.IsAsciiDigit(s[i]),
            };
            if (!ok)
            {
                return ValidationResult.Invalid($"position-{i + 1}");
            }
        }

        return ValidationResult.Valid(s);
    }

    private static bool IsLetter(char c) => char.IsAsciiLetterUpper(c) && !Excluded.Contains(c, StringComparison.Ordinal);
}
