using PiiScanner.Detection;
using PiiScanner.Detection.Validators;

namespace PiiScanner.Tests.Detection;

public sealed class RuleSetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "piiscan-rules-" + Guid.NewGuid().ToString("N"));

    public RuleSetTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string yaml)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void UnknownValidatorFailsNamingFileAndRule()
    {
        var path = Write("x/bad.yaml", "id: test-bad\nelement: ssn\npatterns:\n  - {name: p, regex: '\\d{9}'}\nvalidators: [no-such-check]\n");
        var ex = Assert.Throws<RuleLoadException>(() => RuleSet.Load([_dir], ValidatorRegistry.CreateDefault()));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("test-bad", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-check", ex.Message, StringComparison.Ordinal);
        Assert.Equal("test-bad", ex.RuleId);
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void InvalidRegexFailsNamingFileAndRule()
    {
        var path = Write("broken.yaml", "id: test-regex\nelement: ssn\npatterns:\n  - {name: p, regex: '(\\d{3}'}\n");
        var ex = Assert.Throws<RuleLoadException>(() => RuleSet.Load([_dir], ValidatorRegistry.CreateDefault()));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("test-regex", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MisspeltFieldFailsToLoad()
    {
        Write("typo.yaml", "id: test-typo\nelement: ssn\npaterns: []\n");
        Assert.Throws<RuleLoadException>(() => RuleSet.Load([_dir], ValidatorRegistry.CreateDefault()));
    }

    [Fact]
    public void LaterDirectoryOverridesRuleById()
    {
        var user = Path.Combine(_dir, "user");
        Write("user/ssn.yaml", "id: us-ssn\nelement: ssn\npatterns:\n  - {name: only-dashed, regex: '\\d{3}-\\d{2}-\\d{4}', score: 0.7}\nvalidators: [ssn]\n");
        var rules = RuleSet.Load([RepoPaths.Rules, user], ValidatorRegistry.CreateDefault());
        var shipped = RuleSet.Load([RepoPaths.Rules], ValidatorRegistry.CreateDefault());
        Assert.Equal(shipped.Rules.Select(r => r.Id), rules.Rules.Select(r => r.Id));
        var ssn = Assert.Single(rules.Rules, r => r.Id == "us-ssn");
        Assert.Equal(["only-dashed"], ssn.PatternNames);
        Assert.Equal(["ssn"], ssn.ValidatorNames);
        Assert.Equal(0, ssn.ExampleCount);
    }

    [Fact]
    public void ShippedRulesListTheirValidatorsAndExamples()
    {
        var ssn = Assert.Single(DetectionFixture.Rules.Rules, r => r.Id == "us-ssn");
        Assert.Equal(Elements.Ssn, ssn.Element);
        Assert.Equal(["ssn"], ssn.ValidatorNames);
        Assert.True(ssn.ExampleCount > 10);
        Assert.Contains(DetectionFixture.Rules.Rules, r => r.Element == Elements.Dob);
        Assert.Contains(DetectionFixture.Rules.Rules, r => r.Element == Elements.Name);
        Assert.Contains(DetectionFixture.Rules.Rules, r => r.Element == Elements.Address);
        Assert.Contains(DetectionFixture.Rules.Rules, r => r.Element == Elements.Itin);
    }

    [Fact]
    public void RegexTimeoutIsADiagnosticNotACrash()
    {
        // A catastrophically backtracking pattern on a long non-matching run.
        Write("slow.yaml", "id: test-slow\nelement: ssn\npatterns:\n  - {name: slow, regex: '^(\\d|\\d\\d)+$'}\n");
        var engine = new DetectionEngine(RuleSet.Load([_dir], ValidatorRegistry.CreateDefault()));
        var findings = engine.Test(new string('1', 5000) + "y");
        Assert.Empty(findings);
        Assert.Equal(1, engine.RegexTimeouts["test-slow"]);
    }

    [Fact]
    public void DefaultRulesAreTheShippedResources()
    {
        var rules = RuleSet.LoadDefault(ValidatorRegistry.CreateDefault());
        Assert.Equal(DetectionFixture.Rules.Rules.Select(r => r.Id).Order(), rules.Rules.Select(r => r.Id).Order());
    }
}
