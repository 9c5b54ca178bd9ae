using PiiScanner.Detection;
using PiiScanner.Detection.Validators;

namespace PiiScanner.Tests.Detection;

/// <summary>The shipped rules and an engine with a fixed reference date, built once for all detection tests.</summary>
internal static class DetectionFixture
{
    /// <summary>The "today" of every detection test, so date-of-birth plausibility never drifts.</summary>
    public static readonly DateOnly Today = new(2025, 6, 1);

    private static readonly Lazy<RuleSet> LazyRules = new(() => RuleSet.Load([RepoPaths.Rules], ValidatorRegistry.CreateDefault()));

    private static readonly Lazy<DetectionEngine> LazyEngine = new(() => new DetectionEngine(Rules, new DetectionOptions { ReferenceDate = Today }));

    public static RuleSet Rules => LazyRules.Value;

    public static DetectionEngine Engine => LazyEngine.Value;

    private static readonly Lazy<DetectionEngine> LazyFullEngine = new(() => new DetectionEngine(Rules, new DetectionOptions
    {
        ReferenceDate = Today,
        CodeDetectors = CodeDetectors.Create(Rules, RulesFolder.FromDirectory(RepoPaths.Rules)),
    }));

    /// <summary>The engine as a scan builds it: the rules and every code detector.</summary>
    public static DetectionEngine FullEngine => LazyFullEngine.Value;

    public static string Describe(IEnumerable<Finding> findings) =>
        string.Join("; ", findings.Select(f => $"{f.Evidence.RuleId}/{f.Evidence.Pattern}={f.Value} ({f.Confidence})"));
}
