using System.Buffers;
using PiiScanner.Detection.Matching;
using PiiScanner.Detection.Validators;
using PiiScanner.Extraction;

namespace PiiScanner.Detection.Medical;

/// <summary>
/// Finds health codes and identifiers that only count with context (a keyword just before the value, or a field
/// whose header names it):
/// ICD-10-CM diagnosis codes (<c>Dx</c>, <c>diagnosis</c>, <c>ICD-10</c>) and NDC drug codes (<c>NDC</c>) →
/// element <c>medical</c> with <see cref="Finding.Code"/>; health insurance member, subscriber, policy, group and
/// Medicaid numbers → <c>healthInsurance</c> (<see cref="FindingQualifiers.Kind"/> says which). MBI, NPI and DEA numbers
/// are pattern rules (<c>rules/medical/</c>). Immutable and thread-safe.
/// </summary>
internal sealed class MedicalCodeDetector : ISegmentDetector, IPlainLineScreen
{
    private const int Window = 32;

    /// <summary>The rule id of diagnosis codes.</summary>
    internal const string Icd10RuleId = "icd10-cm";

    /// <summary>The rule id of drug codes.</summary>
    internal const string NdcRuleId = "ndc";

    /// <summary>The rule id of health insurance numbers.</summary>
    internal const string InsuranceRuleId = "health-insurance";

    // The insurance number kinds, each with its word lists in health-insurance.yaml (words.member, words.memberHeaders…).
    private static readonly CodeKind[] InsuranceKinds = [CodeKind.Member, CodeKind.Subscriber, CodeKind.Policy, CodeKind.Group, CodeKind.Medicaid];

    private readonly MedicalVocabulary? _vocabulary;
    private readonly ContextKeywords<CodeKind> _keywords;
    private readonly ContextKeywords<CodeKind> _headers;
    private readonly HeaderMemo<CodeKind?> _headerKinds;
    private readonly Icd10Validator _icd10 = new();
    private readonly NdcValidator _ndc = new();

    /// <summary>
    /// Creates the detector from its rules (each may be null: that id is then not reported): <c>icd10-cm</c> and
    /// <c>ndc</c> give <c>words.keywords</c> (a code follows them) and <c>words.headers</c> (a column of codes);
    /// <c>health-insurance</c> gives <c>words.member</c>, <c>words.memberHeaders</c> and the same for
    /// <c>subscriber</c>, <c>policy</c>, <c>group</c> and <c>medicaid</c>. With a vocabulary, a known ICD-10-CM code
    /// gets its term as value.
    /// </summary>
    /// <exception cref="RuleLoadException">A rule lacks one of those word lists.</exception>
    public MedicalCodeDetector(MedicalVocabulary? vocabulary, Rule? icd10, Rule? ndc, Rule? insurance)
    {
        _vocabulary = vocabulary;
        var keywords = new List<(string, CodeKind)>();
        var headers = new List<(string, CodeKind)>();
        void Add(Rule? rule, CodeKind kind, string keywordList, string headerList)
        {
            if (rule is not null)
            {
                keywords.AddRange(rule.Words(keywordList).Select(w => (w, kind)));
                headers.AddRange(rule.Words(headerList).Select(w => (w, kind)));
            }
        }

        Add(icd10, CodeKind.Icd10, "keywords", "headers");
        Add(ndc, CodeKind.Ndc, "keywords", "headers");
        foreach (var kind in InsuranceKinds)
        {
            var name = kind.ToString().ToLowerInvariant();
            Add(insurance, kind, name, name + "Headers");
        }

        _keywords = new("medical code keywords", keywords);
        _headers = new("medical code headers", headers);
        _headerKinds = new(HeaderKindUncached);
    }

    private enum CodeKind
    {
        Icd10,
        Ndc,
        Member,
        Subscriber,
        Policy,
        Group,
        Medicaid,
    }

    /// <inheritdoc />
    public IReadOnlyList<WordList> Words => [_keywords.Words];

    /// <inheritdoc />
    public bool MayFind(ReadOnlySpan<char> text, in PlainLine line) => line.HasWords;

