using System.Globalization;
using System.Text;
using PiiScanner.Resolution;
using static System.FormattableString;

namespace PiiScanner.Testing;

/// <summary>The accuracy of an index over one category of the realistic share (or all of it).</summary>
/// <param name="Category">Category name, or <c>overall</c>.</param>
/// <param name="People">Truth persons of the category.</param>
/// <param name="Found">Truth persons matched by at least one row.</param>
/// <param name="Rows">Index rows in the category's tally.</param>
/// <param name="PreciseRows">Rows of the tally matched to exactly one truth person.</param>
/// <param name="MergeErrors">Rows of the tally matched to two or more truth persons.</param>
/// <param name="RowsOfFound">Sum over found persons of the rows matched to them.</param>
/// <param name="ElementPairs">Truth (person, element) pairs.</param>
/// <param name="ElementPairsFound">Pairs whose element is in one of the person's matched rows.</param>
/// <param name="FilePairs">Truth (person, file) pairs.</param>
/// <param name="FilePairsFound">Pairs whose file is a source of one of the person's matched rows.</param>
public sealed record AccuracyLine(string Category, int People, int Found, int Rows, int PreciseRows, int MergeErrors, int RowsOfFound, int ElementPairs, int ElementPairsFound, int FilePairs, int FilePairsFound)
{
    /// <summary>Found / people (1 when there are none).</summary>
    public double Recall => Ratio(Found, People);

    /// <summary>Rows matched to exactly one person / rows (1 when there are none).</summary>
    public double RowPrecision => Ratio(PreciseRows, Rows);

    /// <summary>Rows per found person; 1.0 is perfect, 2.0 means every found person is split in two.</summary>
    public double Fragmentation => Found == 0 ? 1 : (double)RowsOfFound / Found;

    /// <summary>Found element pairs / element pairs.</summary>
    public double ElementRecall => Ratio(ElementPairsFound, ElementPairs);

    /// <summary>Found file pairs / file pairs.</summary>
    public double FileRecall => Ratio(FilePairsFound, FilePairs);

    private static double Ratio(int a, int b) => b == 0 ? 1 : (double)a / b;
}

/// <summary>
/// One thing the index got wrong, masked: ids, categories, paths and element names only, never a value.
/// <see cref="Kind"/> is <c>missed</c>, <c>unmatched</c>, <c>merged</c>, <c>split</c> or <c>missing-element</c>;
/// <see cref="Class"/> a coarse cause for counting (the element or file kind, the non-person kind…).
/// </summary>
public sealed record AccuracyFailure(string Kind, string Category, string Class, string Detail);

/// <summary>
/// Scores an exposure index against the truth of <see cref="RealisticShare"/>. A row (an <see cref="Individual"/>)
/// matches a truth person when they share an SSN, ITIN, MBI or licence number, or when a name of the row agrees
/// with the person's (accent- and case-folded, nickname-aware, middle optional, maiden or married surname, suffix
/// not contradicted) and the DOB is equal, or street and ZIP are equal and the row holds no other DOB; a
/// one-letter surname typo is forgiven only when both DOB and address agree. Pure and deterministic.
/// </summary>
public sealed class AccuracyReport
{
    private static readonly HashSet<string> SuffixTokens = new(StringComparer.Ordinal) { "jr", "sr", "ii", "iii", "iv" };

    private AccuracyReport(AccuracyLine overall, IReadOnlyList<AccuracyLine> categories, IReadOnlyList<AccuracyFailure> failures)
    {
        Overall = overall;
        Categories = categories;
        Failures = failures;
    }

    /// <summary>All persons and rows.</summary>
    public AccuracyLine Overall { get; }

    /// <summary>One line per category of <see cref="RealisticTruth.Categories"/>, in that order.</summary>
    public IReadOnlyList<AccuracyLine> Categories { get; }

    /// <summary>Every failure, masked, sorted by category then kind.</summary>
    public IReadOnlyList<AccuracyFailure> Failures { get; }

    /// <summary>Scores <paramref name="individuals"/>; nicknames come from <c>rules/names/nicknames.tsv</c> found above the working directory or the app base.</summary>
    public static AccuracyReport Evaluate(RealisticTruth truth, IReadOnlyList<Individual> individuals)
        => Evaluate(truth, individuals, LoadNicknames());

