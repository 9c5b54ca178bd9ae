using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using PiiScanner.Detection.Identifiers;
using PiiScanner.Detection.Rules;
using PiiScanner.Detection.Matching;
using PiiScanner.Detection.Validators;
using PiiScanner.Index;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PiiScanner.Detection;

/// <summary>
/// The detection rules loaded from one or more rule folders, compiled once. Immutable and thread-safe.
/// </summary>
public sealed class RuleSet
{
    /// <summary>
    /// Match timeout of every regex that runs on scanned text (rule patterns, prefilters, licence formats and the code
    /// detectors' own), in milliseconds. It is a guard against a pattern that backtracks catastrophically, not a time
    /// budget: the slowest shipped pattern takes about 0.4 s on the most adversarial segment of the longest length
    /// (<c>regex-worst</c> benchmark), 25 times less, so whether a shipped rule times out never depends on the
    /// machine's load or on which tier of <see cref="Matching.TieredRegex"/> ran it, and outputs stay the same.
    /// </summary>
    internal const int RegexTimeoutMilliseconds = 10_000;

    /// <summary>
    /// Match timeout of every regex that runs on scanned text (see <see cref="RegexTimeoutMilliseconds"/>). A timeout is a
    /// per-rule diagnostic, never a crash: the item is <c>partial</c> and the rule is not run on the rest of it.
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(RegexTimeoutMilliseconds);

    private RuleSet(IReadOnlyList<Rule> rules, IReadOnlyList<RuleOverride> overrides)
    {
        Rules = rules;
        Overrides = overrides;
    }

    private const string NotificationFolder = "notification/";

    /// <summary>No rules (an engine that runs only its code detectors).</summary>
    internal static RuleSet Empty { get; } = new([], []);

    /// <summary>Rules of a later folder that replaced a rule with the same id from an earlier one, in load order.</summary>
    public IReadOnlyList<RuleOverride> Overrides { get; }

    /// <summary>The rules, in load order (an overriding rule keeps the position of the rule it replaced).</summary>
    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>The licence formats of the licence rule family in force (<c>us/drivers-licenses.yaml</c>), or null.</summary>
    internal DriversLicenseRules? Licences => Rules.Select(r => r.Licences).FirstOrDefault(l => l is not null);

    /// <summary>The rule with <paramref name="id"/>, or null.</summary>
    internal Rule? Find(string id) => Rules.FirstOrDefault(r => r.Id == id);

    /// <summary>
    /// Reads every <c>*.yaml</c>/<c>*.yml</c> file under each directory (recursively, files in ordinal path order).
    /// A rule in a later directory replaces the rule with the same id from an earlier one (listed in
    /// <see cref="Overrides"/>); two files with the same id inside one directory are an error naming both. The licence
    /// data file (<c>kind: code-detector-data</c>) is the rule family <c>us-dl</c> and one rule per state (<c>us-dl-IL</c>).
    /// </summary>
    /// <exception cref="RuleLoadException">A file is not valid YAML, a field is missing or unknown, a regex does
    /// not compile, a validator is not in <paramref name="validators"/>, or two files of one directory share an id. The
    /// message names file and rule id.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory does not exist.</exception>
    internal static RuleSet Load(IEnumerable<string> ruleDirectories, ValidatorRegistry validators)
    {
        ArgumentNullException.ThrowIfNull(ruleDirectories);
        return Load(ruleDirectories.Select(RulesFolder.FromDirectory).ToList(), validators);
    }

