namespace PiiScanner.Detection.Matching;

/// <summary>
/// Keyword-gated candidates: finds keywords (whole words, case-insensitive) and the value tokens that follow
/// each within a small window, skipping punctuation and filler words (<c>No.</c>, <c>number</c>, <c>#</c>).
/// Immutable and thread-safe.
/// </summary>
/// <typeparam name="TKind">What a keyword announces.</typeparam>
internal sealed class ContextKeywords<TKind>
{
    private readonly TKind[] _kinds;
    private readonly Lazy<AhoCorasick> _automaton;

    public ContextKeywords(string name, IEnumerable<(string Keyword, TKind Kind)> keywords)
    {
        var list = keywords.ToList();
        _kinds = [.. list.Select(k => k.Kind)];
        Words = new WordList(name, list.Select(k => k.Keyword));
        _automaton = new(() => new AhoCorasick(Words.Words));
    }

    /// <summary>The keywords, for the engine's one pass (declare them in <see cref="ISegmentDetector.Words"/>).</summary>
    public WordList Words { get; }

    /// <summary>Keyword hits in a scanned text, leftmost-longest, with the kind each announces.</summary>
    public IEnumerable<(int Start, int End, TKind Kind)> Find(TextUnit unit) => unit.HasWords ? Kinds(unit.Find(Words)) : [];

    /// <summary>Keyword hits in a short text that is no scanned text (a header), leftmost-longest.</summary>
    public IEnumerable<(int Start, int End, TKind Kind)> FindIn(string text) => Kinds(_automaton.Value.FindAll(text));

    private IEnumerable<(int Start, int End, TKind Kind)> Kinds(List<WordHit> hits)
    {
        foreach (var m in AhoCorasick.LeftmostLongest(hits))
        {
            yield return (m.Start, m.Start + m.Length, _kinds[m.Word]);
        }
    }
}

/// <summary>Reads the value tokens that follow a keyword.</summary>
internal static class ValueTokens
{
    private static readonly HashSet<string> Filler = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "nbr", "num", "number", "numb", "nr", "is", "of", "id", "code", "codes", "the", "and", "was", "were", "on",
        "file", "identifier", "reg", "registration", "primary", "secondary",
    };

    /// <summary>
    /// The tokens (letters, digits, inner <c>.</c>/<c>-</c>) after <paramref name="pos"/> within
    /// <paramref name="window"/> characters, filler words (<c>No.</c>, <c>number</c>, <c>#</c>) skipped, stopping at
    /// the first other word, a blank line, or after <paramref name="maxTokens"/> tokens.
    /// </summary>
    public static IEnumerable<(int Start, int End)> TokensAfter(string text, int pos, int window, int maxTokens = 1)
    {
        var limit = Math.Min(text.Length, pos + window);
        var i = pos;
        var yielded = 0;
        while (i < limit && yielded < maxTokens)
        {
            while (i < limit && !char.IsAsciiLetterOrDigit(text[i]))
            {
                if (char.IsLetterOrDigit(text[i]) || text[i] is '\n' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    yield break;
                }

                i++;
            }

            if (i >= limit)
            {
                yield break;
            }

            var s = i;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) ||
                   (text[i] is '.' or '-' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]))))
            {
                i++;
            }

            var token = text.AsSpan(s, i - s);
            if (!token.ContainsAnyInRange('0', '9'))
            {
                if (Filler.Contains(token.ToString()))
                {
                    continue;
                }

                yield break;
            }

            yield return (s, i);
            yielded++;
        }
    }
}
