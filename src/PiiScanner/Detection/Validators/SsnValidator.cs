namespace PiiScanner.Detection.Validators;

/// <summary>
/// US Social Security number issuance rules as they stand since randomisation (June 2011): area 001–665 or
/// 667–899, group 01–99, serial 0001–9999. Accepts <c>ddd-dd-dddd</c>, <c>ddd dd dddd</c> and 9 plain digits;
/// normalises to 9 digits. Stateless and thread-safe.
/// </summary>
internal sealed class SsnValidator : IValidator
{
    /// <inheritdoc />
    public string Name => "ssn";

    /// <inheritdoc />
    public ValidationResult Validate(string candidate)
    {
        if (!SsnDigits.TryExtract(candidate, out var digits, out var outcome))
        {
            return ValidationResult.Invalid(outcome);
        }

        var area = int.Parse(digits.AsSpan(0, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var group = int.Parse(digits.AsSpan(3, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        var serial = int.Parse(digits.AsSpan(5, 4), provider: System.Globalization.CultureInfo.InvariantCulture);

        // Area 000 was never issued; 666 is excluded by SSA policy; 900–999 are ITINs/ATINs, never SSNs.
        if (area == 0)
        {
            return ValidationResult.Invalid("area-000");
        }

        if (area == 666)
        {
            return ValidationResult.Invalid("area-666");
        }

        if (area >= 900)
        {
            return ValidationResult.Invalid("area-9xx");
        }

        // Group 00 and serial 0000 are never issued.
        if (group == 0)
        {
            return ValidationResult.Invalid("group-00");
        }

        if (serial == 0)
        {
            return ValidationResult.Invalid("serial-0000");
        }

        if (IsPublicised(digits))
        {
            return ValidationResult.Invalid("publicised");
        }

        // A single repeated digit (111-11-1111…888-88-8888) is a placeholder, not an issued number.
        if (digits.AsSpan().IndexOfAnyExcept(digits[0]) < 0)
        {
            return ValidationResult.Invalid("repeated-digit");
        }

        return ValidationResult.Valid(digits);
    }

    private static bool IsPublicised(string digits) => digits switch
    {
        // 078-05-1120: printed on the sample card in Woolworth wallets (1938), used by thousands since.
        "078051120" => true,
        // 219-09-9999: the sample number in a 1940 SSA pamphlet.
        "219099999" => true,
        // 123-45-6789: the textbook placeholder (the SSA says it was never issued to a person).
        "123456789" => true,
        _ => digits.StartsWith("98765432", StringComparison.Ordinal), // 987-65-4320…4329: reserved for advertising
    };
}

/// <summary>Shared shape check for 9-digit taxpayer numbers: one consistent separator or none.</summary>
internal static class SsnDigits
{
    /// <summary>Extracts the 9 digits of <c>ddd-dd-dddd</c>, <c>ddd dd dddd</c> or <c>ddddddddd</c>.</summary>
    public static bool TryExtract(string candidate, out string digits, out string outcome)
    {
        digits = string.Empty;
        var s = candidate.AsSpan().Trim();
        if (s.Length == 9)
        {
            if (s.ContainsAnyExceptInRange('0', '9'))
            {
                outcome = "not-digits";
                return false;
            }

            digits = s.ToString();
            outcome = "valid";
            return true;
        }

        if (s.Length != 11)
        {
            outcome = "length";
            return false;
        }

        var sep1 = s[3];
        var sep2 = s[6];
        if (sep1 is not ('-' or ' ') || sep2 is not ('-' or ' '))
        {
            outcome = "separator";
            return false;
        }

        // "123-45 6789" mixes separators: typical of two fields run together, not of a written SSN.
        if (sep1 != sep2)
        {
            outcome = "mixed-separators";
            return false;
        }

        Span<char> buffer = stackalloc char[9];
        s[..3].CopyTo(buffer);
        s.Slice(4, 2).CopyTo(buffer[3..]);
        s.Slice(7, 4).CopyTo(buffer[5..]);
        if (((ReadOnlySpan<char>)buffer).ContainsAnyExceptInRange('0', '9'))
        {
            outcome = "not-digits";
            return false;
        }

        digits = buffer.ToString();
        outcome = "valid";
        return true;
    }
}
