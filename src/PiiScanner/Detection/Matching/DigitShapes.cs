namespace PiiScanner.Detection.Matching;

/// <summary>
/// A list of digit shapes a detector or rule declares: the runs of ASCII digits its values are written in, and what
/// stands between and around them. The engine looks for every declared shape in its one digit pass over each text
/// (<see cref="TextUnit.Has(DigitShapeList)"/>), so a detector whose shapes are absent (a log line's timestamp or IP
/// address is no SSN) never runs its regexes. Immutable.
/// </summary>
/// <remarks>
/// A shape is written <c>{n}</c>, <c>{n,m}</c> or <c>{n,}</c> for one whole run of digits (no digit directly before or
/// after it) of that length, with literal characters between, before and after the runs: <c>{3}-{2}-{4}</c> is
/// <c>123-45-6789</c>, <c>{9}</c> nine digits on their own, <c>[ \t]{5}</c> five digits after a space or tab. A
/// character between runs, before the first or after the last must be there exactly as written; <c>[…]</c> is one of
/// the characters listed (<c>a-z</c> ranges allowed), <c>[^…]</c> a non-digit that is not listed, <c>\t</c> a tab,
/// <c>\</c> escapes any other character. Runs are separated by at least one character; a shape never names a digit outside a run.
/// A text holding a decimal digit outside ASCII (<c>١٢٣</c>, which a regex <c>\d</c> also matches) matches every
/// shape, so a shape never hides a match from a regex.
/// </remarks>
public sealed class DigitShapeList
{
    /// <summary>Declares a list.</summary>
    /// <param name="name">What the list is for (diagnostics).</param>
    /// <param name="shapes">The shapes (see the remarks); a text has the list when it holds any of them.</param>
    /// <exception cref="FormatException">A shape is malformed (the message names it and says why).</exception>
    public DigitShapeList(string name, IEnumerable<string> shapes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shapes);
        Name = name;
        Shapes = [.. shapes];
        Parsed = [.. Shapes.Select(DigitShape.Parse)];
    }

    /// <summary>What the list is for.</summary>
    public string Name { get; }

    /// <summary>The shapes, as written.</summary>
    public IReadOnlyList<string> Shapes { get; }

    internal DigitShape[] Parsed { get; }
}

/// <summary>One parsed digit shape (see <see cref="DigitShapeList"/>): runs, and the characters around and between them.</summary>
internal sealed class DigitShape
{
    private DigitShape(string text, (int Min, int Max)[] runs, CharTest[][] gaps)
    {
        Text = text;
        Runs = runs;
        Gaps = gaps;
    }

    /// <summary>The shape as written.</summary>
    public string Text { get; }

    /// <summary>Each run's least and most digits.</summary>
    public (int Min, int Max)[] Runs { get; }

    /// <summary>Gaps[0]: the characters right before the first run; Gaps[i]: between run i-1 and i; the last: after the last run.</summary>
    public CharTest[][] Gaps { get; }

    /// <exception cref="FormatException">The shape is malformed.</exception>
    public static DigitShape Parse(string shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var runs = new List<(int, int)>();
        var gaps = new List<CharTest[]>();
        var gap = new List<CharTest>();
        for (var i = 0; i < shape.Length; i++)
        {
            var c = shape[i];
            if (c == '{')
            {
                var close = shape.IndexOf('}', i);
                if (close < 0)
                {
                    throw Bad(shape, "'{' without '}'");
                }

                if (runs.Count > 0 && gap.Count == 0)
                {
                    throw Bad(shape, "two runs need a character between them (a run is every digit in a row)");
                }

                runs.Add(ParseRun(shape, shape[(i + 1)..close]));
                gaps.Add([.. gap]);
                gap.Clear();
                i = close;
            }
            else if (c == '[')
            {
                var close = shape.IndexOf(']', i + 1);
                if (close < 0)
                {
                    throw Bad(shape, "'[' without ']'");
                }

                gap.Add(ParseClass(shape, shape[(i + 1)..close]));
                i = close;
            }
            else if (c == '\\')
            {
                if (++i >= shape.Length)
                {
                    throw Bad(shape, "'\\' at the end");
                }

                gap.Add(Literal(shape, Escaped(shape[i])));
            }
            else if (c == '}' || c == ']')
            {
                throw Bad(shape, $"'{c}' without its opening bracket");
            }
            else
            {
                gap.Add(Literal(shape, c));
            }
        }

        if (runs.Count == 0)
        {
            throw Bad(shape, "no digit run ({n}, {n,m} or {n,})");
        }

        gaps.Add([.. gap]);
        return new DigitShape(shape, [.. runs], [.. gaps]);
    }

    /// <summary>
    /// Whether the runs <c>starts[..count]</c> / <c>lengths[..count]</c> (the text's runs so far, in a ring of
    /// <c>starts.Length</c>) end with this shape.
    /// </summary>
    public bool EndsAt(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, int count)
    {
        var runs = Runs.Length;
        if (count < runs)
        {
            return false;
        }

        var ring = starts.Length;
        for (var r = 0; r < runs; r++)
        {
            var slot = (count - runs + r) % ring;
            var length = lengths[slot];
            if (length < Runs[r].Min || length > Runs[r].Max)
            {
                return false;
            }

            // The characters before this run: the leading ones for the first run, else the whole gap since the last.
            var start = starts[slot];
            var before = Gaps[r];
            if (r > 0)
            {
                var previous = (count - runs + r - 1) % ring;
                if (start - (starts[previous] + lengths[previous]) != before.Length)
                {
                    return false;
                }
            }
            else if (start < before.Length)
            {
                return false;
            }

            if (!Matches(text.Slice(start - before.Length, before.Length), before))
            {
                return false;
            }
        }

        var lastSlot = (count - 1) % ring;
        var end = starts[lastSlot] + lengths[lastSlot];
        var after = Gaps[runs];
        return end + after.Length <= text.Length && Matches(text.Slice(end, after.Length), after);
    }

