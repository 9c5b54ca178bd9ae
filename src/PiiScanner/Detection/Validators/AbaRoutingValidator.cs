namespace PiiScanner.Detection.Validators;

/// <summary>
/// ABA routing transit number: 9 digits, a Federal Reserve prefix (00–12, 21–32, 61–72, 80) and the
/// 3-7-1 weighted checksum (3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 mod 10).
/// </summary>
internal sealed class AbaRoutingValidator : IValidator
{
    /// <inheritdoc />
    public string Name => "aba-routing";

    /// <inheritdoc />
    public ValidationResult Validate(string candidate)
    {
        var d = ValidatorText.DigitsOnly(candidate, allowSeparators: true);
        if (d is null || d.Length != 9)
        {
            return ValidationResult.Invalid("format");
        }

        if (ValidatorText.AllSame(d))
        {
            return ValidationResult.Invalid("repeated");
        }

        var prefix = ((d[0] - '0') * 10) + (d[1] - '0');
        // 00 is the US government, 01–12 normal, 21–32 thrift, 61–72 electronic, 80 traveller's cheques.
        if (!(prefix <= 12 || prefix is >= 21 and <= 32 || prefix is >= 61 and <= 72 || prefix == 80))
        {
            return ValidationResult.Invalid("prefix");
        }

        var sum = (3 * (D(d, 0) + D(d, 3) + D(d, 6))) + (7 * (D(d, 1) + D(d, 4) + D(d, 7))) + D(d, 2) + D(d, 5) + D(d, 8);
        return sum % 10 == 0 ? ValidationResult.Valid(d) : ValidationResult.Invalid("checksum");
    }

    private static int D(string s, int i) => s[i] - '0';
}