    /// <inheritdoc />
    public void Detect(SegmentScan scan, List<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(findings);
        var (segment, segmentIndex) = (scan.Segment, scan.SegmentIndex);
        // Indexed: a foreach over the IReadOnlyList would box its enumerator for every segment.
        for (var unitIndex = 0; unitIndex < scan.Units.Count; unitIndex++)
        {
            var unit = scan.Units[unitIndex];
            if (!unit.HasDigit)
            {
                continue;
            }

            if (unit.Header is { } header && _headerKinds[header] is { } headerKind)
            {
                // A whole column of codes: every token of the value ("E11.9; I10").
                foreach (var (s, e) in ValueTokens.TokensAfter(unit.Text, unit.ValueStart, unit.Text.Length, maxTokens: 8))
                {
                    TryEmit(segment, segmentIndex, unit, findings, headerKind, s, e, contextWord: null, header);
                }

                continue;
            }

            foreach (var (kwStart, end, kind) in _keywords.Find(unit))
            {
                var contextWord = unit.Text[kwStart..end];
                var max = kind == CodeKind.Icd10 ? 6 : 1;
                foreach (var (s, e) in ValueTokens.TokensAfter(unit.Text, end, kind == CodeKind.Icd10 ? 80 : Window, max))
                {
                    TryEmit(segment, segmentIndex, unit, findings, kind, s, e, contextWord, unit.Header);
                }
            }
        }
    }

    private void TryEmit(Segment segment, long segmentIndex, TextUnit unit, List<Finding> findings, CodeKind kind, int start, int end, string? contextWord, string? header)
    {
        var raw = unit.Text[start..end].TrimEnd('.');
        end = start + raw.Length;
        var evidence = new Evidence { RuleId = string.Empty, ContextWord = contextWord, Header = header };
        Finding? f = null;
        switch (kind)
        {
            case CodeKind.Icd10:
                if (raw.Equals("A1C", StringComparison.OrdinalIgnoreCase) || _icd10.Validate(raw) is not { IsValid: true } icd)
                {
                    return;
                }

                var code = icd.Normalized!;
                var known = _vocabulary?.ByCode(code);
                f = Create(Elements.Medical, known?.Term ?? code, contextWord is null ? 0.85 : 0.9, evidence with
                {
                    RuleId = Icd10RuleId,
                    Pattern = "icd10",
                    Validator = "icd10:valid",
                }, code, new() { Sensitivity = known?.Category ?? Icd10Category(code) });
                break;
            case CodeKind.Ndc:
                if (_ndc.Validate(raw) is not { IsValid: true } ndc)
                {
                    return;
                }

                f = Create(Elements.Medical, ndc.Normalized!, 0.85, evidence with { RuleId = NdcRuleId, Pattern = "ndc", Validator = "ndc:valid" }, ndc.Normalized, new() { Sensitivity = "other" });
                break;
            default:
                var value = Identifiers.DriversLicenseRules.Normalize(raw);
                if (value.Length is < 5 or > 20 || value.Count(char.IsAsciiDigit) < 3)
                {
                    return;
                }

                var category = kind.ToString().ToLowerInvariant();
                f = Create(Elements.HealthInsurance, value, 0.8, evidence with { RuleId = InsuranceRuleId, Pattern = category }, null, new() { Kind = category });
                break;
        }

        findings.Add(f);

        Finding Create(string element, string value, double confidence, Evidence ev, string? code, FindingQualifiers qualifiers) =>
            FindingFactory.Create(segment, segmentIndex, unit, element, value, confidence, ev, start, end - start, code: code, qualifiers: qualifiers);
    }

    private CodeKind? HeaderKindUncached(string header)
    {
        var words = HeaderWords.Of(header);
        foreach (var (_, _, kind) in _headers.FindIn(words))
        {
            return kind;
        }

        return null;
    }

    /// <summary>The sensitivity category an ICD-10-CM chapter implies.</summary>
    internal static string Icd10Category(string code)
    {
        var letter = code[0];
        var n = (char.IsAsciiDigit(code[1]) ? (code[1] - '0') * 10 : 0) + (char.IsAsciiDigit(code[2]) ? code[2] - '0' : 0);
        return letter switch
        {
            'F' when n is >= 10 and <= 19 => "substance-use",
            'F' => "mental-health",
            'B' when n == 20 => "hiv-sti",
            'Z' when n == 21 => "hiv-sti",
            'A' when n is >= 50 and <= 64 => "hiv-sti",
            'O' => "reproductive-health",
            'Z' when n is >= 30 and <= 39 => "reproductive-health",
            'C' => "cancer",
            'D' when n <= 9 => "cancer",
            _ => "other",
        };
    }
}
