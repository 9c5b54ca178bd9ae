using PiiScanner.Detection.Matching;
using System.Text;
using PiiScanner.Detection;
using PiiScanner.Detection.Validators;
using PiiScanner.Extraction;
using PiiScanner.Tests.EndToEnd;

namespace PiiScanner.Tests;

/// <summary>The builder's registration points: a tool author's validator, detector and extractor, no reflection.</summary>
public sealed class ScannerBuilderTests
{
    [Fact]
    public async Task UserValidatorDetectorAndExtractorTakePartInAScan()
    {
        using var temp = new TempFolder();
        var rules = temp.Folder("rules");
        File.WriteAllText(Path.Combine(rules, "badge.yaml"), """
            id: acme-badge
            element: badge
            description: ACME badge numbers, checked by the acme-badge validator.
            patterns:
              - {name: badge, regex: '\bB-\d{4}\b', score: 0.9}
            validators: [acme-badge]
            """);
        var share = temp.Folder("share");
        File.WriteAllText(Path.Combine(share, "badges.txt"), "Badges issued: B-1234 and B-1235.\n");
        File.WriteAllBytes(Path.Combine(share, "card.acme"), Encoding.ASCII.GetBytes("ACME1|door code 4417"));

        var scanner = new ScannerBuilder()
            .AddRules(rules)
            .AddValidator(new EvenBadge())
            .AddDetector(new DoorCodes())
            .AddExtractor(new AcmeCards())
            .WithThreads(1)
            .Build();
        var result = await scanner.ScanAsync([share], []);

        var badges = result.Items.Single(i => i.File.Path == "badges.txt").Findings.Where(f => f.Element == "badge").ToList();
        Assert.Equal(["B-1234"], badges.Select(f => f.Value));
        Assert.Equal("acme-badge:valid", Assert.Single(badges).Evidence.Validator);
        var card = result.Items.Single(i => i.File.Path == "card.acme");
        Assert.Equal("acme-card", card.File.Extractor);
        var code = Assert.Single(card.Findings);
        Assert.Equal(("doorCode", "4417", "card 1"), (code.Element, code.Value, code.Locator));
    }

    [Fact]
    public async Task AMissingRootFailsTheReturnedTask()
    {
        var scanner = new ScannerBuilder().WithThreads(1).Build();

        var scan = scanner.ScanAsync(["/no/such/share"], []);

        var ex = await Assert.ThrowsAsync<ScanSourceException>(() => scan);
        Assert.Contains("/no/such/share", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidatorNameTakenTwiceFailsAtBuild()
    {
        var builder = new ScannerBuilder().AddValidator(new Named("luhn"));
        Assert.Throws<ArgumentException>(() => builder.Build());
    }

    [Fact]
    public void AUserFolderWithOnlyPartOfTheMedicalVocabulariesFailsAtBuildNamingTheMissingFile()
    {
        using var temp = new TempFolder();
        var rules = temp.Folder("rules");
        Directory.CreateDirectory(Path.Combine(rules, "medical"));
        File.Copy(Path.Combine(RepoPaths.Rules, "medical", "conditions.tsv"), Path.Combine(rules, "medical", "conditions.tsv"));

        var ex = Assert.Throws<RuleLoadException>(() => new ScannerBuilder().AddRules(rules).Build());

        Assert.Equal(("medical-vocab", Path.Combine(rules, "medical", "medications.tsv")), (ex.RuleId, ex.FilePath));
    }

    [Fact]
    public void AUserRuleWhoseOwnExampleFailsIsRefusedAtBuild()
    {
        using var temp = new TempFolder();
        var rules = temp.Folder("rules");
        var path = Path.Combine(rules, "badge.yaml");
        File.WriteAllText(path, """
            id: acme-badge
            element: badge
            patterns:
              - {name: badge, regex: '\bB-\d{4}\b', score: 0.9}
            examples:
              match: ['Badge B-1234']
              notMatch: ['Badge B-12345', 'Badge B-4321']
            """);

        var ex = Assert.Throws<RuleLoadException>(() => new ScannerBuilder().AddRules(rules).Build());

        Assert.Equal((path, "acme-badge"), (ex.FilePath, ex.RuleId));
        Assert.Contains("example 'Badge B-4321' must not match but gives acme-badge/badge='B-4321'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);

        File.WriteAllText(path, File.ReadAllText(path).Replace(", 'Badge B-4321'", string.Empty, StringComparison.Ordinal));
        Assert.Contains(new ScannerBuilder().AddRules(rules).Build().Rules.Rules, r => r.Id == "acme-badge");
    }

    private sealed class EvenBadge : IValidator
    {
        public string Name => "acme-badge";

        public ValidationResult Validate(string candidate) =>
            (candidate[^1] - '0') % 2 == 0 ? ValidationResult.Valid(candidate) : ValidationResult.Invalid("odd");
    }

    private sealed class Named(string name) : IValidator
    {
        public string Name => name;

        public ValidationResult Validate(string candidate) => ValidationResult.Invalid("never");
    }

    private sealed class DoorCodes : ISegmentDetector
    {
        private static readonly WordList Keyword = new("door code", ["door code"]);

        // Declared, so the engine finds "door code" in its one pass and hands this detector only the hits.
        public IReadOnlyList<WordList> Words => [Keyword];

        public void Detect(SegmentScan scan, List<Finding> findings)
        {
            foreach (var unit in scan.Units)
            {
                foreach (var hit in unit.Find(Keyword))
                {
                    var at = hit.Start + hit.Length + 1;
                    if (at >= unit.Text.Length)
                    {
                        continue;
                    }

                    findings.Add(new Finding
                    {
                        Element = "doorCode",
                        Value = unit.Text[at..],
                        Locator = unit.Locator.ToString(),
                        Confidence = 0.9,
                        Evidence = new Evidence { RuleId = "acme-door-code" },
                        Start = at,
                        Length = unit.Text.Length - at,
                        SegmentIndex = scan.SegmentIndex,
                    });
                }
            }
        }
    }

    private sealed class AcmeCards : IExtractor
    {
        public string Name => "acme-card";

        public bool CanExtract(ReadOnlySpan<byte> head, string path) => head.StartsWith("ACME1|"u8);

        public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
        {
            using var reader = new StreamReader(context.Content, Encoding.ASCII, leaveOpen: true);
            var text = await reader.ReadToEndAsync(cancellationToken);
            context.Emit(new Segment("card 1", text["ACME1|".Length..]));
        }
    }
}
