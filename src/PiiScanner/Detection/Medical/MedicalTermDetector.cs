using PiiScanner.Detection.Matching;
using PiiScanner.Extraction;

namespace PiiScanner.Detection.Medical;

/// <summary>
/// Finds conditions, medications and procedures of the medical vocabularies in one multi-pattern pass (whole
/// words, case-insensitive, hyphen/space/plural variants). Each finding is element <c>medical</c> with the
/// canonical term as value (a brand maps to its generic), the ICD-10-CM code when known and the sensitivity
/// category. A medical term alone exposes nobody: resolution attaches it to a person only within that person's
/// record. Immutable and thread-safe.
/// </summary>
internal sealed class MedicalTermDetector : ISegmentDetector, IPlainLineScreen
{
    private readonly MedicalVocabulary _vocabulary;
    private readonly HeaderMemo<bool> _medicalHeaders;

    /// <summary>
    /// Creates the detector over a loaded vocabulary; <paramref name="rule"/> (<c>medical-vocab</c>) gives the words of a
    /// medical column header (<c>words.headers</c>, each a whole word of the header) that raise the confidence.
    /// </summary>
    /// <exception cref="RuleLoadException">The rule has no <c>words.headers</c>.</exception>
    public MedicalTermDetector(MedicalVocabulary vocabulary, Rule rule)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(rule);
        _vocabulary = vocabulary;
        var headerWords = rule.Words("headers");
        _medicalHeaders = new(h => headerWords.Any(w => HeaderWords.Of(h).Split(' ').Contains(w)));
    }

    /// <inheritdoc />
    public IReadOnlyList<WordList> Words => [_vocabulary.Words];

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
            if (unit.Text.Length < 2 || !unit.HasWords)
            {
                continue;
            }

            var matches = unit.Find(_vocabulary.Words);
            if (matches.Count > 0)
            {
                DropLowerCaseAbbreviations(matches, unit.Text);
            }

            if (matches.Count == 0)
            {
                continue;
            }

            var medicalHeader = unit.Header is { } h && _medicalHeaders[h];
            foreach (var m in AhoCorasick.LeftmostLongest(matches))
            {
                var (term, variant) = _vocabulary.Pattern(m.Word);
                var matched = unit.Text.Substring(m.Start, m.Length);
                var abbreviation = IsAbbreviation(variant);
                var confidence = (term.Kind, abbreviation) switch
                {
                    (_, true) => 0.6,
                    (MedicalTermKind.Medication, _) => 0.85,
                    (MedicalTermKind.Condition, _) => 0.8,
                    _ => 0.75,
                };
                if (medicalHeader)
                {
                    confidence += 0.1;
                }

                findings.Add(FindingFactory.Create(
                    segment,
                    segmentIndex,
                    unit,
                    Elements.Medical,
                    term.Term,
                    confidence,
                    new Evidence
                    {
                        RuleId = MedicalVocabulary.RuleId,
                        Pattern = $"{term.Kind.ToString().ToLowerInvariant()}:{variant}",
                        ContextWord = matched,
                        Header = unit.Header,
                    },
                    m.Start,
                    m.Length,
                    code: term.Code,
                    qualifiers: new() { Sensitivity = term.Category }));
            }
        }
    }

    // Abbreviations count only when written in capitals: "AIDS" is the disease, "hearing aids" is not.
    private void DropLowerCaseAbbreviations(List<WordHit> matches, string text) =>
        matches.RemoveAll(m => IsAbbreviation(_vocabulary.Pattern(m.Word).Variant) &&
            text.AsSpan(m.Start, m.Length).IndexOfAnyInRange('a', 'z') >= 0);

    private static bool IsAbbreviation(string variant) => variant.Length <= 6 && variant.All(c => !char.IsLower(c));
}
