using System.Globalization;
using System.Text;

namespace PiiScanner.Extraction.Office;

/// <summary>
/// Applies spreadsheet number formats to cell values the way a person sees them in Excel, as far as it matters
/// for finding personal data: date serials become ISO dates, <c>000-00-0000</c> puts an SSN stored as a number
/// back in shape, <c>00000</c> keeps a ZIP code's leading zeros, and plain numbers never turn into <c>1.23E+08</c>.
/// Thread-safe (stateless).
/// </summary>
internal static class NumberFormat
{
    // Excel's largest date serial (9999-12-31).
    private const double MaxDateSerial = 2958465.99999;

    /// <summary>The format code of a built-in number format id, or null for ids without a fixed code.</summary>
    public static string? BuiltInCode(int id) => id switch
    {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "m/d/yyyy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yyyy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        // Locale-dependent built-in date ids (27–36, 50–58 in East Asian workbooks) are dates.
        >= 27 and <= 36 or >= 50 and <= 58 => "yyyy-mm-dd",
        _ => null,
    };

    /// <summary>
    /// Formats a numeric cell. <paramref name="raw"/> is the value as stored (<c>123456701</c>);
    /// <paramref name="formatCode"/> the cell's format code (null or <c>General</c> for none).
    /// </summary>
    public static string Format(string raw, string? formatCode, bool date1904)
    {
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || double.IsInfinity(value))
        {
            return raw;
        }