    /// <summary>Scores <paramref name="individuals"/> with the given nickname pairs (nickname, formal).</summary>
    public static AccuracyReport Evaluate(RealisticTruth truth, IReadOnlyList<Individual> individuals, IEnumerable<(string Nickname, string Formal)> nicknames)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(individuals);
        var aliases = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (nick, formal) in nicknames)
        {
            Alias(Fold(nick), Fold(formal));
            Alias(Fold(formal), Fold(nick));
        }

        var people = truth.People.Select(p => new PersonKeys(p, aliases)).ToList();
        var rows = individuals.Select(i => new RowKeys(i)).ToList();
        var matches = rows.Select(r => people.Where(p => Matches(p, r)).ToList()).ToList();
        var rowsOf = people.ToDictionary(p => p.Person.Id, _ => new List<int>(), StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            foreach (var p in matches[r])
            {
                rowsOf[p.Person.Id].Add(r);
            }
        }

        var rowCategories = new List<IReadOnlyList<string>>();
        for (var r = 0; r < rows.Count; r++)
        {
            rowCategories.Add(matches[r].Count > 0
                ? [.. matches[r].SelectMany(p => p.Person.Categories).Distinct(StringComparer.Ordinal)]
                : [RealisticTruth.CategoryOfPath(rows[r].Individual.Sources.FirstOrDefault()?.Path ?? string.Empty) ?? "other"]);
        }

        var names = RealisticTruth.Categories.Select(c => c.Category).ToList();
        if (rowCategories.Any(c => c.Contains("other")))
        {
            names.Add("other");
        }

        var lines = names.Select(c => Line(c, people.Where(p => p.Person.Categories.Contains(c)).ToList(), Enumerable.Range(0, rows.Count).Where(r => rowCategories[r].Contains(c)).ToList())).ToList();
        var overall = Line("overall", people, [.. Enumerable.Range(0, rows.Count)]);
        var failures = CollectFailures(truth, people, rows, matches, rowsOf, rowCategories);
        return new AccuracyReport(overall, lines, failures);

        AccuracyLine Line(string category, List<PersonKeys> ps, List<int> rs)
        {
            var found = ps.Where(p => rowsOf[p.Person.Id].Count > 0).ToList();
            int elements = 0, elementsFound = 0, files = 0, filesFound = 0;
            foreach (var p in ps)
            {
                var mine = rowsOf[p.Person.Id].Select(r => rows[r].Individual).ToList();
                foreach (var e in p.Person.Elements)
                {
                    elements++;
                    elementsFound += mine.Any(i => i.Elements.Contains(e)) ? 1 : 0;
                }

                foreach (var f in p.Person.Files)
                {
                    files++;
                    filesFound += mine.Any(i => i.Sources.Any(s => SamePath(s.Path, f.Path))) ? 1 : 0;
                }
            }

            return new AccuracyLine(
                category, ps.Count, found.Count, rs.Count, rs.Count(r => matches[r].Count == 1), rs.Count(r => matches[r].Count >= 2),
                found.Sum(p => rowsOf[p.Person.Id].Count), elements, elementsFound, files, filesFound);
        }

        void Alias(string from, string to)
        {
            if (!aliases.TryGetValue(from, out var set))
            {
                aliases[from] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(to);
        }
    }

    /// <summary>The scores as a Markdown table (no values, only counts and ratios).</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder("| category | people | found | recall | rows | row precision | fragmentation | merge errors | element recall | file recall |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var line in Categories.Append(Overall))
        {
            var name = line.Category == "overall" ? "**overall**" : line.Category;
            sb.Append(Invariant($"| {name} | {line.People} | {line.Found} | {line.Recall:F3} | {line.Rows} | {line.RowPrecision:F3} | {line.Fragmentation:F3} | {line.MergeErrors} | {line.ElementRecall:F3} | {line.FileRecall:F3} |\n"));
        }

        return sb.ToString();
    }

    /// <summary>Failure counts per category, kind and class, then up to <paramref name="examples"/> examples of each, as Markdown.</summary>
    public string FailuresToMarkdown(int examples = 3)
    {
        var sb = new StringBuilder("| category | kind | class | count |\n| --- | --- | --- | ---: |\n");
        var groups = Failures.GroupBy(f => (f.Category, f.Kind, f.Class)).OrderBy(g => g.Key.Category, StringComparer.Ordinal).ThenByDescending(g => g.Count()).ThenBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Class, StringComparer.Ordinal).ToList();
        foreach (var g in groups)
        {
            sb.Append(Invariant($"| {g.Key.Category} | {g.Key.Kind} | {g.Key.Class} | {g.Count()} |\n"));
        }

        sb.Append("\nExamples:\n\n");
        foreach (var g in groups)
        {
            foreach (var f in g.Take(examples))
            {
                sb.Append("- ").Append(f.Category).Append(" / ").Append(f.Kind).Append(" / ").Append(f.Class).Append(": ").Append(f.Detail).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static List<AccuracyFailure> CollectFailures(RealisticTruth truth, List<PersonKeys> people, List<RowKeys> rows, List<List<PersonKeys>> matches, Dictionary<string, List<int>> rowsOf, List<IReadOnlyList<string>> rowCategories)
    {
        var failures = new List<AccuracyFailure>();
        var nonPersonNames = truth.NonPersons.Where(n => n.Kind != "decoy").Select(n => (n.Kind, Tokens: Tokens(n.Label))).ToList();
        var decoyDigits = truth.NonPersons.Where(n => n.Kind == "decoy").Select(n => (Kind: n.Label.Split(' ')[0], Value: Alnum(n.Label.Split(' ')[^1]))).ToList();
        foreach (var p in people)
        {
            var category = p.Person.Categories[0];
            var mine = rowsOf[p.Person.Id];
            if (mine.Count == 0)
            {
                failures.Add(new("missed", category, Shape(p.Person), Invariant($"{p.Person.Id} [{string.Join(',', p.Person.Categories)}] in {string.Join("; ", p.Person.Files.Select(f => f.Path + " (" + string.Join(',', f.Elements) + ")"))}")));
                continue;
            }

            if (mine.Count > 1)
            {
                failures.Add(new("split", category, Invariant($"{mine.Count} rows"), Invariant($"{p.Person.Id} [{string.Join(',', p.Person.Categories)}] in rows {string.Join(" | ", mine.Select(r => Describe(rows[r].Individual)))}")));
            }

            var individuals = mine.Select(r => rows[r].Individual).ToList();
            var missing = p.Person.Elements.Where(e => !individuals.Any(i => i.Elements.Contains(e))).ToList();
            foreach (var e in missing)
            {
                failures.Add(new("missing-element", category, e, Invariant($"{p.Person.Id} [{string.Join(',', p.Person.Categories)}] lacks {e}; truth files {string.Join("; ", p.Person.Files.Where(f => f.Elements.Contains(e)).Select(f => f.Path))}")));
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var individual = rows[r].Individual;
            if (matches[r].Count == 0)
            {
                var tokens = rows[r].Names.SelectMany(n => n).ToHashSet(StringComparer.Ordinal);
                var kind = nonPersonNames.FirstOrDefault(n => n.Tokens.Length > 0 && n.Tokens.All(tokens.Contains)).Kind;
                kind ??= decoyDigits.FirstOrDefault(d => rows[r].Strong.Any(s => s.EndsWith(":" + d.Value, StringComparison.Ordinal))).Kind is { } decoy ? "decoy " + decoy : null;
                kind ??= rows[r].Names.Count == 0 ? "no name" : "unknown";
                failures.Add(new("unmatched", rowCategories[r][0], kind, Describe(individual)));
            }
            else if (matches[r].Count > 1)
            {
                failures.Add(new("merged", rowCategories[r][0], Invariant($"{matches[r].Count} people"), Invariant($"{string.Join(',', matches[r].Select(p => p.Person.Id + "[" + string.Join(',', p.Person.Categories) + "]"))} in {Describe(individual)}")));
            }
        }

        return [.. failures.OrderBy(f => f.Category, StringComparer.Ordinal).ThenBy(f => f.Kind, StringComparer.Ordinal).ThenBy(f => f.Class, StringComparer.Ordinal)];

        static string Shape(TruthPerson p) => string.Join('+', p.Files.Select(f => Path.GetExtension(f.Path.Split('!')[0]).TrimStart('.').ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    private static string Describe(Individual i)
        => Invariant($"row {i.Id} ({string.Join(',', i.Elements)}) from {string.Join("; ", i.Sources.Take(4).Select(s => s.Path + "@" + s.Locator + " (" + string.Join(',', s.Elements) + ")"))}{(i.Sources.Count > 4 ? " …" : string.Empty)}");

    private static bool SamePath(string source, string truthPath)
    {
        var s = source.Replace('\\', '/');
        return s == truthPath || s.StartsWith(truthPath + "!", StringComparison.Ordinal);
    }

    private static bool Matches(PersonKeys p, RowKeys r)
    {
        if (p.Strong.Overlaps(r.Strong))
        {
            return true;
        }

        var dobOk = r.Dobs.Contains(p.Dob);

        // A row whose identifiers are all someone else's is not this person's by name and address alone: "Gordon
        // Pettibone, 41 Larkspur Ln, SSN of the Sr" is the Sr, not also the Jr who shares name and address. With
        // this person's date of birth in it, it still is (a real merge).
        if (r.Strong.Count > 0 && p.Strong.Count > 0 && !dobOk)
        {
            return false;
        }

        var addressOk = r.Addresses.Any(a => a.Contains(p.House) && a.Contains(p.StreetWord) && a.Contains(p.Zip));
        if (!dobOk && !addressOk)
        {
            return false;
        }

        var nameOk = r.Names.Any(n => NameAgrees(p, n, typo: false));
        if (nameOk && (dobOk || r.Dobs.Count == 0))
        {
            return true;
        }

        return dobOk && addressOk && r.Names.Any(n => NameAgrees(p, n, typo: true));
    }

    private static bool NameAgrees(PersonKeys p, string[] tokens, bool typo)
    {
        var suffix = tokens.FirstOrDefault(SuffixTokens.Contains);
        if (suffix is not null && suffix != p.Suffix)
        {
            return false;
        }

        foreach (var last in p.Lasts)
        {
            for (var i = 0; i + last.Length <= tokens.Length; i++)
            {
                var window = string.Concat(tokens.AsSpan(i, last.Length).ToArray());
                var wanted = string.Concat(last);
                if (window == wanted || (typo && Distance(window, wanted) <= 1))
                {
                    for (var t = 0; t < tokens.Length; t++)
                    {
                        if ((t < i || t >= i + last.Length) && p.Firsts.Contains(tokens[t]))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return 2;
        }

        var d = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            d[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var previous = d[0];
            d[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var temp = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = temp;
            }
        }

        return d[b.Length];
    }

    /// <summary>Lower case, accents stripped, apostrophes dropped, every other non-letter/digit a space.</summary>
    internal static string Fold(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '’')
            {
                continue;
            }

            sb.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        return sb.ToString().Trim();
    }

    private static string[] Tokens(string s) => Fold(s).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Alnum(string s) => new([.. s.ToUpperInvariant().Where(char.IsAsciiLetterOrDigit)]);

    private static List<(string, string)> LoadNicknames()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "rules", "names", "nicknames.tsv");
                if (File.Exists(path))
                {
                    return [.. File.ReadLines(path)
                        .Where(l => l.Length > 0 && l[0] != '#' && l.Contains('\t', StringComparison.Ordinal))
                        .Select(l => l.Split('\t'))
                        .Where(p => p[0] != "nickname")
                        .Select(p => (p[0].Trim(), p[1].Trim()))];
                }
            }
        }

        throw new FileNotFoundException("rules/names/nicknames.tsv not found above " + Directory.GetCurrentDirectory());
    }

    private sealed class PersonKeys
    {
        public PersonKeys(TruthPerson person, Dictionary<string, HashSet<string>> aliases)
        {
            Person = person;
            if (person.Ssn is not null)
            {
                Strong.Add("n:" + Alnum(person.Ssn));
            }

            foreach (var v in new[] { person.Itin, person.Mbi, person.DlNumber })
            {
                if (v is not null)
                {
                    Strong.Add("n:" + Alnum(v));
                }
            }

            var first = Fold(person.First).Replace(" ", string.Empty, StringComparison.Ordinal);
            Firsts.Add(first);
            if (aliases.TryGetValue(first, out var more))
            {
                Firsts.UnionWith(more);
            }

            Lasts.Add(Tokens(person.Last));
            if (person.Maiden is not null)
            {
                Lasts.Add(Tokens(person.Maiden));
            }

            Suffix = person.Suffix is null ? null : Fold(person.Suffix);
            Dob = person.Dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var street = Tokens(person.Street);
            House = street[0];
            StreetWord = street.Length > 1 ? street[1] : street[0];
            Zip = person.Zip[..5];
        }

        public TruthPerson Person { get; }

        public HashSet<string> Strong { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Firsts { get; } = new(StringComparer.Ordinal);

        public List<string[]> Lasts { get; } = [];

        public string? Suffix { get; }

        public string Dob { get; }

        public string House { get; }

        public string StreetWord { get; }

        public string Zip { get; }
    }

    private sealed class RowKeys
    {
        public RowKeys(Individual individual)
        {
            Individual = individual;
            foreach (var (element, values) in individual.Values)
            {
                foreach (var v in values)
                {
                    switch (element)
                    {
                        case "ssn" or "itin" or "mbi" or "driversLicense":
                            Strong.Add("n:" + Alnum(v.Value));
                            break;
                        case "dob":
                            Dobs.Add(v.Value);
                            break;
                        case "address":
                            Addresses.Add(Tokens(v.Value).ToHashSet(StringComparer.Ordinal));
                            break;
                        default:
                            break;
                    }
                }
            }

            foreach (var name in new[] { individual.Name }.Concat(individual.NameVariants).OfType<string>())
            {
                var tokens = Tokens(name);
                if (tokens.Length > 0 && !Names.Any(n => n.SequenceEqual(tokens)))
                {
                    Names.Add(tokens);
                }
            }
        }

        public Individual Individual { get; }

        public HashSet<string> Strong { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Dobs { get; } = new(StringComparer.Ordinal);

        public List<HashSet<string>> Addresses { get; } = [];

        public List<string[]> Names { get; } = [];
    }
}
