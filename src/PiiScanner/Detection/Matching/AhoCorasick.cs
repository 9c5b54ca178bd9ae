using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PiiScanner.Detection.Matching;

/// <summary>
/// A case-insensitive multi-pattern matcher (Aho–Corasick automaton compiled to a dense transition table),
/// built once and then shared: immutable and thread-safe.
/// Text is folded while it is scanned: letters are lower-cased; spaces, tabs, line breaks, <c>-</c>, <c>/</c>
/// and <c>_</c> become one separator (runs collapse); apostrophes are skipped, so <c>Crohn's</c> matches the
/// pattern <c>crohns</c> and <c>type-2  diabetes</c> matches <c>type 2 diabetes</c>.
/// Matches start a word (no letter or digit before them); by default they also end one (see <see cref="FindAll(ReadOnlySpan{char}, bool)"/>).
/// </summary>
internal sealed class AhoCorasick
{
    private const char Separator = ' ';
    private const ushort Skip = ushort.MaxValue;

    // Every character folded once, for all automata: '\0' for a dropped character.
    private static readonly char[] FoldTable = BuildFoldTable();

    private readonly ushort[] _symbolOf;     // text char → symbol (0 = in no pattern, Skip = dropped)
    private readonly int _separatorSymbol;   // the separator's symbol, or -1 when no pattern holds one
    private readonly int _symbols;
    // row + symbol → the next state's row (state * _symbols) times two, plus one when a pattern ends there: the scan's
    // one dependent load per character needs no multiply and no second lookup.
    private readonly int[] _next;
    private readonly int[][] _outputs;       // state → pattern ids ending here (own and via suffix links)
    private readonly int[] _patternLength;   // pattern id → folded length

    /// <summary>Builds the automaton. Patterns are folded the same way as text; empty ones are ignored.</summary>
    /// <param name="patterns">The patterns; a pattern's id is its index in this list.</param>
    public AhoCorasick(IReadOnlyList<string> patterns)
    {
        _patternLength = new int[patterns.Count];
        var folded = new string[patterns.Count];
        var alphabet = new ushort[char.MaxValue + 1];
        ushort symbols = 1;
        for (var i = 0; i < patterns.Count; i++)
        {
            folded[i] = FoldPattern(patterns[i]);
            _patternLength[i] = folded[i].Length;
            foreach (var c in folded[i])
            {
                if (alphabet[c] == 0)
                {
                    alphabet[c] = symbols++;
                }
            }
        }

        _symbols = symbols;
        _separatorSymbol = alphabet[Separator] == 0 ? -1 : alphabet[Separator];
        _symbolOf = new ushort[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var f = FoldTable[c];
            _symbolOf[c] = f == '\0' ? Skip : alphabet[f];
        }

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

        for (var i = 0; i < _next.Length; i++)
        {
            var target = _next[i];
            _next[i] = checked((target * _symbols * 2) + (_outputs[target].Length > 0 ? 1 : 0));
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
    /// Finds every occurrence of every pattern that starts a word, overlapping ones included, in order of their end.
    /// With <paramref name="wholeWord"/> (the default) a match must also end a word (no letter or digit after it);
    /// without, the caller decides what may follow (see <see cref="KeywordIndex"/>).
    /// </summary>
    public List<WordHit> FindAll(ReadOnlySpan<char> text, bool wholeWord = true) => Find(text, wholeWord) ?? [];

    /// <summary>As <see cref="FindAll"/>, but null when nothing is found (most texts: no list is made for them).</summary>
    public List<WordHit>? Find(ReadOnlySpan<char> text, bool wholeWord = true)
    {
        List<WordHit>? result = null;
        // The one dependent load per character without bounds checks: a char indexes the 65,536 symbols, and every entry
        // of the transition table is a row start (state * _symbols) of the same table, to which a symbol is added.
        ref var symbolOf = ref MemoryMarshal.GetArrayDataReference(_symbolOf);
        ref var next = ref MemoryMarshal.GetArrayDataReference(_next);
        var separator = _separatorSymbol;
        var row = 0;
        var lastSep = true;
        for (var i = 0; i < text.Length; i++)
        {
            int sym = Unsafe.Add(ref symbolOf, text[i]);
            if (sym == Skip)
            {
                continue;
            }

            if (sym == separator)
            {
                if (lastSep)
                {
                    continue;
                }

                lastSep = true;
            }
            else
            {
                lastSep = false;
            }

            var entry = Unsafe.Add(ref next, row + sym);
            row = entry >> 1;
            if ((entry & 1) != 0)
            {
                foreach (var id in _outputs[row / _symbols])
                {
                    var start = StartOf(text, i, _patternLength[id]);
                    var end = i + 1;
                    if (IsWordChar(text, start - 1) || (wholeWord && IsWordChar(text, end)))
                    {
                        continue;
                    }

                    (result ??= []).Add(new WordHit(id, start, end - start));
                }
            }
        }

        return result;
    }

    // Where a match of a pattern of folded length ends at last starts: walks back over the text as it was folded
    // (dropped characters skipped, a run of separators one character). Runs only for matches.
    private static int StartOf(ReadOnlySpan<char> text, int last, int length)
    {
        var count = 0;
        var inSeparators = false;
        for (var j = last; j >= 0; j--)
        {
            var f = FoldTable[text[j]];
            if (f == '\0')
            {
                continue;
            }

            if (f == Separator)
            {
                if (!inSeparators)
                {
                    count++;
                    inSeparators = true;
                }

                continue;
            }

            inSeparators = false;
            if (++count == length)
            {
                return j;
            }
        }

        return 0;
    }

    /// <summary>
    /// Keeps the leftmost-longest matches that do not overlap (for "type 2 diabetes mellitus" over "diabetes").
    /// </summary>
    public static List<WordHit> LeftmostLongest(List<WordHit> matches)
    {
        matches.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var kept = new List<WordHit>();
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

    private static char[] BuildFoldTable()
    {
        var table = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            table[c] = Fold((char)c);
        }

        return table;
    }

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

/// <summary>One match of a word list: the word's index in its list and the span it covers in the text.</summary>
/// <param name="Word">The index of the word (pattern) in the list it was declared in.</param>
/// <param name="Start">Where the match starts in the text.</param>
/// <param name="Length">The match's length in the text (it may differ from the word's: <c>Crohn's</c> for <c>crohns</c>).</param>
public readonly record struct WordHit(int Word, int Start, int Length);
