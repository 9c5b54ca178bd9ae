using System.CommandLine;
using System.Globalization;
using PiiScanner.Detection;

namespace PiiScanner.Cli;

/// <summary><c>piiscan rules list</c> and <c>piiscan rules test FILE</c>: tune rules without a rebuild.</summary>
internal static class RulesCommand
{
    public static Command Create(Option<string[]> rulesOption, TextWriter stdout, TextWriter stderr)
    {
        var list = new Command("list", "List every rule id a scan can report: element, detector, validators, examples both ways, source file.") { rulesOption };
        list.SetAction(async (parse, _) =>
        {
            var scanner = TryBuild(parse.GetValue(rulesOption), stderr);
            if (scanner is null)
            {
                return 2;
            }

            await stdout.WriteLineAsync("id\telement\tdetector\tvalidators\tmatch\tnotMatch\tfile").ConfigureAwait(false);
            foreach (var rule in scanner.Rules.Rules.OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                var match = rule.Examples.Count(e => e.ShouldMatch);
                await stdout.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{rule.Id}\t{rule.Element}\t{rule.Detector.ToString().ToLowerInvariant()}\t{string.Join(",", rule.ValidatorNames)}\t{match}\t{rule.ExampleCount - match}\t{rule.SourceFile}")).ConfigureAwait(false);
            }

            return 0;
        });

        var file = new Argument<string>("file") { Description = "A text file to run the rules on." };
        var reveal = new Option<bool>("--reveal") { Description = "Show full values (default: masked)." };
        var test = new Command("test", "Run the rules on a text file and show each finding with its evidence and score.") { file, rulesOption, reveal };
        test.SetAction(async (parse, _) =>
        {
            var scanner = TryBuild(parse.GetValue(rulesOption), stderr);
            if (scanner is null)
            {
                return 2;
            }

            var path = parse.GetRequiredValue(file);
            if (!File.Exists(path))
            {
                await stderr.WriteLineAsync($"piiscan: file not found: {path}").ConfigureAwait(false);
                return 2;
            }

            var masker = new Index.Masker(parse.GetValue(reveal));
            var lineNumber = 0;

            // The lines of the file as a scan reads a text file's lines: a label on the line above and an address over
            // lines count.
            var detection = scanner.Detection.BeginItem();
            foreach (var line in File.ReadLines(path))
            {
                lineNumber++;
                var findings = new List<Detection.Finding>();
                if (line.Trim().Length > 0)
                {
                    detection.Detect(new Extraction.Segment("line " + lineNumber.ToString(CultureInfo.InvariantCulture), line), findings);
                }

                foreach (var finding in findings)
                {
                    var e = finding.Evidence;
                    await stdout.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{finding.Locator}\t{finding.Element}\t{masker.Mask(finding.Element, finding.Value)}\t{finding.Confidence:F2}\trule={e.RuleId} pattern={e.Pattern} validator={e.Validator} context={e.ContextWord} header={e.Header} category={finding.Qualifiers.Category}")).ConfigureAwait(false);
                }
            }

            return 0;
        });

        return new Command("rules", "List or test detection rules.") { list, test };
    }

    private static Scanner? TryBuild(string[]? directories, TextWriter stderr)
    {
        try
        {
            var scanner = Program.Builder(directories).Build();
            Program.WarnOverrides(scanner, stderr);
            return scanner;
        }
        catch (Exception ex) when (ex is RuleLoadException or DirectoryNotFoundException)
        {
            stderr.WriteLine($"piiscan: {ex.Message}");
            return null;
        }
    }
}