        return Format(value, formatCode, date1904, raw);
    }

    /// <summary>Formats a numeric value (see <see cref="Format(string, string?, bool)"/>).</summary>
    public static string Format(double value, string? formatCode, bool date1904, string? raw = null)
    {
        if (string.IsNullOrWhiteSpace(formatCode) || formatCode.Equals("General", StringComparison.OrdinalIgnoreCase)
            || formatCode == "@")
        {
            return General(value, raw);
        }

        var section = PickSection(formatCode, value, out var useAbsolute);
        var cleaned = StripDecorations(section, out var literals);
        var kind = Classify(cleaned);
        if (kind != FormatKind.Number)
        {
            return FormatDate(value, kind, date1904) ?? General(value, raw);
        }

        if (cleaned.Contains('E', StringComparison.OrdinalIgnoreCase) || cleaned.Contains('/', StringComparison.Ordinal))
        {
            // Scientific and fraction formats would hide digits; show the whole number instead.
            return General(value, raw);
        }

        return FormatDigits(useAbsolute ? Math.Abs(value) : value, literals) ?? General(value, raw);
    }

    /// <summary>
    /// Converts a date serial to a date in the workbook's date system: 1900 (with Excel's phantom 1900-02-29 at
    /// serial 60) or 1904. Returns false for serials outside Excel's range.
    /// </summary>
    public static bool TryGetDate(double serial, bool date1904, out DateTime date, out bool phantomLeapDay)
    {
        date = default;
        phantomLeapDay = false;
        if (serial < 0 || serial > MaxDateSerial)
        {
            return false;
        }

        var days = Math.Floor(serial);
        var ticks = (long)Math.Round((serial - days) * TimeSpan.TicksPerDay / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond;
        if (date1904)
        {
            date = new DateTime(1904, 1, 1).AddDays(days).AddTicks(ticks);
            return true;
        }

        if (days == 60)
        {
            phantomLeapDay = true;
            date = new DateTime(1900, 2, 28).AddTicks(ticks);
            return true;
        }

        // Serial 1 is 1900-01-01; from 61 on Excel counts the non-existent 1900-02-29, so the base shifts by one.
        date = (days < 60 ? new DateTime(1899, 12, 31) : new DateTime(1899, 12, 30)).AddDays(days).AddTicks(ticks);
        return true;
    }

    /// <summary>True when the format code shows dates or times.</summary>
    public static bool IsDateFormat(string? formatCode)
        => !string.IsNullOrEmpty(formatCode) && Classify(StripDecorations(PickSection(formatCode, 1, out _), out _)) != FormatKind.Number;

    private static string General(double value, string? raw)
    {
        if (raw is not null && !raw.Contains('E', StringComparison.OrdinalIgnoreCase))
        {
            return raw.Contains('.', StringComparison.Ordinal) ? raw.TrimEnd('0').TrimEnd('.') : raw;
        }

        if (Math.Abs(value) < 7.9e27)
        {
            // decimal keeps 15 significant digits, as Excel shows them, and never uses exponent notation.
            return ((decimal)value).ToString(CultureInfo.InvariantCulture);
        }

        return value.ToString("F0", CultureInfo.InvariantCulture);
    }

    private static string PickSection(string formatCode, double value, out bool useAbsolute)
    {
        useAbsolute = false;
        var sections = SplitSections(formatCode);
        if (value < 0 && sections.Count > 1 && sections[1].Length > 0)
        {
            useAbsolute = true;
            return sections[1];
        }

        if (value == 0 && sections.Count > 2 && sections[2].Length > 0)
        {
            return sections[2];
        }

        return sections[0];
    }

    private static List<string> SplitSections(string formatCode)
    {
        var sections = new List<string>(4);
        var start = 0;
        var quoted = false;
        for (var i = 0; i < formatCode.Length; i++)
        {
            var c = formatCode[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '\\' && !quoted)
            {
                i++;
            }
            else if (c == ';' && !quoted)
            {
                sections.Add(formatCode[start..i]);
                start = i + 1;
            }
        }

        sections.Add(formatCode[start..]);
        return sections;
    }

    /// <summary>
    /// Returns the section's tokens with quoted text, escapes, colours, locales and padding removed
    /// (kept in <paramref name="tokens"/> as literals for number formatting); elapsed-time brackets stay.
    /// </summary>
    private static string StripDecorations(string section, out List<Token> tokens)
    {
        tokens = [];
        var codes = new StringBuilder(section.Length);
        for (var i = 0; i < section.Length; i++)
        {
            var c = section[i];
            switch (c)
            {
                case '"':
                    var end = section.IndexOf('"', i + 1);
                    if (end < 0)
                    {
                        end = section.Length;
                    }

                    tokens.Add(Token.Text(section[(i + 1)..end]));
                    i = end;
                    break;
                case '\\':
                    if (i + 1 < section.Length)
                    {
                        tokens.Add(Token.Text(section[i + 1].ToString()));
                        i++;
                    }

                    break;
                case '_' or '*':
                    // _x leaves the width of x, *x repeats x to fill the cell: neither shows a character of note.
                    i++;
                    break;
                case '[':
                    var close = section.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        close = section.Length - 1;
                    }

                    var inner = section[(i + 1)..close];
                    if (inner.Length > 0 && inner.All(ch => ch is 'h' or 'H' or 'm' or 'M' or 's' or 'S'))
                    {
                        codes.Append(inner);
                    }

                    i = close;
                    break;
                default:
                    codes.Append(c);
                    tokens.Add(c is '0' or '#' or '?' or '.' or ',' or '%' ? Token.Code(c) : Token.Text(c.ToString()));
                    break;
            }
        }

        return codes.ToString();
    }

    private static FormatKind Classify(string codes)
    {
        bool date = false, time = false;
        foreach (var c in codes)
        {
            switch (char.ToLowerInvariant(c))
            {
                case 'y' or 'd':
                    date = true;
                    break;
                case 'h' or 's':
                    time = true;
                    break;
                case 'm':
                    // m alone is ambiguous (month or minute); with d/y it is a date, with h/s a time.
                    date |= !codes.Contains('h', StringComparison.OrdinalIgnoreCase) && !codes.Contains('s', StringComparison.OrdinalIgnoreCase);
                    break;
                case 'e' when codes.Contains("e+", StringComparison.OrdinalIgnoreCase) || codes.Contains("e-", StringComparison.OrdinalIgnoreCase):
                    return FormatKind.Number;
                default:
                    break;
            }
        }

        // "General" contains e/r/a/l, not date letters; AM/PM alone is not a date.
        if (codes.Contains("General", StringComparison.OrdinalIgnoreCase))
        {
            return FormatKind.Number;
        }

        return (date, time) switch
        {
            (true, true) => FormatKind.DateTime,
            (true, false) => FormatKind.Date,
            (false, true) => FormatKind.Time,
            _ => FormatKind.Number,
        };
    }

    private static string? FormatDate(double value, FormatKind kind, bool date1904)
    {
        if (kind == FormatKind.Time)
        {
            if (value < 0)
            {
                return null;
            }

            var time = TimeSpan.FromSeconds(Math.Round((value - Math.Floor(value)) * 86400));
            return time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        }

        if (!TryGetDate(value, date1904, out var date, out var phantom))
        {
            return null;
        }

        var day = phantom ? "1900-02-29" : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return kind == FormatKind.DateTime && date.TimeOfDay != TimeSpan.Zero
            ? day + date.ToString(" HH:mm:ss", CultureInfo.InvariantCulture)
            : day;
    }

    private static string? FormatDigits(double value, List<Token> tokens)
    {
        int decimals = 0, integerPlaces = 0;
        bool seenPoint = false, grouping = false, percent = false;
        foreach (var token in tokens)
        {
            if (token.Literal is not null)
            {
                continue;
            }

            switch (token.Char)
            {
                case '.':
                    seenPoint = true;
                    break;
                case ',':
                    grouping |= !seenPoint && integerPlaces > 0;
                    break;
                case '%':
                    percent = true;
                    break;
                default:
                    if (seenPoint)
                    {
                        decimals++;
                    }
                    else
                    {
                        integerPlaces++;
                    }

                    break;
            }
        }

        if (integerPlaces == 0 && decimals == 0)
        {
            // A format of literals only ("Yes") shows no number; the stored value is what matters here.
            return null;
        }

        if (percent)
        {
            value *= 100;
        }

        var negative = value < 0;
        var rounded = Math.Round(Math.Abs(value), Math.Min(decimals, 15), MidpointRounding.AwayFromZero);
        var fixedText = rounded.ToString("F" + Math.Min(decimals, 15).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var point = fixedText.IndexOf('.', StringComparison.Ordinal);
        var intDigits = point < 0 ? fixedText : fixedText[..point];
        var fracDigits = point < 0 ? string.Empty : fixedText[(point + 1)..];
        if (intDigits == "0")
        {
            intDigits = string.Empty;
        }

        // Fill integer placeholders right to left; digits left over go before the first placeholder.
        var intPlaceholders = new List<int>();
        var fracPlaceholders = new List<int>();
        seenPoint = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Literal is not null || t.Char is ',' or '%')
            {
                continue;
            }

            if (t.Char == '.')
            {
                seenPoint = true;
            }
            else
            {
                (seenPoint ? fracPlaceholders : intPlaceholders).Add(i);
            }
        }

        var output = new string?[tokens.Count];
        var digitIndex = intDigits.Length - 1;
        for (var p = intPlaceholders.Count - 1; p >= 0; p--)
        {
            var c = tokens[intPlaceholders[p]].Char;
            string piece = digitIndex >= 0 ? intDigits[digitIndex].ToString() : c == '0' ? "0" : c == '?' ? " " : string.Empty;
            digitIndex--;
            if (p == 0 && digitIndex >= 0)
            {
                piece = intDigits[..(digitIndex + 1)] + piece;
            }

            output[intPlaceholders[p]] = piece;
        }

        for (var p = 0; p < fracPlaceholders.Count; p++)
        {
            var c = tokens[fracPlaceholders[p]].Char;
            output[fracPlaceholders[p]] = p < fracDigits.Length ? fracDigits[p].ToString() : c == '0' ? "0" : string.Empty;
        }

        if (grouping)
        {
            var joined = string.Concat(intPlaceholders.Select(i => output[i]));
            var grouped = GroupThousands(joined);
            for (var p = 0; p < intPlaceholders.Count; p++)
            {
                output[intPlaceholders[p]] = p == 0 ? grouped : string.Empty;
            }
        }

        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Literal is not null)
            {
                builder.Append(t.Literal);
            }
            else if (t.Char == '.')
            {
                if (fracPlaceholders.Count > 0 && fracPlaceholders.Any(p => output[p]!.Length > 0))
                {
                    builder.Append('.');
                }
            }
            else if (t.Char == '%')
            {
                builder.Append('%');
            }
            else if (t.Char != ',')
            {
                builder.Append(output[i]);
            }
        }

        return builder.ToString().Trim();
    }

    private static string GroupThousands(string digits)
    {
        var trimmed = digits.Trim();
        if (trimmed.Length <= 3)
        {
            return trimmed;
        }

        var builder = new StringBuilder(trimmed.Length + (trimmed.Length / 3));
        var lead = trimmed.Length % 3;
        if (lead > 0)
        {
            builder.Append(trimmed, 0, lead);
        }

        for (var i = lead; i < trimmed.Length; i += 3)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(trimmed, i, 3);
        }

        return builder.ToString();
    }

    private enum FormatKind
    {
        Number,
        Date,
        Time,
        DateTime,
    }

    private readonly record struct Token(char Char, string? Literal)
    {
        public static Token Code(char c) => new(c, null);

        public static Token Text(string text) => new('\0', text);
    }
}
