using System.Text;
using PiiScanner.Detection;

namespace PiiScanner.Index;

/// <summary>
/// Masks exposed values for the outputs, by element. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>element</term><description>masked form</description></listheader>
/// <item><term>ssn, itin</term><description>last four digits: <c>***-**-6789</c></description></item>
/// <item><term>driversLicense</term><description>first four characters kept (first one only when the number
/// is shorter than 8), every other letter or digit <c>*</c>, separators kept: <c>D120********</c></description></item>
/// <item><term>dob</term><description>year only: <c>1961-**-**</c></description></item>
/// <item><term>passport, bankAccount, creditCard, mbi, healthInsurance, npi, phone, and any element not listed</term>
/// <description>last four letters/digits kept when more than six, else everything <c>*</c>; separators kept</description></item>
/// <item><term>email</term><description>first character of the local part: <c>j***@example.com</c></description></item>
/// <item><term>name, address, medical</term><description>not masked</description></item>
/// </list>
/// Names, addresses and medical terms stay readable on purpose: the index exists so that the people can be
/// notified, and the notification vendor needs to know who they are, where to write and what kind of
/// information was exposed (the letter must say so). The identifiers that enable fraud — the numbers — are the
/// ones masked. With <c>reveal</c> (<c>--reveal</c>) nothing is masked.
/// </remarks>
internal sealed class Masker
{
    /// <summary>Creates a masker.</summary>
    /// <param name="reveal">True to write full values (for the notification vendor).</param>
    public Masker(bool reveal = false) => Reveal = reveal;

    /// <summary>True when values are written unmasked.</summary>
    public bool Reveal { get; }

    /// <summary>The value as it may be written out for <paramref name="element"/>.</summary>
    public string Mask(string element, string value)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(value);
        if (Reveal)
        {
            // SSNs and ITINs are kept as 9 digits internally; written out in the form people recognise.
            return (element is Elements.Ssn or Elements.Itin) && value.Length == 9 && value.All(char.IsAsciiDigit)
                ? $"{value[..3]}-{value[3..5]}-{value[5..]}"
                : value;
        }

        return element switch
        {
            Elements.Name or Elements.Address or Elements.Medical => value,
            Elements.Ssn or Elements.Itin => MaskTaxId(value),
            Elements.DriversLicense => KeepFirst(value, CountAlnum(value) >= 8 ? 4 : 1),
            Elements.Dob => MaskDob(value),
            Elements.Email => MaskEmail(value),
            _ => KeepLast(value, CountAlnum(value) > 6 ? 4 : 0),
        };
    }

    private static string MaskTaxId(string value)
    {
        var digits = new string([.. value.Where(char.IsAsciiDigit)]);
        return digits.Length == 9 ? "***-**-" + digits[5..] : KeepLast(value, CountAlnum(value) > 6 ? 4 : 0);
    }

    private static string MaskDob(string value) =>
        value.Length == 10 && value[4] == '-' && value[7] == '-' && value[..4].All(char.IsAsciiDigit)
            ? value[..4] + "-**-**"
            : KeepLast(value, 0);

    private static string MaskEmail(string value)
    {
        var at = value.LastIndexOf('@');
        return at <= 0 ? KeepLast(value, 0) : string.Concat(value.AsSpan(0, 1), "***", value.AsSpan(at));
    }

    private static int CountAlnum(string value) => value.Count(char.IsLetterOrDigit);

    private static string KeepFirst(string value, int keep)
    {
        var sb = new StringBuilder(value.Length);
        var seen = 0;
        foreach (var c in value)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(seen++ < keep ? c : '*');
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string KeepLast(string value, int keep)
    {
        var total = CountAlnum(value);
        var sb = new StringBuilder(value.Length);
        var seen = 0;
        foreach (var c in value)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(seen++ >= total - keep ? c : '*');
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
