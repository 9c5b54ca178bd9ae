using System.Text;

namespace PiiScanner.Extraction.Sql;

/// <summary>SQL identifier and literal helpers for <see cref="SqlDumpParser"/>. Stateless.</summary>
internal static class Identifiers
{
    private static readonly string[] NotColumns =
    [
        "PRIMARY", "KEY", "UNIQUE", "CONSTRAINT", "INDEX", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK", "EXCLUDE", "LIKE",
        "PERIOD",
    ];

    /// <summary><c>`db`.`t`</c>, <c>"public"."t"</c>, <c>[dbo].[t]</c> → <c>db.t</c>.</summary>
    public static string Unquote(string name)
    {
        var sb = new StringBuilder(name.Length);
        var quote = '\0';
        foreach (var c in name)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c is '`' or '"')
            {
                quote = c;
            }
            else if (c == '[')
            {
                quote = ']';
            }
            else if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>A column list <c>`a`, "b", c</c> → <c>a, b, c</c>.</summary>
    public static string[] SplitList(string list)
        => [.. SplitTopLevel(list).Select(Unquote).Where(n => n.Length > 0)];

    /// <summary>Column names of a CREATE TABLE body (the text after its opening parenthesis).</summary>
    public static string[] ColumnsOfCreateTable(ReadOnlySpan<char> body)
    {
        var columns = new List<string>();
        foreach (var item in SplitTopLevel(body.ToString(), stopAtClose: true))
        {
            var text = item.TrimStart();
            if (text.Length == 0)
            {
                continue;
            }

            var name = FirstIdentifier(text, out var quoted);
            if (name.Length == 0 || (!quoted && Array.Exists(NotColumns, k => k.Equals(name, StringComparison.OrdinalIgnoreCase))))
            {
                continue;
            }

            columns.Add(name);
        }

        return [.. columns];
    }

    /// <summary>Decodes a PostgreSQL COPY text field (<c>\t</c>, <c>\n</c>, <c>\\</c>, octal and hex escapes).</summary>
    public static string UnescapeCopy(string field, int maxChars)
    {
        if (field.IndexOf('\\', StringComparison.Ordinal) < 0)
        {
            return field.Length <= maxChars ? field : field[..maxChars];
        }

        var sb = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length && sb.Length < maxChars; i++)
        {
            var c = field[i];
            if (c != '\\' || i + 1 == field.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = field[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case >= '0' and <= '7':
                    var value = 0;
                    var n = 0;
                    while (n < 3 && i < field.Length && field[i] is >= '0' and <= '7')
                    {
                        value = (value * 8) + (field[i] - '0');
                        i++;
                        n++;
                    }

                    i--;
                    sb.Append((char)value);
                    break;
                case 'x' when i + 1 < field.Length && char.IsAsciiHexDigit(field[i + 1]):
                    var hex = 0;
                    var h = 0;
                    while (h < 2 && i + 1 < field.Length && char.IsAsciiHexDigit(field[i + 1]))
                    {
                        hex = (hex * 16) + Convert.ToInt32(field[i + 1].ToString(), 16);
                        i++;
                        h++;
                    }

                    sb.Append((char)hex);
                    break;
                default: sb.Append(e); break;
            }
        }

        return sb.ToString();
    }

    private static string FirstIdentifier(string text, out bool quoted)
    {
        quoted = text[0] is '`' or '"' or '[';
        if (quoted)
        {
            var close = text[0] == '[' ? ']' : text[0];
            var end = text.IndexOf(close, 1);
            return end < 0 ? string.Empty : text[1..end];
        }

        var length = 0;
        while (length < text.Length && (char.IsLetterOrDigit(text[length]) || text[length] is '_' or '$'))
        {
            length++;
        }

        return text[..length];
    }

    /// <summary>Splits at commas outside quotes and parentheses; with <paramref name="stopAtClose"/>, stops at the unmatched <c>)</c>.</summary>
    private static List<string> SplitTopLevel(string text, bool stopAtClose = false)
    {
        var items = new List<string>();
        var depth = 0;
        var quote = '\0';
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"' or '`':
                    quote = c;
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when depth == 0 && stopAtClose:
                    items.Add(text[start..i]);
                    return items;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    items.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        items.Add(text[start..]);
        return items;
    }
}
