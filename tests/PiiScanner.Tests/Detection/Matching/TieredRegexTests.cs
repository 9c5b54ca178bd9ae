using System.Text.RegularExpressions;
using PiiScanner.Detection;
using PiiScanner.Detection.Matching;
using PiiScanner.Detection.Validators;

namespace PiiScanner.Tests.Detection.Matching;

public sealed class TieredRegexTests
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    [Fact]
    public void StartsInterpretedAndCompilesOnceGivenEnoughText()
    {
        var regex = new TieredRegex(@"\d{3}-\d{2}-\d{4}", Options, RuleSet.RegexTimeout);
        Assert.False(regex.IsCompiled);
        Assert.False(regex.For(1000).Options.HasFlag(RegexOptions.Compiled));

        for (var i = 0; i < 300; i++)
        {
            _ = regex.For(1024);
        }

        Assert.True(SpinWait.SpinUntil(() => regex.IsCompiled, TimeSpan.FromMinutes(1)), "the compiled engine was never swapped in");
        Assert.True(regex.For(10).Options.HasFlag(RegexOptions.Compiled));
    }

    [Fact]
    public void RejectsAnInvalidPatternWhenBuilt() =>
        Assert.ThrowsAny<ArgumentException>(() => new TieredRegex("(unclosed", Options, RuleSet.RegexTimeout));

    [Fact]
    public void EveryShippedRulePatternFindsTheSameMatchesInterpretedAndCompiled()
    {
        const string text = "Patient Name: Ana Ruiz, DOB 03/04/1961, SSN 123-45-6701, 912-70-1234, MBI 1EG4-TE5-MK73, "
            + "NPI 1234567893, DEA AB1234563, seen 2019-11-02, 12 Oak St, Helena, MT 59601; called Tomas Quist (5/6/72).";
        var rules = RuleSet.LoadDefault(ValidatorRegistry.CreateDefault());
        var patterns = rules.Rules.SelectMany(r => r.Patterns).ToList();
        Assert.NotEmpty(patterns);
        var found = 0;
        foreach (var pattern in patterns)
        {
            var before = Matches(pattern.Regex.For(0), text);
            var tiered = new TieredRegex(pattern.Regex.ToString(), pattern.Regex.For(0).Options, RuleSet.RegexTimeout);
            tiered.Compile();
            Assert.True(tiered.IsCompiled);
            Assert.Equal(before, Matches(tiered.For(0), text));
            found += before.Count;
        }

        Assert.True(found >= 8, $"the text should exercise the rules, found {found} matches");
    }

    private static List<string> Matches(Regex regex, string text) =>
        regex.Matches(text).Select(m => $"{m.Index}:{m.Length}:{m.Groups["value"].Value}").ToList();
}
