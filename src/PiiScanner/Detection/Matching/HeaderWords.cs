using System.Text;

namespace PiiScanner.Detection.Matching;

/// <summary>Turns a column header / key path / label into space-separated lower-case words.</summary>
internal static class HeaderWords
{
    private static readonly HeaderMemo<string> Memo = new(Compute);

    /// <summary>
    /// <c>patient.driversLicenseNumber</c> → <c>patient drivers license number</c>; <c>DL_NUM</c> → <c>dl num</c>.
    /// </summary>
    public static string Of(string header) => Memo[header];

    private static string Compute(string header)
    {
        var sb = new StringBuilder(header.Length + 8);
        for (var i = 0; i < header.Length; i++)
        {
            var c = header[i];
            if (char.IsLetterOrDigit(c))
            {
                // camelCase boundary: lower→Upper, or letter↔digit.
                if (i > 0 && sb.Length > 0 && sb[^1] != ' ' &&
                    ((char.IsUpper(c) && char.IsLower(header[i - 1])) ||
                     (char.IsDigit(c) != char.IsDigit(header[i - 1]) && char.IsLetterOrDigit(header[i - 1]))))
                {
                    sb.Append(' ');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else if (c is '#')
            {
                if (sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }

                sb.Append("no");
            }
            else if (c is not '\'' and not '\u2019' && sb.Length > 0 && sb[^1] != ' ')
            {
                sb.Append(' ');
            }
        }

        return sb.ToString().Trim();
    }
}
