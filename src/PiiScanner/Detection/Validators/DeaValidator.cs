namespace PiiScanner.Detection.Validators;

/// <summary>
/// DEA registration number: a registrant-type letter, a second letter (the registrant's surname initial, or 9
/// for some business types), 7 digits whose last is (d1+d3+d5 + 2·(d2+d4+d6)) mod 10. Normalised upper-case.
/// </summary>
internal sealed class DeaValidator : IValidator
{
    // Registrant types: A/B/F/G practitioners and hospitals, M mid-level practitioners, P/R distributors,
    // X Suboxone/buprenorphine (DATA-waived) prescribers, and the rest of the published type letters.
    private const string RegistrantTypes = "ABCDEFGHJKLMPRSTUX";

    /// <inheritdoc />
    public string Name => "dea";

    /// <inheritdoc />
    public ValidationResult Validate(string candidate)
    {
        var s = ValidatorText.AlphanumericUpper(candidate);
        if (s is null || s.Length != 9)
        {
            return ValidationResult.Invalid("format");
        }

        if (!RegistrantTypes.Contains(s[0], StringComparison.Ordinal))
        {
            return ValidationResult.Invalid("registrant-type");
        }

        if (!(char.IsAsciiLetterUpper(s[1]) || s[1] == '9'))
        {
            return ValidationResult.Invalid("format");
        }

        for (var i = 2; i < 9; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return ValidationResult.Invalid("format");
            }
        }

        int D(int i) => s[i + 1] - '0';
        var check = (D(1) + D(3) + D(5) + (2 * (D(2) + D(4) + D(6)))) % 10;
        return check == D(7) ? ValidationResult.Valid(s) : ValidationResult.Invalid("checksum");
    }
}
