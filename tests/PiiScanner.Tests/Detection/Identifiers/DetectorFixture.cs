using PiiScanner.Detection;
using PiiScanner.Detection.Identifiers;
using PiiScanner.Detection.Matching;
using PiiScanner.Detection.Medical;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Detection.Identifiers;

/// <summary>Loads the shipped rules once for all identifier tests.</summary>
internal static class Detectors
{
    private static readonly Lazy<DriversLicenseRules> LazyRules = new(() =>
        DriversLicenseRules.Load(Path.Combine(RepoPaths.Rules, "us", "drivers-licenses.yaml")));

    private static readonly Lazy<IReadOnlyList<ISegmentDetector>> LazyAll = new(() => CodeDetectors.Create(DetectionFixture.Rules, RulesFolder.FromDirectory(RepoPaths.Rules)));

    public static DriversLicenseRules DlRules => LazyRules.Value;

    public static DriversLicenseDetector Dl { get; } = new(LazyRules.Value);

    public static IReadOnlyList<ISegmentDetector> All => LazyAll.Value;

    /// <summary>A shipped rule, whose words its code detector reads.</summary>
    public static Rule Rule(string id) => DetectionFixture.Rules.Find(id) ?? throw new KeyNotFoundException(id);

    /// <summary>The medical code detector with the shipped icd10-cm, ndc and health-insurance rules.</summary>
    public static MedicalCodeDetector MedicalCodes(MedicalVocabulary vocabulary) =>
        new(vocabulary, Rule("icd10-cm"), Rule("ndc"), Rule("health-insurance"));

    /// <summary>Runs one detector as the engine runs it: its texts scanned once for its declared words.</summary>
    public static List<Finding> Run(ISegmentDetector detector, Segment segment)
    {
        var findings = new List<Finding>();
        detector.Detect(SegmentScan.Of(new KeywordIndex(detector.Words), new DigitShapeSet(detector.DigitShapes), segment, 0), findings);
        return findings;
    }

    public static List<Finding> Run(ISegmentDetector detector, string text) => Run(detector, new Segment("line 1", text));

    public static List<Finding> RunAll(Segment segment)
    {
        var findings = new List<Finding>();
        var scan = SegmentScan.Of(new KeywordIndex(All.SelectMany(d => d.Words)), new DigitShapeSet(All.SelectMany(d => d.DigitShapes)), segment, 0);
        foreach (var d in All)
        {
            d.Detect(scan, findings);
        }

        return findings;
    }

    public static List<Finding> RunAll(string text) => RunAll(new Segment("line 1", text));
}
