using PiiScanner.Detection;
using PiiScanner.Detection.Validators;
using PiiScanner.Extraction;

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

    [Theory]
    [InlineData("'{3}{2}'", "two runs")]
    [InlineData("'12{3}'", "outside a run")]
    [InlineData("'{0}'", "least length")]
    [InlineData("'{5,3}'", "most length")]
    [InlineData("'[-]'", "no digit run")]
    [InlineData("'{3'", "without")]
    public void MalformedDigitShapeFailsNamingFileRuleAndShape(string shape, string why)
    {
        var path = Write("shape.yaml", $"id: test-shape\nelement: ssn\npatterns:\n  - {{name: p, regex: '\\d{{9}}', digitShapes: [{shape}]}}\n");
        var ex = Assert.Throws<RuleLoadException>(() => RuleSet.Load([_dir], ValidatorRegistry.CreateDefault()));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("test-shape", ex.Message, StringComparison.Ordinal);
        Assert.Contains("pattern 'p' digitShapes", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
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
        var engine = new DetectionEngine(RuleSet.Load([RulesFolder.FromDirectory(_dir)], ValidatorRegistry.CreateDefault(), TimeSpan.FromMilliseconds(50)));
        var findings = engine.Test(new string('1', 5000) + "y");
        Assert.Empty(findings);
        Assert.Equal(1, engine.RegexTimeouts["test-slow"]);
    }

    [Fact]
    public void ARuleThatRanOutOfTimeIsNotRunOnTheRestOfTheItem()
    {
        Write("slow.yaml", "id: test-slow\nelement: ssn\npatterns:\n  - {name: slow, regex: '^(\\d|\\d\\d)+$|\\d{3}-\\d{2}-\\d{4}'}\n");
        var engine = new DetectionEngine(RuleSet.Load([RulesFolder.FromDirectory(_dir)], ValidatorRegistry.CreateDefault(), TimeSpan.FromMilliseconds(50)));
        var item = engine.BeginItem();
        var findings = new List<Finding>();
        for (var line = 0; line < 3; line++)
        {
            item.Detect(new Segment($"line {line + 1}", new string('1', 5000) + "y"), findings);
        }

        // The first line's timeout stops the rule for the item: one timeout, not three, and no later match either,
        // whether the line comes as a segment or as the characters of a plain line.
        item.Detect(new Segment("line 4", "SSN 219-09-9999"), findings);
        item.DetectLine("SSN 219-09-9999 " + new string('1', 5000) + "y", Locator.Line(5), 1, findings);
        Assert.Equal(1, engine.RegexTimeouts["test-slow"]);
        Assert.Equal(["test-slow"], item.TimedOutRules);
        Assert.Empty(findings);

        // Another item runs it again.
        var next = engine.BeginItem();
        next.Detect(new Segment("line 1", "SSN 219-09-9999"), findings);
        Assert.Single(findings);
    }

    [Fact]
    public void TheShippedTimeoutIsAGuardFarAboveAnyShippedPatternsTime()
    {
        // regex-worst (benchmarks) measures the slowest shipped pattern at about 0.4 s on the most adversarial
        // segment of the longest length; a timeout near that would make outputs depend on the machine's load.
        Assert.True(RuleSet.RegexTimeout >= TimeSpan.FromSeconds(10));
        Assert.All(DetectionFixture.Rules.Rules.SelectMany(r => r.Patterns), p => Assert.Equal(RuleSet.RegexTimeout, p.Regex.For(0).MatchTimeout));
    }

    [Fact]
    public void DefaultRulesAreTheShippedResources()
    {
        var rules = RuleSet.LoadDefault(ValidatorRegistry.CreateDefault());
        Assert.Equal(DetectionFixture.Rules.Rules.Select(r => r.Id).Order(), rules.Rules.Select(r => r.Id).Order());
    }

    [Fact]
    public void TwoFilesOfOneFolderWithTheSameIdFailNamingBothFiles()
    {
        var first = Write("a.yaml", "id: test-dup\nelement: ssn\npatterns:\n  - {name: p, regex: '\\d{9}'}\n");
        var second = Write("sub/b.yaml", "id: test-dup\nelement: ssn\npatterns:\n  - {name: p, regex: '\\d{9}'}\n");
        var ex = Assert.Throws<RuleLoadException>(() => RuleSet.Load([RepoPaths.Rules, _dir], ValidatorRegistry.CreateDefault()));
        Assert.Contains(first, ex.Message, StringComparison.Ordinal);
        Assert.Contains(second, ex.Message, StringComparison.Ordinal);
        Assert.Equal("test-dup", ex.RuleId);
    }

    [Fact]
    public void CodeRuleWordsAreReadFromItsFile()
    {
        Write("passport.yaml", "id: us-passport\nelement: passport\ndetector: code\nwords:\n  keywords: [pasaporte]\n  headers: [pasaporte]\n");
        var rules = RuleSet.Load([_dir], ValidatorRegistry.CreateDefault());
        var engine = new DetectionEngine(rules, new DetectionOptions { CodeDetectors = CodeDetectors.Create(rules, null) });

        Assert.Equal("A12345678", Assert.Single(engine.Test("Pasaporte: A12345678"), f => f.Element == Elements.Passport).Value);
        Assert.DoesNotContain(engine.Test("Passport: A12345678"), f => f.Element == Elements.Passport);
        // The other identifiers' rules are not loaded, so their parts of the detector are off.
        Assert.Empty(engine.Test("Card: 4111 1111 1111 1111, phone (406) 555-0142, jane@example.org"));
    }

    [Fact]
    public void CodeRuleWithoutAWordListItsDetectorNeedsFailsNamingTheList()
    {
        var path = Write("passport.yaml", "id: us-passport\nelement: passport\ndetector: code\nwords:\n  keywords: [passport]\n");
        var rules = RuleSet.Load([_dir], ValidatorRegistry.CreateDefault());
        var ex = Assert.Throws<RuleLoadException>(() => CodeDetectors.Create(rules, null));
        Assert.Equal((path, "us-passport"), (ex.FilePath, ex.RuleId));
        Assert.Contains("'words.headers'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keywords: [x]\n")]
    [InlineData("headers: [x]\n")]
    [InlineData("context:\n  words: [x]\n")]
    public void CodeRuleWithPatternRuleWordFieldsFails(string field)
    {
        Write("code.yaml", "id: test-code\nelement: phone\ndetector: code\n" + field);
        var ex = Assert.Throws<RuleLoadException>(() => RuleSet.Load([_dir], ValidatorRegistry.CreateDefault()));
        Assert.Contains("'words'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PatternRuleWithCodeWordsFails()
    {
        Write("p.yaml", "id: test-p\nelement: ssn\npatterns:\n  - {name: p, regex: '\\d{9}'}\nwords:\n  context: [x]\n");
        var ex = Assert.Throws<RuleLoadException>(() => RuleSet.Load([_dir], ValidatorRegistry.CreateDefault()));
        Assert.Contains("'words' belongs to code rules", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedLicenceDataFailsWithTheRuleLoadExceptionNamingFileAndState()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Rules, "us", "drivers-licenses.yaml"))
            .Replace("regex: '\\d{7,8}'", "regex: '(\\d{7,8}'", StringComparison.Ordinal);
        var path = Write("us/drivers-licenses.yaml", text);
        var ex = Assert.Throws<RuleLoadException>(() => RuleSet.Load([_dir], ValidatorRegistry.CreateDefault()));
        Assert.Equal((path, "us-dl"), (ex.FilePath, ex.RuleId));
        Assert.Contains("state AL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALicenceDataFileReplacingTheShippedOneIsOneOverride()
    {
        Write("us/drivers-licenses.yaml", File.ReadAllText(Path.Combine(RepoPaths.Rules, "us", "drivers-licenses.yaml")));
        var rules = RuleSet.Load([RepoPaths.Rules, _dir], ValidatorRegistry.CreateDefault());
        Assert.Equal("us-dl", Assert.Single(rules.Overrides).Id);
        Assert.Equal(Path.Combine(_dir, "us", "drivers-licenses.yaml"), rules.Licences!.Path);
        Assert.All(rules.Rules.Where(r => r.Id.StartsWith("us-dl", StringComparison.Ordinal)), r => Assert.StartsWith(_dir, r.SourceFile, StringComparison.Ordinal));
    }
}
