using PiiScanner.Detection.Identifiers;
using PiiScanner.Detection.Medical;

namespace PiiScanner.Detection;

/// <summary>The built-in code detectors, loaded from a rules folder.</summary>
internal static class CodeDetectors
{
    /// <summary>
    /// Loads <c>us/drivers-licenses.yaml</c> and <c>medical/*.tsv</c> under <paramref name="rulesDirectory"/> once and
    /// returns every code detector: <see cref="DriversLicenseDetector"/>, <see cref="MedicalTermDetector"/>,
    /// <see cref="MedicalCodeDetector"/> and <see cref="IdentifierDetector"/>. The detectors are immutable and thread-safe; create them once per scan and share them.
    /// </summary>
    /// <exception cref="InvalidDataException">A rules file is malformed (the message names the file).</exception>
    /// <exception cref="FileNotFoundException">A rules file is missing.</exception>
    public static IReadOnlyList<ISegmentDetector> CreateDefault(string rulesDirectory)
    {
        ArgumentNullException.ThrowIfNull(rulesDirectory);
        return CreateDefault(RulesFolder.FromDirectory(rulesDirectory));
    }

    /// <inheritdoc cref="CreateDefault(string)"/>
    internal static IReadOnlyList<ISegmentDetector> CreateDefault(RulesFolder rules)
    {
        var dl = DriversLicenseRules.Load(rules, DriversLicenseRules.RulesFile);
        var vocabulary = MedicalVocabulary.Load(rules, "medical");
        return
        [
            new DriversLicenseDetector(dl),
            new MedicalTermDetector(vocabulary),
            new MedicalCodeDetector(vocabulary),
            new IdentifierDetector(),
        ];
    }
}
