using PiiScanner.Detection;

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
        var rule = DetectionFixture.Rules.Rules.Single(r => r.Id == ruleId);
        var example = rule.Examples[exampleIndex];
        var all = DetectionFixture.FullEngine.Test(example.Text, example.Header);
        // A family's findings carry its members' ids: us-dl reports us-dl-IL when the state is known.
        var mine = all.Where(f => f.Evidence.RuleId == ruleId || f.Evidence.RuleId.StartsWith(ruleId + "-", StringComparison.Ordinal)).ToList();
        var where = $"{rule.SourceFile}: example '{example.Text}'" + (example.Header is null ? string.Empty : $" under '{example.Header}'");

        if (example.ShouldMatch)
        {
            Assert.True(mine.Count > 0, $"{where} must match; found: {DetectionFixture.Describe(all)}");
            if (example.Value is not null)
            {
                Assert.True(mine.Any(f => f.Value == example.Value), $"{where} must give '{example.Value}'; found: {DetectionFixture.Describe(mine)}");
            }

            if (example.Category is not null)
            {
                Assert.True(mine.Any(f => (example.Value is null || f.Value == example.Value) && f.Qualifiers.Category == example.Category), $"{where} must be a '{example.Category}'; found: {DetectionFixture.Describe(mine)}");
            }

            Assert.All(mine, f => Assert.Equal(rule.Element, f.Element));
        }
        else
        {
            Assert.True(mine.Count == 0, $"{where} must not match; found: {DetectionFixture.Describe(mine)}");
        }
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
