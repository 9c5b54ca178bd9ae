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
    /// <c>ringMask + 1</c>, a power of two) end with this shape. Checked from the end, where most texts fail.
    /// </summary>
    public bool EndsAt(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, int count, int ringMask)
    {
        var runs = Runs.Length;
        if (count < runs)
        {
            return false;
        }

        var slot = (count - 1) & ringMask;
        var end = starts[slot] + lengths[slot];
        var after = Gaps[runs];
        if (after.Length > 0 && (end + after.Length > text.Length || !Matches(text.Slice(end, after.Length), after)))
        {
            return false;
        }

        for (var r = runs - 1; r >= 0; r--)
        {
            slot = (count - runs + r) & ringMask;
            var (start, length) = (starts[slot], lengths[slot]);
            if (length < Runs[r].Min || length > Runs[r].Max)
            {
                return false;
            }

            // The characters before this run: the whole gap since the run before, or the leading ones.
            var before = Gaps[r];
            if (r > 0)
            {
                var previous = (count - runs + r - 1) & ringMask;
                if (start - (starts[previous] + lengths[previous]) != before.Length)
                {
                    return false;
                }
            }
            else if (start < before.Length)
            {
                return false;
            }

            if (before.Length > 0 && !Matches(text.Slice(start - before.Length, before.Length), before))
            {
                return false;
            }
        }

        return true;
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
    public bool Matches(char c) =>
        Chars.Length == 1 && !Negated ? c == Chars[0]
        : Negated ? !char.IsAsciiDigit(c) && !Chars.Contains(c, StringComparison.Ordinal) : Chars.Contains(c, StringComparison.Ordinal);
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
        RingMask = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(shapes.Count == 0 ? 1 : shapes.Max(s => s.Runs.Length))) - 1;
        ByLastRun = new ulong[LongRun + 1];
        for (var length = 1; length <= LongRun; length++)
        {
            for (var bit = 0; bit < Shapes.Length; bit++)
            {
                var (min, max) = Shapes[bit].Runs[^1];
                if (length == LongRun ? max >= LongRun : length >= min && length <= max)
                {
                    ByLastRun[length] |= 1UL << bit;
                }
            }
        }

        // The character right before a shape's last run, and the gap since the run before it, rule out most shapes
        // without a look at the runs before.
        ByCharBefore = new ulong[NoCharBefore + 1];
        ByGapBefore = new ulong[LongGap + 1];
        for (var bit = 0; bit < Shapes.Length; bit++)
        {
            var shape = Shapes[bit];
            var before = shape.Gaps[shape.Runs.Length - 1];
            for (var c = 0; c < NoCharBefore; c++)
            {
                if (before.Length == 0 || c >= 128 || before[^1].Matches((char)c))
                {
                    ByCharBefore[c] |= 1UL << bit;
                }
            }

            if (before.Length == 0)
            {
                ByCharBefore[NoCharBefore] |= 1UL << bit;
            }

            for (var gap = 0; gap <= LongGap; gap++)
            {
                // One run: at least its leading characters before it; more: exactly the gap between the last two.
                var fits = shape.Runs.Length == 1 ? gap >= before.Length || gap == LongGap : gap == before.Length || (gap == LongGap && before.Length >= LongGap);
                if (fits)
                {
                    ByGapBefore[gap] |= 1UL << bit;
                }
            }
        }
    }

    // Runs this long or longer share one entry of ByLastRun; gaps this long or longer one of ByGapBefore.
    private const int LongRun = 32;
    private const int LongGap = 16;

    // ByCharBefore: entries 0-127 an ASCII character, 128 any other, 129 none (the run starts the text).
    private const int NoCharBefore = 129;

    /// <summary>An empty set (no shapes).</summary>
    public static DigitShapeSet Empty { get; } = new([]);

    /// <summary>The shapes, by bit.</summary>
    public DigitShape[] Shapes { get; }

    /// <summary>The ring of the last runs a shape is checked on: its size (a power of two, at least the most runs in one shape) less one.</summary>
    public int RingMask { get; }

    /// <summary>Per run length (longer runs: the last entry), the shapes whose last run may be that long.</summary>
    private ulong[] ByLastRun { get; }

    private ulong[] ByCharBefore { get; }

    private ulong[] ByGapBefore { get; }

    /// <summary>
    /// The shapes that may end with a run of <paramref name="length"/> digits at <paramref name="start"/>, with
    /// <paramref name="gap"/> characters since the run before (or since the start of the text).
    /// </summary>
    public ulong EndingWith(ReadOnlySpan<char> text, int start, int length, int gap) =>
        ByLastRun[Math.Min(length, LongRun)]
        & ByGapBefore[Math.Min(gap, LongGap)]
        & ByCharBefore[start == 0 ? NoCharBefore : Math.Min(text[start - 1], (char)128)];

    /// <summary>
    /// The bits of a list's shapes (<see cref="ulong.MaxValue"/> when one has none, or the list is empty), or null when
    /// the list is not served here.
    /// </summary>
    public ulong? MaskOf(DigitShapeList list) => _lists.TryGetValue(list, out var mask) ? mask : null;

    /// <summary>Whether a text whose pass found <paramref name="found"/> holds one of the shapes in <paramref name="mask"/>.</summary>
    public static bool Holds(ulong found, ulong mask) => mask == ulong.MaxValue || (found & mask) != 0;
}
