using PiiScanner.Detection;
using PiiScanner.Detection.Rules;
using PiiScanner.Detection.Validators;

namespace PiiScanner.Tests.Detection;

public sealed class RuleExamplesTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var rule in DetectionFixture.Rules.Rules)
        {
            for (var i = 0; i < rule.Examples.Count; i++)
            {
                data.Add(rule.Id, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryRuleExampleMatchesOrNot(string ruleId, int exampleIndex)
    {
        // The same check refuses a user rule at load (ScannerBuilder.Build): one mechanism for both.
        var rule = DetectionFixture.Rules.Rules.Single(r => r.Id == ruleId);
        var example = rule.Examples[exampleIndex];
        var reason = RuleExampleCheck.Check(DetectionFixture.FullEngine, rule, example, ValidatorRegistry.CreateDefault());
        Assert.True(reason is null, $"{rule.SourceFile}: rule '{rule.Id}': example '{example.Text}'" + (example.Header is null ? string.Empty : $" under '{example.Header}'") + $" {reason}");
    }

    [Fact]
    public void EveryIdAScanReportsIsARule()
    {
        // The ids the built-in detectors write into Evidence.RuleId: each must be a listed rule with examples.
        string[] reported =
        [
            "us-ssn", "us-itin", "dob", "person-name", "us-address", "mbi", "npi", "dea",
            "creditcard", "bank-account", "email", "phone", "us-passport",
            "icd10-cm", "ndc", "health-insurance", "medical-vocab", "us-dl",
            .. DetectionFixture.Rules.Licences!.States.Select(s => "us-dl-" + s.State),
        ];
        var ids = DetectionFixture.Rules.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(reported, id => Assert.Contains(id, ids));
        Assert.Equal(51, DetectionFixture.Rules.Rules.Count(r => r.Id.StartsWith("us-dl-", StringComparison.Ordinal)));

        // And whatever the examples make the engine report, of any rule, is a listed id.
        var found = DetectionFixture.Rules.Rules.SelectMany(r => r.Examples)
            .SelectMany(e => DetectionFixture.FullEngine.Test(e.Text, e.Header))
            .Select(f => f.Evidence.RuleId)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Subset(reported.ToHashSet(StringComparer.Ordinal), found);
        Assert.Subset(ids, found);
    }

    [Fact]
    public void EveryShippedRuleHasExamplesBothWays()
    {
        Assert.NotEmpty(DetectionFixture.Rules.Rules);
        Assert.All(DetectionFixture.Rules.Rules, rule =>
        {
            Assert.Contains(rule.Examples, e => e.ShouldMatch);
            Assert.Contains(rule.Examples, e => !e.ShouldMatch);
        });
    }
}