    /// <inheritdoc cref="Load(IEnumerable{string}, ValidatorRegistry)"/>
    /// <param name="folders">The rule folders, in load order.</param>
    /// <param name="validators">The validators rules may name.</param>
    /// <param name="regexTimeout">The pattern rules' match timeout (tests); <see cref="RegexTimeout"/> when null.</param>
    internal static RuleSet Load(IEnumerable<RulesFolder> folders, ValidatorRegistry validators, TimeSpan? regexTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(validators);

        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .Build();

        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var rules = new List<Rule>();
        var overrides = new List<RuleOverride>();
        foreach (var folder in folders)
        {
            var seenHere = new Dictionary<string, string>(StringComparer.Ordinal);
            // rules/notification/ holds the breach-notification laws (Notification), not detection rules.
            foreach (var relative in folder.FilesUnder(string.Empty, ".yaml", ".yml").Where(f => !f.StartsWith(NotificationFolder, StringComparison.Ordinal)))
            {
                var file = folder.Describe(relative);
                foreach (var rule in LoadFile(file, folder.ReadAllText(relative), deserializer, validators, regexTimeout ?? RegexTimeout))
                {
                    rule.Folder = folder;
                    if (!seenHere.TryAdd(rule.Id, file))
                    {
                        throw new RuleLoadException(file, rule.Id, $"{seenHere[rule.Id]} in the same folder defines this id too");
                    }

                    if (byId.TryGetValue(rule.Id, out var position))
                    {
                        // A family's members (us-dl-IL) go with the family (us-dl): one replacement to report, not 52.
                        if (rule.Family is null)
                        {
                            overrides.Add(new RuleOverride(rule.Id, rules[position].SourceFile, rule.SourceFile));
                        }

                        rules[position] = rule;
                    }
                    else
                    {
                        byId[rule.Id] = rules.Count;
                        rules.Add(rule);
                    }
                }
            }
        }

        // Pattern rules are numbered 0..n-1 (the engine's per-rule tables), code rules after them.
        var next = 0;
        foreach (var rule in rules.Where(r => r.Detector != RuleDetector.Code).Concat(rules.Where(r => r.Detector == RuleDetector.Code)))
        {
            rule.Index = next++;
        }

        return new RuleSet(rules, overrides);
    }

    /// <summary>Loads the rules shipped inside the library.</summary>
    internal static RuleSet LoadDefault(ValidatorRegistry validators) => Load([RulesFolder.Shipped], validators);

    private static IEnumerable<Rule> LoadFile(string file, string text, IDeserializer deserializer, ValidatorRegistry validators, TimeSpan regexTimeout)
    {
        // Data files for code detectors (licence formats) live beside the rules: read once here, they are the rules of
        // the code detector that reads them (the family and one rule per state).
        if (text.Split('\n').Any(line => line.TrimEnd() == "kind: code-detector-data"))
        {
            return LoadLicenceData(file, text);
        }

        return [LoadRuleFile(file, text, deserializer, validators, regexTimeout)];
    }

