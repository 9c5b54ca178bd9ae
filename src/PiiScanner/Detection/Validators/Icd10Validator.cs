namespace PiiScanner.Detection.Validators;

/// <summary>
/// ICD-10-CM code structure: a letter, a digit, a letter or digit, then optionally a dot and 1–4 letters or
/// digits (3–7 characters without the dot). Structure only: it does not look the code up in the code set.
/// Normalised upper-case with the dot after the third character (<c>E119</c> → <c>E11.9</c>).
/// </summary>
internal sealed class Icd10Validator : IValidator
{
    /// <inheritdoc />
    public string Name => "icd10";

    /// <inheritdoc />
    public ValidationResult Validate(string candidate)
    {
        if (string.IsNullOrWhiteSpace(candidate))
        {
            return ValidationResult.Invalid("format");
        }

        var s = candidate.Trim().ToUpperInvariant();
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        string head, tail;
        if (dot >= 0)
        {
            if (dot != 3 || s.Length == 4 || s.IndexOf('.', dot + 1) >= 0)
            {
                return ValidationResult.Invalid("format");
            }

            head = s[..3];
            tail = s[4..];
        }
        else
        {
            head = s.Length >= 3 ? s[..3] : s;
            tail = s.Length > 3 ? s[3..] : string.Empty;
        }

        if (head.Length != 3 || !char.IsAsciiLetterUpper(head[0]) || !char.IsAsciiDigit(head[1]) || !char.IsAsciiLetterOrDigit(head[2]))
        {
            return ValidationResult.Invalid("format");
        }

        if (tail.Length > 4)
        {
            return ValidationResult.Invalid("length");
        }

        foreach (var c in tail)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return ValidationResult.Invalid("format");
            }
        }

        return ValidationResult.Valid(tail.Length == 0 ? head : head + "." + tail);
    }
}
