namespace PiiScanner.Detection.Matching;

/// <summary>
/// A case-insensitive multi-pattern matcher (Aho–Corasick automaton compiled to a dense transition table),
/// built once and then shared: immutable and thread-safe.
/// Text is folded while it is scanned: letters are lower-cased; spaces, tabs, line breaks, <c>-</c>, <c>/</c>
/// and <c>_</c> become one separator (runs collapse); apostrophes are skipped, so <c>Crohn's</c> matches the
/// pattern <c>crohns</c> and <c>type-2  diabetes</c> matches <c>type 2 diabetes</c>.
/// Matches are reported whole-word only: the characters around the match must not be letters or digits.
/// </summary>
internal sealed class AhoCorasick
{
    private const char Separator = ' ';

    private readonly short[] _alphabet;      // folded char → symbol (0 = not in any pattern)
    private readonly int _symbols;
    private readonly int[] _next;            // state * _symbols + symbol → state
    private readonly int[][] _outputs;       // state → pattern ids ending here (own and via suffix links)
    private readonly int[] _patternLength;   // pattern id → folded length
    private readonly int _ringMask;

    /// <summary>Builds the automaton. Patterns are folded the same way as text; empty ones are ignored.</summary>
    /// <param name="patterns">The patterns; a pattern's id is its index in this list.</param>
    public AhoCorasick(IReadOnlyList<string> patterns)
    {
        _patternLength = new int[patterns.Count];
        var folded = new string[patterns.Count];
        var alphabet = new short[char.MaxValue + 1];
        short symbols = 1;
        var maxLen = 1;
        for (var i = 0; i < patterns.Count; i++)
        {
            folded[i] = FoldPattern(patterns[i]);
            _patternLength[i] = folded[i].Length;
            maxLen = Math.Max(maxLen, folded[i].Length);
            foreach (var c in folded[i])
            {
                if (alphabet[c] == 0)
                {
                    alphabet[c] = symbols++;
                }
            }
        }

        _alphabet = alphabet;
        _symbols = symbols;
        var ring = 1;
        while (ring < maxLen + 1)
        {
            ring <<= 1;
        }

        _ringMask = ring - 1;

        // Trie.
        var trie = new List<int[]> { new int[_symbols] };
        var outs = new List<List<int>> { new() };
        for (var id = 0; id < folded.Length; id++)
        {
            if (folded[id].Length == 0)
            {
                continue;
            }

            var state = 0;
            foreach (var c in folded[id])
            {
                var sym = alphabet[c];
                if (trie[state][sym] == 0)
                {
                    trie.Add(new int[_symbols]);
                    outs.Add([]);
                    trie[state][sym] = trie.Count - 1;
                }

                state = trie[state][sym];
            }

            outs[state].Add(id);
        }

        // Breadth-first: failure links folded into a full transition table.
        var count = trie.Count;
        _next = new int[count * _symbols];
        var fail = new int[count];
        var queue = new Queue<int>();
        for (var s = 1; s < _symbols; s++)
        {
            var t = trie[0][s];
            _next[s] = t;
            if (t != 0)
            {
                fail[t] = 0;
                queue.Enqueue(t);
            }
        }

        while (queue.Count > 0)
        {
            var r = queue.Dequeue();
            outs[r].AddRange(outs[fail[r]]);
            for (var s = 1; s < _symbols; s++)
            {
                var t = trie[r][s];
                if (t != 0)
                {
                    fail[t] = _next[(fail[r] * _symbols) + s];
                    queue.Enqueue(t);
                    _next[(r * _symbols) + s] = t;
                }
                else
                {
                    _next[(r * _symbols) + s] = _next[(fail[r] * _symbols) + s];
                }
            }
        }

        _outputs = new int[count][];
        for (var i = 0; i < count; i++)
        {
            _outputs[i] = outs[i].Count == 0 ? [] : [.. outs[i].Distinct()];
        }
    }

    /// <summary>
    /// Folds one character as patterns and text are folded: '\0' when it is dropped (an ignored character, or a
    /// separator right after another), else the folded character.
    /// </summary>
    private static char FoldStep(char c, ref bool lastSep)
    {
        var f = Fold(c);
        if (f == '\0' || (f == Separator && lastSep))
        {
            return '\0';
        }

        lastSep = f == Separator;
        return f;
    }

    /// <summary>Folds a pattern the way text is folded while scanning.</summary>
    public static string FoldPattern(string pattern)
    {
        var sb = new System.Text.StringBuilder(pattern.Length);
        var lastSep = true;
        foreach (var c in pattern)
        {
            var f = FoldStep(c, ref lastSep);
            if (f != '\0')
            {
                sb.Append(f);
            }
        }

        return sb.ToString().TrimEnd(Separator);
    }

    /// <summary>
    /// Finds every whole-word occurrence of every pattern, overlapping ones included, in order of their end.
    /// </summary>
    public List<AhoMatch> FindAll(ReadOnlySpan<char> text)
    {
        List<AhoMatch>? result = null;
        Span<int> ring = _ringMask < 256 ? stackalloc int[_ringMask + 1] : new int[_ringMask + 1];
        var state = 0;
        var folded = 0;
        var lastSep = true;
        for (var i = 0; i < text.Length; i++)
        {
            var f = FoldStep(text[i], ref lastSep);
            if (f == '\0')
            {
                continue;
            }

            ring[folded & _ringMask] = i;
            folded++;
            var sym = _alphabet[f];
            state = sym == 0 ? 0 : _next[(state * _symbols) + sym];
            var outputs = _outputs[state];
            if (outputs.Length == 0)
            {
                continue;
            }

            foreach (var id in outputs)
            {
                var start = ring[(folded - _patternLength[id]) & _ringMask];
                var end = i + 1;
                if (IsWordChar(text, start - 1) || IsWordChar(text, end))
                {
                    continue;
                }

                (result ??= []).Add(new AhoMatch(id, start, end - start));
            }
        }

        return result ?? [];
    }

    /// <summary>
    /// Keeps the leftmost-longest matches that do not overlap (for "type 2 diabetes mellitus" over "diabetes").
    /// </summary>
    public static List<AhoMatch> LeftmostLongest(List<AhoMatch> matches)
    {
        matches.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var kept = new List<AhoMatch>();
        var end = -1;
        foreach (var m in matches)
        {
            if (m.Start >= end)
            {
                kept.Add(m);
                end = m.Start + m.Length;
            }
        }

        return kept;
    }

    private static bool IsWordChar(ReadOnlySpan<char> text, int index) =>
        (uint)index < (uint)text.Length && char.IsLetterOrDigit(text[index]);

    private static char Fold(char c)
    {
        if (c < 128)
        {
            if (c is >= 'A' and <= 'Z')
            {
                return (char)(c + 32);
            }

            return c switch
            {
                ' ' or '\t' or '\n' or '\r' or '-' or '/' or '_' => Separator,
                '\'' => '\0',
                _ => c,
            };
        }

        return c switch
        {
            '\u00A0' or '\u2010' or '\u2011' or '\u2013' => Separator,
            '\u2019' or '\u2018' => '\0',
            _ => char.ToLowerInvariant(c),
        };
    }
}

/// <summary>One match of <see cref="AhoCorasick"/>: the pattern id and the span in the original text.</summary>
internal readonly record struct AhoMatch(int PatternId, int Start, int Length);
