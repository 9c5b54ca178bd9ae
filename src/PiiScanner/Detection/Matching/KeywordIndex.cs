namespace PiiScanner.Detection.Matching;

/// <summary>
/// A list of words a detector declares (keywords, context words, a vocabulary): the engine finds every list's
/// words in one pass over each text and hands the detector its hits (<see cref="TextUnit.Find"/>). Words match
/// case-insensitively and as words, folded as <see cref="AhoCorasick"/> folds them (<c>Crohn's</c> = <c>crohns</c>,
/// <c>type-2  diabetes</c> = <c>type 2 diabetes</c>). Immutable.
/// </summary>
public sealed class WordList
{
    /// <summary>Declares a list.</summary>
    /// <param name="name">What the list is for (diagnostics).</param>
    /// <param name="words">The words; a hit's <see cref="WordHit.Word"/> is an index into this list.</param>
    /// <param name="digitMayFollow">
    /// Whether a word ending in a letter may be followed by a digit (<c>SSN123</c>, a keyword run into its value);
    /// a word ending in punctuation may then be followed by anything. Otherwise a match must end a word.
    /// </param>
    public WordList(string name, IEnumerable<string> words, bool digitMayFollow = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(words);
        Name = name;
        Words = [.. words];
        DigitMayFollow = digitMayFollow;
    }

    /// <summary>What the list is for.</summary>
    public string Name { get; }

    /// <summary>The words, in declaration order.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Whether a digit may follow a word (see the constructor).</summary>
    public bool DigitMayFollow { get; }
}

/// <summary>
/// Every word of every <see cref="WordList"/> an engine serves, in one automaton: one pass per text finds them
/// all, and each list's hits are read from that pass. Immutable and thread-safe.
/// </summary>
internal sealed class KeywordIndex
{
    private readonly AhoCorasick _automaton;
    private readonly (int List, int Word)[][] _owners;          // pattern → the lists (and word indexes) it serves
    private readonly Dictionary<WordList, int> _lists = new(ReferenceEqualityComparer.Instance);
    private readonly WordList[] _byId;

    public KeywordIndex(IEnumerable<WordList> lists)
    {
        var patterns = new List<string>();
        var patternOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var owners = new List<List<(int, int)>>();
        var byId = new List<WordList>();
        foreach (var list in lists)
        {
            if (_lists.ContainsKey(list))
            {
                continue;
            }

            var id = byId.Count;
            _lists[list] = id;
            byId.Add(list);
            for (var w = 0; w < list.Words.Count; w++)
            {
                var folded = AhoCorasick.FoldPattern(list.Words[w]);
                if (folded.Length == 0)
                {
                    continue;
                }

                if (!patternOf.TryGetValue(folded, out var pattern))
                {
                    pattern = patterns.Count;
                    patternOf[folded] = pattern;
                    patterns.Add(folded);
                    owners.Add([]);
                }

                owners[pattern].Add((id, w));
            }
        }

        _automaton = new AhoCorasick(patterns);
        _owners = [.. owners.Select(o => o.ToArray())];
        _byId = [.. byId];
    }

    /// <summary>The one pass: every word of every list that starts a word in <paramref name="text"/>, or null.</summary>
    public List<WordHit>? Scan(ReadOnlySpan<char> text)
    {
        var hits = _automaton.Find(text, wholeWord: false);
        return hits is { Count: > 0 } ? hits : null;
    }

    /// <summary>The id of a list, or -1 when it is not served here.</summary>
    public int IdOf(WordList list) => _lists.TryGetValue(list, out var id) ? id : -1;

    /// <summary>The hits of list <paramref name="list"/> among a pass's hits, with word indexes of that list.</summary>
    public List<WordHit> Select(string text, List<WordHit>? hits, int list)
    {
        var result = new List<WordHit>();
        Collect(text, hits, list, result);
        return result;
    }

    /// <summary>Whether any hit belongs to list <paramref name="list"/>.</summary>
    public bool Any(string text, List<WordHit>? hits, int list) => Collect(text, hits, list, into: null);

    // The hits of one list, added to into (or, without into, whether there is one: stops at the first).
    private bool Collect(string text, List<WordHit>? hits, int list, List<WordHit>? into)
    {
        if (hits is null || list < 0)
        {
            return false;
        }

        var found = false;
        foreach (var hit in hits)
        {
            foreach (var (owner, word) in _owners[hit.Word])
            {
                if (owner == list && Ends(text, hit, _byId[list], word))
                {
                    if (into is null)
                    {
                        return true;
                    }

                    into.Add(hit with { Word = word });
                    found = true;
                }
            }
        }

        return found;
    }

    private static bool Ends(string text, WordHit hit, WordList list, int word)
    {
        var end = hit.Start + hit.Length;
        if (end >= text.Length)
        {
            return true;
        }

        if (!list.DigitMayFollow)
        {
            return !char.IsLetterOrDigit(text[end]);
        }

        var written = list.Words[word];
        return !char.IsLetter(text[end]) || !char.IsLetter(written[^1]);
    }
}
