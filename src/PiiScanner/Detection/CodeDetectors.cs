using PiiScanner.Detection.Identifiers;
using PiiScanner.Detection.Medical;
using PiiScanner.Detection.Validators;

namespace PiiScanner.Detection;

/// <summary>The built-in code detectors, built from the loaded rules.</summary>
internal static class CodeDetectors
{
    /// <summary>The medical vocabularies' folder inside a rules folder.</summary>
    internal const string VocabularyFolder = "medical";

    /// <summary>The file that marks a rules folder as one that ships the medical vocabularies.</summary>
    internal const string VocabularyMarker = VocabularyFolder + "/conditions.tsv";

    /// <summary>
    /// Loads the rules under <paramref name="rulesDirectory"/> and returns every code detector built from them (see
    /// <see cref="Create"/>). For tests and tools; a scanner builds its detectors from the rules it already loaded.
    /// </summary>
    /// <exception cref="RuleLoadException">A rules file is malformed (the message names the file and rule).</exception>
    public static IReadOnlyList<ISegmentDetector> CreateDefault(string rulesDirectory)
    {
        ArgumentNullException.ThrowIfNull(rulesDirectory);
        return CreateDefault(RulesFolder.FromDirectory(rulesDirectory));
    }

    /// <inheritdoc cref="CreateDefault(string)"/>
    internal static IReadOnlyList<ISegmentDetector> CreateDefault(RulesFolder folder) =>
        Create(RuleSet.Load([folder], ValidatorRegistry.CreateDefault()), folder);

    /// <summary>
    /// Returns the code detectors of the rules loaded in <paramref name="rules"/>: <see cref="DriversLicenseDetector"/>
    /// (the licence family's data), <see cref="MedicalTermDetector"/> and <see cref="MedicalCodeDetector"/> (the
    /// vocabularies of <paramref name="vocabularyFolder"/>, when given) and <see cref="IdentifierDetector"/>. Each reads
    /// its words from its rules' files and reports only the ids loaded. The detectors are immutable and thread-safe;
    /// create them once per scan and share them.
    /// </summary>
    /// <exception cref="RuleLoadException">A rule lacks a word list its detector needs, or a vocabulary row is malformed.</exception>
    public static IReadOnlyList<ISegmentDetector> Create(RuleSet rules, RulesFolder? vocabularyFolder)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var detectors = new List<ISegmentDetector>();
        if (rules.Licences is { } licences)
        {
            detectors.Add(new DriversLicenseDetector(licences));
        }

        var vocabulary = vocabularyFolder is null ? null : MedicalVocabulary.Load(vocabularyFolder, VocabularyFolder);
        if (vocabulary is not null && rules.Find(MedicalVocabulary.RuleId) is { } terms)
        {
            detectors.Add(new MedicalTermDetector(vocabulary, terms));
        }

        var (icd10, ndc, insurance) = (rules.Find(MedicalCodeDetector.Icd10RuleId), rules.Find(MedicalCodeDetector.NdcRuleId), rules.Find(MedicalCodeDetector.InsuranceRuleId));
        if (icd10 is not null || ndc is not null || insurance is not null)
        {
            detectors.Add(new MedicalCodeDetector(vocabulary, icd10, ndc, insurance));
        }

        detectors.Add(new IdentifierDetector(rules));
        return detectors;
    }
}
