using System.Globalization;
using System.Text;

namespace PiiScanner.Resolution;

/// <summary>
/// Normalises person names and decides whether two names can be the same person: case, diacritics and
/// punctuation are folded, honorifics (Mr, Dr…) and suffixes (Jr, Sr, II, III…) are dropped,
/// <c>LAST, FIRST M</c> is turned around, and nicknames (Bill → William, Peggy → Margaret) are resolved from
/// <c>rules/names/nicknames.tsv</c>. Immutable and thread-safe once built.
/// </summary>
internal sealed class NameMatcher
{
    /// <summary>Path of the nickname table inside a rules folder.</summary>
    public const string NicknameFile = "names/nicknames.tsv";

    private static readonly HashSet<string> Honorifics = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "madam", "mme", "mlle", "fr", "hon", "capt", "sgt",
    };

    private static readonly HashSet<string> Suffixes = new(StringComparer.Ordinal)
    {
        "jr", "sr", "ii", "iii", "iv", "v", "vi", "2nd", "3rd", "md", "phd", "esq", "dds", "dmd", "rn", "np", "pa", "do", "cpa", "jd",
    };

    // nickname → formal names (resolved transitively, sorted, distinct).
    private readonly Dictionary<string, string[]> _formals;

    private NameMatcher(Dictionary<string, string[]> formals) => _formals = formals;

    /// <summary>A matcher without nicknames (names still fold case, diacritics, suffixes and order).</summary>
    public static NameMatcher Empty { get; } = new(new Dictionary<string, string[]>(StringComparer.Ordinal));

    /// <summary>
    /// Loads <c>names/nicknames.tsv</c> from the rule folders, in order: the first folder that has the file
    /// gives the base table and later folders add rows. Folders without the file are skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is not <c>nickname&lt;TAB&gt;formal</c> (file and line given).</exception>
    public static NameMatcher Load(IEnumerable<string> ruleDirectories)
    {
        ArgumentNullException.ThrowIfNull(ruleDirectories);
        return Load(ruleDirectories.Where(Directory.Exists).Select(RulesFolder.FromDirectory).ToList());
    }

    /// <inheritdoc cref="Load(IEnumerable{string})"/>
    internal static NameMatcher Load(IEnumerable<RulesFolder> folders)
    {
        var pairs = new List<(string, string)>();
        foreach (var folder in folders)
        {
            if (!folder.Contains(NicknameFile))
            {
                continue;
            }

            var file = folder.Describe(NicknameFile);
            var lineNo = 0;
            var headerSeen = false;
            foreach (var line in folder.ReadLines(NicknameFile))
            {
                lineNo++;
                var text = line.Trim();
                if (text.Length == 0 || text[0] == '#')
                {
                    continue;
                }

                if (!headerSeen)
                {
                    headerSeen = true;
                    if (text.StartsWith("nickname", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }
                }

                var cols = text.Split('\t');
                if (cols.Length != 2 || cols[0].Trim().Length == 0 || cols[1].Trim().Length == 0)
                {
                    throw new InvalidDataException($"{file}:{lineNo}: expected 'nickname<TAB>formal'.");
                }

                pairs.Add((cols[0], cols[1]));
            }
        }

        return FromPairs(pairs);
    }

    /// <summary>Builds a matcher from nickname → formal name pairs (one pair per meaning).</summary>
    public static NameMatcher FromPairs(IEnumerable<(string Nickname, string Formal)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var direct = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (nick, formal) in pairs)
        {
            var n = FoldToken(nick);
            var f = FoldToken(formal);
            if (n.Length == 0 || f.Length == 0 || n == f)
            {
                continue;
            }

            if (!direct.TryGetValue(n, out var set))
            {
                direct[n] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(f);
        }

        // Resolve chains (kate → katherine → catherine) so every nickname points at final formal names.
        var resolved = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var nick in direct.Keys)
        {
            var result = new SortedSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal) { nick };
            var stack = new Stack<string>(direct[nick]);
            while (stack.Count > 0)
            {
                var name = stack.Pop();
                if (!seen.Add(name))
                {
                    continue;
                }

                if (direct.TryGetValue(name, out var next))
                {
                    foreach (var n in next)
                    {
                        stack.Push(n);
                    }
                }
                else
                {
                    result.Add(name);
                }
            }

            if (result.Count > 0)
            {
                resolved[nick] = [.. result];
            }
        }

        return new NameMatcher(resolved);
    }

    /// <summary>Number of nicknames known.</summary>
    public int NicknameCount => _formals.Count;

    /// <summary>
    /// The formal given names a (folded) first name can stand for: the name's own formal names when it is a
    /// nickname, else the name itself. Sorted.
    /// </summary>
    public IReadOnlyList<string> FormalNamesOf(string firstName)
    {
        var folded = FoldToken(firstName ?? string.Empty);
        return _formals.TryGetValue(folded, out var f) ? f : [folded];
    }

    /// <summary>
    /// Whether two written names can be the same person: same surname, compatible given names (equal, one a
    /// nickname of the other, sharing a formal name, or an initial matching the other's given or formal name),
    /// and no conflicting middle initials. Names without a given name and surname never match.
    /// </summary>
    public bool AreCompatible(string a, string b)
    {
        var x = Parse(a);
        var y = Parse(b);
        if (x is null || y is null || x.Last != y.Last)
        {
            return false;
        }

        if (x.Middle.Length > 0 && y.Middle.Length > 0 && x.Middle[0] != y.Middle[0])
        {
            return false;
        }

        if (x.IsInitial || y.IsInitial)
        {
            var (i, full) = x.IsInitial ? (x, y) : (y, x);
            return full.Initials(this).Contains(i.First[0]);
        }

        return x.First == y.First || CanonicalSet(x.First).Overlaps(CanonicalSet(y.First));
    }

    internal HashSet<string> CanonicalSet(string foldedFirst)
    {
        var set = new HashSet<string>(StringComparer.Ordinal) { foldedFirst };
        if (_formals.TryGetValue(foldedFirst, out var f))
        {
            set.UnionWith(f);
        }

        return set;
    }

    /// <summary>The single formal name of a nickname, the name itself when it is no nickname, or null when ambiguous.</summary>
    internal string? Canonical(string foldedFirst) =>
        _formals.TryGetValue(foldedFirst, out var f) ? (f.Length == 1 ? f[0] : null) : foldedFirst;

    /// <summary>Parses a written name; null when it has no given name and surname.</summary>
    internal static ParsedName? Parse(string raw)
    {
        var tokens = Tokens(raw);
        return tokens.Count < 2 ? null : Parse(tokens);
    }

    /// <summary>
    /// Every reading of a written name: the usual one (last token is the surname) and, for three or more tokens,
    /// one with the last two tokens as one surname (<c>Mary Running Crane</c> = <c>Mary Running-Crane</c>).
    /// Empty when the name has no given name and surname.
    /// </summary>
    internal static List<ParsedName> Readings(string raw)
    {
        var tokens = Tokens(raw);
        if (tokens.Count < 2)
        {
            return [];
        }

        var readings = new List<ParsedName> { Parse(tokens) };
        if (tokens.Count >= 3)
        {
            var middle = new StringBuilder();
            for (var i = 1; i < tokens.Count - 2; i++)
            {
                middle.Append(tokens[i][0]);
            }

            readings.Add(new ParsedName(tokens[0], middle.ToString(), tokens[^2] + tokens[^1]));
        }

        return readings;
    }

    /// <summary>
    /// The generational suffix of a written name, folded (<c>jr</c>, <c>sr</c>, <c>ii</c>, <c>iii</c>…), or null.
    /// <c>2nd</c> and <c>3rd</c> read as <c>ii</c> and <c>iii</c>.
    /// </summary>
    internal static string? Generation(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var t = Fold(part);
            for (var i = t.Count - 1; i >= 0 && Suffixes.Contains(t[i]); i--)
            {
                var g = t[i] switch
                {
                    "jr" or "sr" or "ii" or "iii" or "iv" => t[i],
                    "2nd" => "ii",
                    "3rd" => "iii",
                    _ => null,
                };
                if (g is not null)
                {
                    return g;
                }
            }
        }

        return null;
    }

    /// <summary>Whether two folded tokens of at least <paramref name="minLength"/> letters differ by one edit (insert, delete, substitute).</summary>
    internal static bool OneEditApart(string a, string b, int minLength)
    {
        if (a.Length < minLength || b.Length < minLength || a == b || Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var (s, l) = a.Length <= b.Length ? (a, b) : (b, a);
        var i = 0;
        while (i < s.Length && s[i] == l[i])
        {
            i++;
        }

        return s.Length == l.Length
            ? s.AsSpan(i + 1).SequenceEqual(l.AsSpan(i + 1))
            : s.AsSpan(i).SequenceEqual(l.AsSpan(i + 1));
    }

    private static ParsedName Parse(List<string> tokens)
    {
        var middle = new StringBuilder();
        for (var i = 1; i < tokens.Count - 1; i++)
        {
            middle.Append(tokens[i][0]);
        }

        return new ParsedName(tokens[0], middle.ToString(), tokens[^1]);
    }

    /// <summary>Folded tokens of a name in given-name-first order, without honorifics and suffixes.</summary>
    internal static List<string> Tokens(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var parts = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<List<string>>();
        foreach (var part in parts)
        {
            var t = Fold(part);
            StripSuffixes(t);
            if (kept.Count > 0 && t.Count == 1 && Suffixes.Contains(t[0]))
            {
                // "Lucian Harrowgate, MD" and "DOE, JANE, JR": a part that is only a suffix.
                continue;
            }

            if (t.Count > 0)
            {
                kept.Add(t);
            }
        }

        var tokens = new List<string>();
        if (kept.Count >= 2)
        {
            // "DOE, JANE A" (and "DOE, JANE A, JR"): surname first.
            for (var i = 1; i < kept.Count; i++)
            {
                tokens.AddRange(kept[i]);
            }

            tokens.AddRange(kept[0]);
        }
        else if (kept.Count == 1)
        {
            tokens.AddRange(kept[0]);
        }

        while (tokens.Count > 0 && Honorifics.Contains(tokens[0]))
        {
            tokens.RemoveAt(0);
        }

        StripSuffixes(tokens);
        return tokens;
    }

    private static void StripSuffixes(List<string> tokens)
    {
        while (tokens.Count > 1 && Suffixes.Contains(tokens[^1]))
        {
            tokens.RemoveAt(tokens.Count - 1);
        }
    }

    internal static string FoldToken(string s)
    {
        var t = Fold(s);
        return string.Concat(t);
    }

    private static List<string> Fold(string s)
    {
        var decomposed = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lc = char.ToLowerInvariant(c);
            switch (lc)
            {
                case 'ø': sb.Append('o'); break;
                case 'æ': sb.Append("ae"); break;
                case 'œ': sb.Append("oe"); break;
                case 'ß': sb.Append("ss"); break;
                case 'ł': sb.Append('l'); break;
                case 'đ': sb.Append('d'); break;
                case '\'' or '’' or '`' or '-' or '‐' or '–':
                    // O'Brien = OBrien, Smith-Jones = SmithJones.
                    break;
                default:
                    sb.Append(char.IsLetterOrDigit(lc) ? lc : ' ');
                    break;
            }
        }

        return [.. sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }
}

/// <summary>A folded name: given name (or its initial), middle initials, surname.</summary>
internal sealed record ParsedName(string First, string Middle, string Last)
{
    public bool IsInitial => First.Length == 1;

    /// <summary>Letters an initial may stand for: the given name's and its formal names' first letters.</summary>
    public HashSet<char> Initials(NameMatcher matcher)
    {
        var set = new HashSet<char> { First[0] };
        foreach (var f in matcher.CanonicalSet(First))
        {
            set.Add(f[0]);
        }

        return set;
    }
}
