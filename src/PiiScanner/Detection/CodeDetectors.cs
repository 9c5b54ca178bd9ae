using PiiScanner.Detection.Identifiers;

namespace PiiScanner.Detection;

/// <summary>The built-in code detectors, loaded from a rules folder.</summary>
public static class CodeDetectors
{
    /// <summary>
    /// Loads the licence formats and vocabularies under <paramref name="rulesDirectory"/> once and returns every
    /// code detector. The detectors are immutable and thread-safe; create them once per scan and share them.
    /// </summary>
    /// <exception cref="InvalidDataException">A rules file is malformed (the message names the file).</exception>
    /// <exception cref="FileNotFoundException">A rules file is missing.</exception>
    public static IReadOnlyList<ISegmentDetector> CreateDefault(string rulesDirectory)
    {
        ArgumentNullException.ThrowIfNull(rulesDirectory);
        var dl = DriversLicenseRules.Load(Path.Combine(rulesDirectory, "us", "drivers-licenses.yaml"));
        return [new DriversLicenseDetector(dl)];
    }
}
