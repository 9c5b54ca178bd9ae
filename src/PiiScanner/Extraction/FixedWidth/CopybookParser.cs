using System.Globalization;
using System.Text;

namespace PiiScanner.Extraction.FixedWidth;

/// <summary>
/// Reads the record layout out of a COBOL copybook: level numbers and group items, <c>PIC X(n)</c> /
/// <c>9(n)</c> / <c>XXX</c> / <c>S9(7)V99</c>, <c>COMP-3</c> (packed: digits / 2 + 1 bytes), <c>COMP</c> /
/// <c>BINARY</c> / <c>COMP-1/2/4/5</c> (binary widths), <c>FILLER</c> (width, no field), <c>REDEFINES</c> (no
/// width; its fields are left out), <c>OCCURS n TIMES</c> (width × n, names suffixed <c>-1</c>…<c>-n</c>;
/// <c>OCCURS 1 TO n</c> takes n), <c>SIGN … SEPARATE</c>, 88-level conditions and 66-level renames (ignored).
/// Fixed-format sources lose their sequence area (columns 1–6), comment lines (<c>*</c> or <c>/</c> in column 7)
/// and columns 73 on; free-format <c>*&gt;</c> comments are dropped. Only the first 01 record is laid out.
/// Stateless and thread-safe; bad input throws <see cref="LayoutException"/> with the line it failed on.
/// </summary>
internal static class CopybookParser
{
    /// <summary>Parses <paramref name="text"/> into a layout.</summary>
    public static FixedLayout Parse(string text)
    {
        var statements = Statements(text);
        if (statements.Count == 0)
        {
            throw new LayoutException("copybook: no data description entries");
        }

        var root = new Node(0, "RECORD", 0);
        var stack = new Stack<Node>();
        stack.Push(root);
        var records = 0;
        foreach (var (statement, line) in statements)
        {
            var node = ParseEntry(statement, line);
            if (node is null)
            {
                continue;
            }

            if (node.Level is 1 or 77 && ++records > 1 && !node.Redefines)
            {
                // A second record description: the file holds the first.
                break;
            }

            while (stack.Count > 1 && stack.Peek().Level >= node.Level)
            {
                stack.Pop();
            }

            var parent = stack.Peek();
            if (parent.Width is not null)
            {
                throw new LayoutException($"copybook line {line}: {parent.Name} has a PIC but also subordinate items");
            }

            parent.Children.Add(node);
            stack.Push(node);
        }

        var fields = new List<FixedField>();
        var length = Layout(root, 0, string.Empty, fields, skip: false);
        if (length == 0 || fields.Count == 0)
        {
            throw new LayoutException("copybook: no elementary fields");
        }

        return new FixedLayout(fields, length, "copybook");
    }

    /// <summary>Lays out <paramref name="node"/> at <paramref name="offset"/>; returns the width it takes.</summary>
    private static int Layout(Node node, int offset, string suffix, List<FixedField> fields, bool skip)
    {
        var occurs = Math.Max(1, node.Occurs);
        var one = 0;
        for (var i = 0; i < occurs; i++)
        {
            var itemSuffix = node.Occurs > 0 ? suffix + "-" + (i + 1).ToString(CultureInfo.InvariantCulture) : suffix;
            var start = offset + (i * one);
            int width;
            if (node.Children.Count == 0)
            {
                width = node.Width ?? throw new LayoutException($"copybook line {node.Line}: {node.Name} has no PIC and no subordinate items");
                if (!skip && !node.IsFiller)
                {
                    fields.Add(new FixedField(node.Name + itemSuffix, start, width, node.Encoding, node.Scale));
                }
            }
            else
            {
                width = 0;
                foreach (var child in node.Children)
                {
                    // A REDEFINES item overlays the storage of the item before it: it takes no width, and its
                    // fields are left out (the same bytes are already read under the first description).
                    if (child.Redefines)
                    {
                        Layout(child, start + width, itemSuffix, [], skip: true);
                        continue;
                    }

                    width += Layout(child, start + width, itemSuffix, fields, skip);
                }
            }

            one = width;
        }

        return one * occurs;
    }

    private static Node? ParseEntry(string statement, int line)
    {
        var tokens = statement.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            return null;
        }

