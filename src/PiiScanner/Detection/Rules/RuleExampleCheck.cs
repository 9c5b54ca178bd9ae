using PiiScanner.Detection.Validators;

namespace PiiScanner.Detection.Rules;

/// <summary>
/// Runs a rule's examples through an engine, as a scan would meet them: the one check behind the shipped rules' test
/// and the load-time check of user rules.
/// </summary>
internal static class RuleExampleCheck
{
    /// <summary>
    /// Checks every example of <paramref name="rule"/> (in file order).
    /// </summary>
    /// <exception cref="RuleLoadException">An example fails: the one-line message names the file, the rule, the example and why.</exception>
    public static void ThrowOnFailure(DetectionEngine engine, Rule rule, ValidatorRegistry validators)
    {
        foreach (var example in rule.Examples)
        {
            if (Check(engine, rule, example, validators) is { } reason)
            {
                var under = example.Header is null ? string.Empty : $" under '{example.Header}'";
                throw new RuleLoadException(rule.SourceFile, rule.Id, $"example '{example.Text.ReplaceLineEndings(" / ")}'{under} {reason}");
            }
        }
    }

    /// <summary>Null when <paramref name="example"/> holds for <paramref name="rule"/>, else why not (one line).</summary>
    public static string? Check(DetectionEngine engine, Rule rule, RuleExample example, ValidatorRegistry validators)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(example);
        var all = engine.Test(example.Text, example.Header);
        var mine = all.Where(f => Reports(rule, f)).ToList();
        if (!example.ShouldMatch)
        {
            return mine.Count == 0 ? null : $"must not match but gives {Describe(mine)}";
        }

        if (mine.Count == 0)
        {
            return all.Count == 0 ? "must match but gives no finding" : $"must match but gives only other rules' findings: {Describe(all)}";
        }

        if (example.Value is not null && !mine.Any(f => f.Value == example.Value))
        {
            return $"must give '{example.Value}' but gives {Describe(mine)}";
        }

        if (example.Category is not null && !mine.Any(f => (example.Value is null || f.Value == example.Value) && f.Qualifiers.Category == example.Category))
        {
            return $"must be a '{example.Category}' but gives {Describe(mine)}";
        }

        if (mine.FirstOrDefault(f => f.Element != rule.Element) is { } other)
        {
            return $"gives element '{other.Element}', but the rule's element is '{rule.Element}'";
        }

        // A code rule names the validators its detector checks: a finding that reports another registered one says the
        // file is out of step with the code.
        foreach (var f in mine)
        {
            var name = f.Evidence.Validator?.Split(':')[0];
            if (name is not null && validators.TryGet(name, out _) && !rule.ValidatorNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return $"gives a finding checked by validator '{name}', which the rule does not list in 'validators'";
            }
        }

        return null;
    }

    // A family's findings carry its members' ids: us-dl reports us-dl-IL when the state is known.
    private static bool Reports(Rule rule, Finding f) =>
        f.Evidence.RuleId == rule.Id || f.Evidence.RuleId.StartsWith(rule.Id + "-", StringComparison.Ordinal);

    private static string Describe(IEnumerable<Finding> findings) =>
        string.Join("; ", findings.Select(f => $"{f.Evidence.RuleId}/{f.Evidence.Pattern}='{f.Value}' ({f.Confidence})"));
}