    private static bool Matches(ReadOnlySpan<char> chars, CharTest[] tests)
    {
        for (var i = 0; i < tests.Length; i++)
        {
            if (!tests[i].Matches(chars[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static (int, int) ParseRun(string shape, string body)
    {
        var comma = body.IndexOf(',', StringComparison.Ordinal);
        var min = comma < 0 ? body : body[..comma];
        var max = comma < 0 ? body : body[(comma + 1)..];
        if (!int.TryParse(min, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            throw Bad(shape, $"'{{{body}}}' needs a least length of 1 or more");
        }

        if (max.Length == 0)
        {
            return (n, int.MaxValue);
        }

        if (!int.TryParse(max, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) || m < n)
        {
            throw Bad(shape, $"'{{{body}}}' needs a most length of at least {n}");
        }

        return (n, m);
    }

    private static CharTest ParseClass(string shape, string body)
    {
        var negated = body.StartsWith('^');
        if (negated)
        {
            body = body[1..];
        }

        if (body.Length == 0)
        {
            throw Bad(shape, "an empty '[]'");
        }

        var chars = new System.Text.StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i] == '\\' && i + 1 < body.Length ? Escaped(body[++i]) : body[i];
            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                var last = body[i + 2];
                if (last < c)
                {
                    throw Bad(shape, $"the range '{c}-{last}' runs backwards");
                }

                for (var x = c; x <= last; x++)
                {
                    chars.Append(x);
                }

                i += 2;
            }
            else
            {
                chars.Append(c);
            }
        }

        var set = chars.ToString();
        if (!negated && set.Any(char.IsAsciiDigit))
        {
            throw Bad(shape, "a digit in '[…]': digits belong in runs ({n})");
        }

        return new CharTest(set, negated);
    }

    // "\t" is a tab (YAML's single-quoted strings keep the backslash); any other escaped character stands for itself.
    private static char Escaped(char c) => c == 't' ? '\t' : c;

    private static CharTest Literal(string shape, char c) =>
        char.IsAsciiDigit(c) ? throw Bad(shape, $"the digit '{c}' outside a run: digits belong in runs ({{n}})") : new CharTest(c.ToString(), false);

    private static FormatException Bad(string shape, string why) => new($"digit shape '{shape}': {why}");
}

/// <summary>One character of a shape's gap: one of <see cref="Chars"/>, or (negated) any non-digit not among them.</summary>
internal readonly record struct CharTest(string Chars, bool Negated)
{
    public bool Matches(char c) => Negated ? !char.IsAsciiDigit(c) && !Chars.Contains(c, StringComparison.Ordinal) : Chars.Contains(c, StringComparison.Ordinal);
}

/// <summary>
/// Every digit shape an engine serves, numbered: the one digit pass (<see cref="DigitRuns.Measure"/>) reports which
/// are in a text as a bit mask. Immutable and thread-safe.
/// </summary>
internal sealed class DigitShapeSet
{
    /// <summary>At most this many distinct shapes are looked for; a list with a shape beyond them is never ruled out.</summary>
    public const int Capacity = 64;

    private readonly Dictionary<DigitShapeList, ulong> _lists = new(ReferenceEqualityComparer.Instance);

    public DigitShapeSet(IEnumerable<DigitShapeList> lists)
    {
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        var shapes = new List<DigitShape>();
        foreach (var list in lists)
        {
            if (_lists.ContainsKey(list))
            {
                continue;
            }

            var mask = 0UL;
            foreach (var shape in list.Parsed)
            {
                if (!byText.TryGetValue(shape.Text, out var bit))
                {
                    bit = shapes.Count < Capacity ? shapes.Count : -1;
                    if (bit >= 0)
                    {
                        shapes.Add(shape);
                    }

                    byText[shape.Text] = bit;
                }

                // A shape without a bit cannot be told apart: the list then never rules a text out.
                mask = bit < 0 || mask == ulong.MaxValue ? ulong.MaxValue : mask | (1UL << bit);
            }

            _lists[list] = list.Parsed.Length == 0 ? ulong.MaxValue : mask;
        }

        Shapes = [.. shapes];
        MaxRuns = shapes.Count == 0 ? 1 : shapes.Max(s => s.Runs.Length);
    }

    /// <summary>An empty set (no shapes).</summary>
    public static DigitShapeSet Empty { get; } = new([]);

    /// <summary>The shapes, by bit.</summary>
    public DigitShape[] Shapes { get; }

    /// <summary>The most runs in one shape.</summary>
    public int MaxRuns { get; }

    /// <summary>
    /// The bits of a list's shapes (<see cref="ulong.MaxValue"/> when one has none, or the list is empty), or null when
    /// the list is not served here.
    /// </summary>
    public ulong? MaskOf(DigitShapeList list) => _lists.TryGetValue(list, out var mask) ? mask : null;

    /// <summary>Whether a text whose pass found <paramref name="found"/> holds one of the shapes in <paramref name="mask"/>.</summary>
    public static bool Holds(ulong found, ulong mask) => mask == ulong.MaxValue || (found & mask) != 0;
}