        if (!int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out var level)
            || level is < 1 or > 49 and not 66 and not 77 and not 88)
        {
            throw new LayoutException($"copybook line {line}: expected a level number, found '{Clip(tokens[0])}'");
        }

        if (level is 66 or 88)
        {
            return null;
        }

        var i = 1;
        var name = "FILLER";
        if (i < tokens.Length && !IsKeyword(tokens[i]))
        {
            name = tokens[i++];
        }

        var node = new Node(level, name, line);
        string? picture = null;
        var usage = "DISPLAY";
        var separateSign = false;
        for (; i < tokens.Length; i++)
        {
            var token = tokens[i].ToUpperInvariant();
            switch (token)
            {
                case "PIC" or "PICTURE":
                    if (i + 1 < tokens.Length && tokens[i + 1].Equals("IS", StringComparison.OrdinalIgnoreCase))
                    {
                        i++;
                    }

                    picture = ++i < tokens.Length ? tokens[i] : throw new LayoutException($"copybook line {line}: PIC without a picture string");
                    break;
                case "USAGE" or "IS":
                    break;
                case "COMP" or "COMPUTATIONAL" or "BINARY" or "COMP-4" or "COMPUTATIONAL-4" or "COMP-5" or "COMPUTATIONAL-5":
                    usage = "BINARY";
                    break;
                case "COMP-3" or "COMPUTATIONAL-3" or "PACKED-DECIMAL":
                    usage = "PACKED";
                    break;
                case "COMP-1" or "COMPUTATIONAL-1":
                    usage = "FLOAT4";
                    break;
                case "COMP-2" or "COMPUTATIONAL-2":
                    usage = "FLOAT8";
                    break;
                case "DISPLAY":
                    usage = "DISPLAY";
                    break;
                case "REDEFINES":
                    node.Redefines = true;
                    i++;
                    break;
                case "OCCURS":
                    node.Occurs = ParseOccurs(tokens, ref i, line);
                    break;
                case "SEPARATE":
                    separateSign = true;
                    break;
                case "VALUE" or "VALUES":
                    // The rest is the value literal (may hold spaces and periods); it does not change the layout.
                    i = tokens.Length;
                    break;
                default:
                    // SIGN, LEADING, TRAILING, SYNC, JUST, BLANK WHEN ZERO, INDEXED BY… do not change the width.
                    break;
            }
        }

        if (picture is not null)
        {
            var (chars, digits, scale) = ParsePicture(picture, line);
            node.Scale = scale;
            node.Width = usage switch
            {
                "PACKED" => (digits / 2) + 1,
                "BINARY" => digits <= 4 ? 2 : digits <= 9 ? 4 : 8,
                "FLOAT4" => 4,
                "FLOAT8" => 8,
                _ => chars + (separateSign ? 1 : 0),
            };
        }
        else if (usage is "FLOAT4" or "FLOAT8")
        {
            node.Width = usage == "FLOAT4" ? 4 : 8;
        }

        node.Encoding = usage switch
        {
            "PACKED" => FieldEncoding.Packed,
            "DISPLAY" => FieldEncoding.Display,
            _ => FieldEncoding.Binary,
        };
        return node;
    }

    private static int ParseOccurs(string[] tokens, ref int i, int line)
    {
        if (i + 1 >= tokens.Length || !int.TryParse(tokens[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new LayoutException($"copybook line {line}: OCCURS without a count");
        }

        i++;
        if (i + 2 < tokens.Length && tokens[i + 1].Equals("TO", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(tokens[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            // OCCURS 1 TO n DEPENDING ON …: lay out the largest table.
            count = max;
            i += 2;
        }

        if (count is < 1 or > 10_000)
        {
            throw new LayoutException($"copybook line {line}: OCCURS {count} is out of range");
        }

        return count;
    }

    /// <summary>Character width, digit count and implied decimals of a picture string.</summary>
    private static (int Chars, int Digits, int Scale) ParsePicture(string picture, int line)
    {
        int chars = 0, digits = 0, scale = 0;
        var afterV = false;
        var previous = '\0';
        for (var i = 0; i < picture.Length; i++)
        {
            var c = char.ToUpperInvariant(picture[i]);
            var repeat = 1;
            if (c == '(')
            {
                var close = picture.IndexOf(')', i);
                if (previous == '\0' || close < 0
                    || !int.TryParse(picture.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out repeat)
                    || repeat is < 1 or > 1_000_000)
                {
                    throw new LayoutException($"copybook line {line}: bad repeat count in PIC {Clip(picture)}");
                }

                // The first occurrence of the repeated symbol was already counted.
                repeat--;
                c = previous;
                i = close;
            }

            switch (c)
            {
                case 'X' or 'A' or 'N' or 'B' or '0' or '/' or ',' or '.' or '+' or '-' or '*' or '$':
                    chars += repeat;
                    break;
                case '9' or 'Z':
                    chars += repeat;
                    digits += repeat;
                    if (afterV)
                    {
                        scale += repeat;
                    }

                    break;
                case 'S':
                    break;
                case 'V':
                    afterV = true;
                    break;
                case 'P':
                    digits += repeat;
                    break;
                case 'C' or 'D' when i + 1 < picture.Length && char.ToUpperInvariant(picture[i + 1]) is 'R' or 'B':
                    chars += 2;
                    i++;
                    break;
                default:
                    throw new LayoutException($"copybook line {line}: unknown symbol '{c}' in PIC {Clip(picture)}");
            }

            previous = c;
        }

        if (chars == 0 && digits == 0)
        {
            throw new LayoutException($"copybook line {line}: empty PIC");
        }

        return (chars, digits, scale);
    }

    /// <summary>The source as period-terminated statements, each with the line it starts on.</summary>
    private static List<(string Text, int Line)> Statements(string text)
    {
        var statements = new List<(string, int)>();
        var current = new StringBuilder();
        var start = 0;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = CodeArea(raw.TrimEnd('\r'));
            var quote = '\0';
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quote != '\0')
                {
                    quote = c == quote ? '\0' : quote;
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '.' && (i + 1 == line.Length || char.IsWhiteSpace(line[i + 1])))
                {
                    Flush();
                    continue;
                }

                if (current.Length == 0 && char.IsWhiteSpace(c))
                {
                    continue;
                }

                if (current.Length == 0)
                {
                    start = number;
                }

                current.Append(c);
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }
        }

        Flush();
        return statements;

        void Flush()
        {
            var statement = current.ToString().Trim();
            if (statement.Length > 0)
            {
                statements.Add((statement, start));
            }

            current.Clear();
        }
    }

    /// <summary>The code part of a source line: sequence area, comment lines and columns 73+ removed.</summary>
    private static string CodeArea(string line)
    {
        var fixedFormat = line.Length >= 7 && IsSequenceArea(line.AsSpan(0, 6));
        if (fixedFormat)
        {
            if (line[6] is '*' or '/')
            {
                return string.Empty;
            }

            line = line.Length > 72 ? line[7..72] : line[7..];
        }
        else if (line.TrimStart().StartsWith('*'))
        {
            return string.Empty;
        }

        var inline = line.IndexOf("*>", StringComparison.Ordinal);
        return inline >= 0 ? line[..inline] : line;
    }

    private static bool IsSequenceArea(ReadOnlySpan<char> area)
    {
        // Blanks, or a sequence number (digits, sometimes letters) with no level-number shape "01 NAME".
        if (area.IsWhiteSpace())
        {
            return true;
        }

        return area.IndexOf(' ') < 0 && area.IndexOfAnyExcept("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") < 0;
    }

    private static bool IsKeyword(string token) => token.ToUpperInvariant() is "PIC" or "PICTURE" or "REDEFINES" or "OCCURS"
        or "USAGE" or "COMP" or "COMP-3" or "BINARY" or "VALUE" or "DISPLAY" or "PACKED-DECIMAL";

    private static string Clip(string text) => text.Length <= 24 ? text : text[..24] + "…";

    private sealed class Node(int level, string name, int line)
    {
        public int Level { get; } = level;

        public string Name { get; } = name;

        public int Line { get; } = line;

        public bool IsFiller => Name.Equals("FILLER", StringComparison.OrdinalIgnoreCase);

        public int? Width { get; set; }

        public int Scale { get; set; }

        public FieldEncoding Encoding { get; set; }

        public bool Redefines { get; set; }

        public int Occurs { get; set; }

        public List<Node> Children { get; } = [];
    }
}
