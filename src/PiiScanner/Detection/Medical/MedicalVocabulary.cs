using PiiScanner.Detection.Matching;

namespace PiiScanner.Detection.Medical;

/// <summary>
/// The medical vocabularies of <c>rules/medical/</c> (conditions, medications, procedures) as one word list
/// of the terms and their variants, found in the detection engine's one keyword pass. Immutable and thread-safe.
/// </summary>
internal sealed class MedicalVocabulary
{
    /// <summary>The rule id of the terms found in the vocabularies (<c>rules/medical/medical-vocab.yaml</c>).</summary>
    internal const string RuleId = "medical-vocab";

    private static readonly HashSet<string> Categories = new(StringComparer.Ordinal)
    {
        "mental-health", "substance-use", "hiv-sti", "reproductive-health", "cancer", "disability", "other",
    };

    private readonly List<MedicalTerm> _terms;
    private readonly List<(int Term, string Variant)> _patterns;
    private readonly Dictionary<string, MedicalTerm> _byCode;

    private MedicalVocabulary(List<MedicalTerm> terms, List<(int, string)> patterns)
    {
        _terms = terms;
        _patterns = patterns;
        Words = new WordList("medical vocabulary", patterns.Select(p => p.Item2));
        _byCode = new Dictionary<string, MedicalTerm>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in terms.Where(t => t.Code is not null && t.Kind == MedicalTermKind.Condition))
        {
            _byCode.TryAdd(t.Code!, t);
        }
    }

    /// <summary>Every canonical term.</summary>
    public IReadOnlyList<MedicalTerm> Terms => _terms;

    /// <summary>Number of patterns (terms, variants, generated plurals).</summary>
    public int PatternCount => _patterns.Count;

    /// <summary>Every term and variant as one word list (a hit's word index is its <see cref="Pattern"/> index).</summary>
    public WordList Words { get; }

    /// <summary>
    /// Loads <c>conditions.tsv</c>, <c>medications.tsv</c> and <c>procedures.tsv</c> from
    /// <paramref name="directory"/> (schema in <c>rules/README.md, "Medical vocabularies"</c>).
    /// </summary>
    /// <exception cref="RuleLoadException">A row is malformed (the message names file, line and the <c>medical-vocab</c> rule).</exception>
    public static MedicalVocabulary Load(string directory) => Load(RulesFolder.FromDirectory(directory), string.Empty);

    /// <inheritdoc cref="Load(string)"/>
    internal static MedicalVocabulary Load(RulesFolder folder, string subfolder)
    {
        string PathOf(string name) => subfolder.Length == 0 ? name : subfolder + "/" + name;
        IEnumerable<(string File, int Line, string[] Cols)> ReadTsv(string name, int minColumns) =>
            MedicalVocabulary.ReadTsv(folder, PathOf(name), minColumns);

        foreach (var name in (string[])["conditions.tsv", "medications.tsv", "procedures.tsv"])
        {
            if (!folder.Contains(PathOf(name)))
            {
                throw new RuleLoadException(folder.Describe(PathOf(name)), RuleId, "missing: a rules folder with medical vocabularies has conditions.tsv, medications.tsv and procedures.tsv");
            }
        }

        var terms = new List<MedicalTerm>();
        var patterns = new List<(int, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(MedicalTerm term, IEnumerable<string> variants, bool plurals)
        {
            var index = terms.Count;
            terms.Add(term);
            foreach (var v in variants.Prepend(term.Term).Where(v => !string.IsNullOrWhiteSpace(v)))
            {
                foreach (var form in plurals ? WithPlural(v.Trim()) : [v.Trim()])
                {
                    // The first term to claim a spelling keeps it.
                    if (seen.Add(AhoCorasick.FoldPattern(form)))
                    {
                        patterns.Add((index, form));
                    }
                }
            }
        }

        foreach (var (file, line, cols) in ReadTsv("conditions.tsv", 3))
        {
            var category = Category(file, line, cols[2]);
            Add(new MedicalTerm(cols[0], NullIfEmpty(cols[1]), category, MedicalTermKind.Condition), Variants(cols, 3), plurals: true);
        }

        foreach (var (file, line, cols) in ReadTsv("medications.tsv", 3))
        {
            var generic = cols[0];
            var category = Category(file, line, cols[2]);
            var variants = Variants(cols, 1).ToList();
            if (generic.Contains('/', StringComparison.Ordinal))
            {
                // "emtricitabine/tenofovir disoproxil fumarate" is also written "emtricitabine/tenofovir".
                variants.Add(string.Join('/', generic.Split('/').Select(c => c.Trim().Split(' ')[0])));
            }

            Add(new MedicalTerm(generic, null, category, MedicalTermKind.Medication), variants, plurals: false);
        }

        foreach (var (file, line, cols) in ReadTsv("procedures.tsv", 3))
        {
            var category = Category(file, line, cols[2]);
            Add(new MedicalTerm(cols[0], NullIfEmpty(cols[1]), category, MedicalTermKind.Procedure), Variants(cols, 3), plurals: true);
        }

        return new MedicalVocabulary(terms, patterns);
    }

    /// <summary>The condition whose ICD-10-CM code is <paramref name="code"/>, or null.</summary>
    public MedicalTerm? ByCode(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>The term and the variant text of an automaton pattern.</summary>
    internal (MedicalTerm Term, string Variant) Pattern(int id) => (_terms[_patterns[id].Term], _patterns[id].Variant);

    private static IEnumerable<string> Variants(string[] cols, int index) =>
        cols.Length > index ? cols[index].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];

    private static IEnumerable<string> WithPlural(string term)
    {
        yield return term;
        // Plurals of the last word for lower-case words (not abbreviations): "panic attacks", "kidney stones".
        var last = term[(term.LastIndexOf(' ') + 1)..];
        if (last.Length < 4 || !last.All(char.IsLetter) || last.All(char.IsUpper) || char.IsUpper(last[^1]))
        {
            yield break;
        }

        if (last.EndsWith('s') || last.EndsWith('x'))
        {
            yield break;
        }

        yield return last.EndsWith('y') && !"aeiou".Contains(last[^2], StringComparison.Ordinal)
            ? term[..^1] + "ies"
            : last.EndsWith("ch", StringComparison.Ordinal) || last.EndsWith("sh", StringComparison.Ordinal) ? term + "es" : term + "s";
    }

    private static string Category(string file, int line, string value) =>
        Categories.Contains(value) ? value : throw new RuleLoadException($"{file}:{line}", RuleId, $"unknown category '{value}'");

    private static string? NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static IEnumerable<(string File, int Line, string[] Cols)> ReadTsv(RulesFolder folder, string relativePath, int minColumns)
    {
        var path = folder.Describe(relativePath);
        var lineNo = 0;
        var header = true;
        foreach (var line in folder.ReadLines(relativePath))
        {
            lineNo++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (header)
            {
                header = false;
                continue;
            }

            var cols = line.Split('\t');
            if (cols.Length < minColumns || string.IsNullOrWhiteSpace(cols[0]))
            {
                throw new RuleLoadException($"{path}:{lineNo}", RuleId, $"expected at least {minColumns} tab-separated columns");
            }

            yield return (path, lineNo, cols);
        }
    }
}

/// <summary>A canonical vocabulary entry.</summary>
/// <param name="Term">Canonical term (a condition, a generic drug name, a procedure).</param>
/// <param name="Code">ICD-10-CM code when known.</param>
/// <param name="Category">Sensitivity category.</param>
/// <param name="Kind">Condition, medication or procedure.</param>
internal sealed record MedicalTerm(string Term, string? Code, string Category, MedicalTermKind Kind);

/// <summary>What a vocabulary entry names.</summary>
internal enum MedicalTermKind
{
    /// <summary>A condition or diagnosis.</summary>
    Condition,

    /// <summary>A medication (generic or brand).</summary>
    Medication,

    /// <summary>A treatment or procedure.</summary>
    Procedure,
}