    private static Rule LoadRuleFile(string file, string text, IDeserializer deserializer, ValidatorRegistry validators, TimeSpan regexTimeout)
    {
        RuleDocument? doc;
        try
        {
            doc = deserializer.Deserialize<RuleDocument>(text);
        }
        catch (YamlException ex)
        {
            throw new RuleLoadException(file, null, $"invalid rule YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }

        if (doc is null)
        {
            throw new RuleLoadException(file, null, "the file is empty");
        }

        var id = doc.Id;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new RuleLoadException(file, null, "'id' is required");
        }

        if (string.IsNullOrWhiteSpace(doc.Element))
        {
            throw new RuleLoadException(file, id, "'element' is required");
        }

        var detector = doc.Detector?.ToUpperInvariant() switch
        {
            null or "PATTERN" => RuleDetector.Pattern,
            "DATE" => RuleDetector.Date,
            "NAME" => RuleDetector.Name,
            "ADDRESS" => RuleDetector.Address,
            "CODE" => RuleDetector.Code,
            _ => throw new RuleLoadException(file, id, $"unknown detector '{doc.Detector}' (pattern, date, name, address, code)"),
        };

        var resolved = new List<IValidator>();
        foreach (var name in doc.Validators ?? [])
        {
            if (!validators.TryGet(name, out var validator))
            {
                throw new RuleLoadException(file, id, $"unknown validator '{name}' (known: {string.Join(", ", validators.Names)})");
            }

            resolved.Add(validator);
        }

        if (detector == RuleDetector.Code)
        {
            return LoadCodeRule(file, id, doc, resolved);
        }

        if (doc.Words is { Count: > 0 })
        {
            throw new RuleLoadException(file, id, "'words' belongs to code rules (detector: code); a pattern rule has keywords, context and headers");
        }

        var options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
        if (doc.IgnoreCase)
        {
            options |= RegexOptions.IgnoreCase;
        }

        var patterns = new List<RulePattern>();
        foreach (var p in doc.Patterns ?? [])
        {
            if (string.IsNullOrWhiteSpace(p.Name) || string.IsNullOrEmpty(p.Regex))
            {
                throw new RuleLoadException(file, id, "every pattern needs 'name' and 'regex'");
            }

            TieredRegex regex;
            try
            {
                regex = new TieredRegex(p.Regex, options, regexTimeout);
            }
            catch (ArgumentException ex)
            {
                throw new RuleLoadException(file, id, $"pattern '{p.Name}' has an invalid regex: {ex.Message}", ex);
            }

            CheckScore(file, id, p.Score, $"pattern '{p.Name}' score");
            var triggers = Clean(p.Triggers);
            patterns.Add(new RulePattern(p.Name, regex, p.Score, p.ScoreWithContext, p.RequireContext, FindingQualifiers.FromRuleCategory(p.Category), p.MinTokens)
            {
                Triggers = triggers.Length == 0 ? null : SearchValues.Create(triggers, StringComparison.Ordinal),
                TriggerWords = triggers,
                DigitShapes = Shapes(file, id, $"pattern '{p.Name}' digitShapes", p.DigitShapes),
            });
        }

        if (doc.DenyList is { Count: > 0 } deny)
        {
            // Deny-listed literals are always reported: one escaped, whole-word alternation.
            var alternation = string.Join('|', deny.Select(Regex.Escape));
            var regex = new TieredRegex($@"(?<![\p{{L}}\p{{N}}])(?<value>{alternation})(?![\p{{L}}\p{{N}}])", options | RegexOptions.IgnoreCase, regexTimeout);
            patterns.Add(new RulePattern("deny-list", regex, 0.9, null, false, FindingQualifiers.None, 1));
        }

        var compose = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (part, headers) in doc.Compose ?? [])
        {
            compose[part] = headers.Select(HeaderText.Normalize).ToArray();
        }

        if (compose.Count > 64)
        {
            throw new RuleLoadException(file, id, "compose names more than 64 parts");
        }

        if (patterns.Count == 0 && !doc.WholeValue && compose.Count == 0)
        {
            throw new RuleLoadException(file, id, "a rule needs at least one pattern, denyList, wholeValue or compose");
        }

        var expectedParts = detector switch
        {
            RuleDetector.Name => new[] { "first", "middle", "last" },
            RuleDetector.Address => ["street", "unit", "city", "state", "zip", "citystatezip"],
            _ => [],
        };
        foreach (var part in compose.Keys)
        {
            if (!expectedParts.Contains(part))
            {
                throw new RuleLoadException(file, id, $"compose part '{part}' is not one the {detector} detector knows ({string.Join(", ", expectedParts)})");
            }
        }

        var direction = doc.Context?.Direction?.ToUpperInvariant();
        if (direction is not (null or "BOTH" or "BEFORE"))
        {
            throw new RuleLoadException(file, id, $"context.direction must be 'both' or 'before', not '{doc.Context?.Direction}'");
        }

        var headerMatch = doc.HeaderMatch?.ToUpperInvariant();
        if (headerMatch is not (null or "CONTAINS" or "EXACT"))
        {
            throw new RuleLoadException(file, id, $"headerMatch must be 'contains' or 'exact', not '{doc.HeaderMatch}'");
        }

        CheckScore(file, id, doc.MinScore, "minScore");

        TieredRegex? prefilter = null;
        if (!string.IsNullOrEmpty(doc.Prefilter))
        {
            try
            {
                prefilter = new TieredRegex(doc.Prefilter, options, regexTimeout);
            }
            catch (ArgumentException ex)
            {
                throw new RuleLoadException(file, id, $"prefilter has an invalid regex: {ex.Message}", ex);
            }
        }

        return new Rule(id, doc.Element, doc.Description, file, detector, patterns, resolved, ReadExamples(file, id, doc.Examples))
        {
            Keywords = [.. Clean(doc.Keywords), .. Clean(doc.KeywordsExactCase)],
            ExactCaseKeywords = new HashSet<string>(Clean(doc.KeywordsExactCase), StringComparer.Ordinal),
            Prefilter = prefilter,
            ContextWords = Clean(doc.Context?.Words),
            NegativeContextWords = Clean(doc.Context?.Negative),
            ContextWindow = Math.Max(0, doc.Context?.Window ?? 40),
            ContextBeforeOnly = direction == "BEFORE",
            ContextBoost = doc.Context?.Boost ?? 0.1,
            ContextStopsAtMatch = doc.Context?.StopAtMatch ?? false,
            Headers = Clean(doc.Headers).Select(HeaderText.Normalize).Where(h => h.Length > 0).ToArray(),
            HeaderExact = headerMatch == "EXACT",
            HeaderBoost = doc.HeaderBoost,
            RequireContext = doc.RequireContext,
            WholeValue = doc.WholeValue,
            WholeValueScore = doc.WholeValueScore,
            AllowList = new HashSet<string>(Clean(doc.AllowList), StringComparer.OrdinalIgnoreCase),
            StopWords = new HashSet<string>(Clean(doc.StopWords), StringComparer.OrdinalIgnoreCase),
            Compose = compose,
            ComposeScore = doc.ComposeScore,
            MinDigits = Math.Max(0, doc.MinDigits),
            DigitShapes = Shapes(file, id, "digitShapes", doc.DigitShapes),
            MinScore = doc.MinScore,
            Roles = [.. (doc.Roles ?? []).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new RoleCue(Role(file, id, r.Key), Clean(r.Value.Before), Clean(r.Value.After)))],
            LinesAbove = doc.LinesAbove is >= 0 and <= 2 ? doc.LinesAbove : throw new RuleLoadException(file, id, "linesAbove must be 0, 1 or 2"),
            ComposeQualifiers = new HashSet<string>(Clean(doc.ComposeQualifiers).Select(HeaderText.Normalize).Where(h => h.Length > 0), StringComparer.Ordinal),
            HeaderSuffixes = Clean(doc.HeaderSuffixes).Select(HeaderText.Normalize).Where(h => h.Length > 0).ToArray(),
            HeaderExclude = new HashSet<string>(Clean(doc.HeaderExclude).Select(HeaderText.Normalize).Where(h => h.Length > 0), StringComparer.Ordinal),
        };
    }

    // A rule a code detector reports (cards, phones, medical codes…): its words, validators and examples are here, its
    // matching in the detector, so it has no patterns of its own.
    private static Rule LoadCodeRule(string file, string id, RuleDocument doc, List<IValidator> validators)
    {
        if (doc.Patterns is { Count: > 0 } || doc.Compose is { Count: > 0 } || doc.WholeValue)
        {
            throw new RuleLoadException(file, id, "a code rule has no patterns, compose or wholeValue: its detector finds the values");
        }

        if (doc.Keywords is { Count: > 0 } || doc.Context is not null || doc.Headers is { Count: > 0 } || !string.IsNullOrEmpty(doc.Prefilter) || doc.DigitShapes is { Count: > 0 })
        {
            throw new RuleLoadException(file, id, "a code rule lists the words its detector reads under 'words' (keywords, context, headers, prefilter and digitShapes are pattern-rule fields)");
        }

        var words = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, list) in doc.Words ?? [])
        {
            var clean = Clean(list);
            if (clean.Length == 0)
            {
                throw new RuleLoadException(file, id, $"word list '{name}' is empty");
            }

            words[name] = clean;
        }

        return new Rule(id, doc.Element!, doc.Description, file, RuleDetector.Code, [], validators, ReadExamples(file, id, doc.Examples))
        {
            WordLists = words,
        };
    }

    // The licence data: the family rule (us-dl) with the file's own examples, and one member rule per state (us-dl-IL)
    // whose examples are the state's numbers in a sentence naming the state, as a scan reports them.
    private static IEnumerable<Rule> LoadLicenceData(string file, string text)
    {
        var data = DriversLicenseRules.Parse(file, text);
        var rules = new List<Rule>
        {
            new(data.Id, data.Element, data.Description, file, RuleDetector.Code, [], [], ReadExamples(file, data.Id, data.Examples)) { Licences = data },
        };
        foreach (var state in data.States)
        {
            string Sentence(string number) => $"Applicant's {state.Name} driver's license number {number} on file.";
            var examples = state.MatchExamples.Select(n => new RuleExample(Sentence(n), true, DriversLicenseRules.Normalize(n)))
                .Concat(state.NoMatchExamples.Select(n => new RuleExample(Sentence(n), false)))
                .ToList();
            var description = $"{state.Name} driver's licence or state ID number ({string.Join(", ", state.Formats.Select(f => f.Name))})";
            rules.Add(new Rule($"{data.Id}-{state.State}", data.Element, description, file, RuleDetector.Code, [], [], examples) { Family = data.Id });
        }

        return rules;
    }

    private static PersonRole Role(string file, string id, string name) => WireName.TryParse<PersonRole>(name, out var role)
        ? role
        : throw new RuleLoadException(file, id, $"roles: '{name}' is not a role (provider, staff or relative)");

    // A rule's or pattern's digit shapes, parsed at load: a malformed one names the file, the rule and why.
    private static DigitShapeList? Shapes(string file, string id, string what, List<string>? shapes)
    {
        var written = Clean(shapes);
        if (written.Length == 0)
        {
            return null;
        }

        try
        {
            return new DigitShapeList($"{id} {what}", written);
        }
        catch (FormatException ex)
        {
            throw new RuleLoadException(file, id, $"{what}: {ex.Message}", ex);
        }
    }

    private static void CheckScore(string file, string id, double score, string what)
    {
        if (score is < 0 or > 1 || double.IsNaN(score))
        {
            throw new RuleLoadException(file, id, $"{what} must be between 0 and 1");
        }
    }

    private static string[] Clean(List<string>? words) =>
        words is null ? [] : words.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    private static List<RuleExample> ReadExamples(string file, string id, ExamplesDocument? examples)
    {
        var list = new List<RuleExample>();
        foreach (var item in examples?.Match ?? [])
        {
            list.Add(ReadExample(file, id, item, shouldMatch: true));
        }

        foreach (var item in examples?.NotMatch ?? [])
        {
            list.Add(ReadExample(file, id, item, shouldMatch: false));
        }

        return list;
    }

    private static RuleExample ReadExample(string file, string id, object item, bool shouldMatch)
    {
        switch (item)
        {
            case string text:
                return new RuleExample(text, shouldMatch);
            case IDictionary<object, object> map:
                string? Get(string key) => map.TryGetValue(key, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
                foreach (var key in map.Keys)
                {
                    if (key is not ("text" or "value" or "header" or "category"))
                    {
                        throw new RuleLoadException(file, id, $"example key '{key}' is not one of text, value, header, category");
                    }
                }

                var exampleText = Get("text") ?? throw new RuleLoadException(file, id, "an example mapping needs 'text'");
                var value = Get("value");
                if (!shouldMatch && value is not null)
                {
                    throw new RuleLoadException(file, id, "a notMatch example cannot give a 'value'");
                }

                return new RuleExample(exampleText, shouldMatch, value, Get("header"), Get("category"));
            default:
                throw new RuleLoadException(file, id, "an example is a string or a mapping {text, value, header}");
        }
    }
}

/// <summary>A rule replaced by a rule with the same id from a later rules folder.</summary>
/// <param name="Id">The rule id.</param>
/// <param name="ReplacedFile">The file of the rule that was replaced (a shipped rule, for a user folder).</param>
/// <param name="ByFile">The file of the rule that replaced it.</param>
public sealed record RuleOverride(string Id, string ReplacedFile, string ByFile);
