using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PiiScanner.Detection;
using PiiScanner.Detection.Validators;
using PiiScanner.Extraction;

namespace PiiScanner.Benchmarks;

/// <summary>
/// The slowest a shipped rule regex gets: every pattern and prefilter of every shipped rule, interpreted and compiled,
/// run to its last match over adversarial segments of the longest length a segment can have
/// (<see cref="ExtractionLimits.MaxSegmentChars"/>: long digit runs, separators, letters, dotted and mailbox-like
/// runs), and the whole engine with its code detectors over the same segments. Prints the slowest calls, so the
/// regex match timeout (<see cref="RuleSet.RegexTimeout"/>) can be checked to sit far above anything a shipped
/// pattern needs. Usage: <c>regex-worst [--top N]</c>.
/// </summary>
internal static class RegexWorst
{
    public static int Run(string[] args)
    {
        var top = RgRatio.Option(args, "--top", 12);
        var length = new ExtractionLimits().MaxSegmentChars;
        var texts = Adversarial(length);
        var rules = RuleSet.LoadDefault(ValidatorRegistry.CreateDefault());
        var timings = new List<(string What, string Text, double Ms)>();
        foreach (var rule in rules.Rules)
        {
            var regexes = rule.Patterns.Select(p => (Name: $"{rule.Id}/{p.Name}", Regex: p.Regex.For(0))).ToList();
            if (rule.Prefilter is { } prefilter)
            {
                regexes.Add(($"{rule.Id}/prefilter", prefilter.For(0)));
            }

            foreach (var (name, interpreted) in regexes)
            {
                var compiled = new Regex(interpreted.ToString(), interpreted.Options | RegexOptions.Compiled, Regex.InfiniteMatchTimeout);
                var untimed = new Regex(interpreted.ToString(), interpreted.Options, Regex.InfiniteMatchTimeout);
                _ = compiled.Count("warm up 123-45-6789");
                foreach (var (label, text) in texts)
                {
                    timings.Add(($"{name} (interpreted)", label, Time(() => untimed.Count(text))));
                    timings.Add(($"{name} (compiled)", label, Time(() => compiled.Count(text))));
                }
            }
        }

        var engine = new DetectionEngine(rules, new DetectionOptions { CodeDetectors = CodeDetectors.CreateDefault(RulesFolder.Shipped) });
        foreach (var (label, text) in texts)
        {
            engine.Detect(new Segment("line 1", text), 0, []);
            timings.Add(("whole engine, every detector", label, Time(() =>
            {
                var findings = new List<Finding>();
                engine.Detect(new Segment("line 1", text), 0, findings);
                return findings.Count;
            })));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{timings.Count} timed calls over {texts.Count} adversarial segments of {length:N0} characters; timeout {RuleSet.RegexTimeout.TotalMilliseconds:0} ms"));
        Console.WriteLine("| regex | segment | ms |");
        Console.WriteLine("| --- | --- | ---: |");
        foreach (var (what, text, ms) in timings.OrderByDescending(t => t.Ms).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {text} | {ms:0.0} |"));
        }

        return 0;
    }

    private static double Time(Func<int> run)
    {
        var sw = Stopwatch.StartNew();
        _ = run();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static List<(string Label, string Text)> Adversarial(int length)
    {
        string Repeat(string unit)
        {
            var sb = new StringBuilder(length + unit.Length);
            while (sb.Length < length)
            {
                sb.Append(unit);
            }

            return sb.ToString(0, length);
        }

        var random = new Random(11);
        var mixed = new StringBuilder(length);
        const string alphabet = "0123456789 -./()+:#@aAzZ\t";
        while (mixed.Length < length)
        {
            mixed.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return
        [
            ("digits", Repeat("1")),
            ("digit-hyphen", Repeat("1-")),
            ("digit-space", Repeat("1 ")),
            ("digit-dot", Repeat("1.")),
            ("ssn-like without end", Repeat("123-45-678")),
            ("phone-like", Repeat("(406) 555-01")),
            ("plus-digits", Repeat("+1 ")),
            ("letters", Repeat("a")),
            ("capitalised words", Repeat("Aaaa ")),
            ("dotted labels", Repeat("a.")),
            ("mailbox-like", Repeat("a@a.")),
            ("alphanumeric", Repeat("A1")),
            ("spaces", Repeat(" ")),
            ("labels", Repeat("Name: ")),
            ("random symbols", mixed.ToString()),
        ];
    }
}
