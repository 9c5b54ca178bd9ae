using System.Text;
using System.Text.Json;
using PiiScanner.Detection;
using PiiScanner.Detection.Validators;
using PiiScanner.Index;
using PiiScanner.Tests.EndToEnd;

namespace PiiScanner.Tests.Detection;

/// <summary>Typed finding qualifiers in the API, one <c>category</c> string in findings.jsonl, as before.</summary>
public sealed class FindingQualifiersTests
{
    public static TheoryData<FindingQualifiers, string?> Written => new()
    {
        { FindingQualifiers.None, null },
        { new() { Role = PersonRole.Provider }, "provider" },
        { new() { Role = PersonRole.Staff }, "staff" },
        { new() { Role = PersonRole.Relative }, "relative" },
        { new() { NameForm = NameForm.LastFirst }, "last-first" },
        { new() { NameForm = NameForm.Honorific }, "honorific" },
        { new() { Sensitivity = "mental-health" }, "mental-health" },
        { new() { Issuer = "visa" }, "visa" },
        { new() { Kind = "member" }, "member" },
        // Several at once (a user detector may set them): the first in property order is written.
        { new() { Role = PersonRole.Provider, NameForm = NameForm.LastFirst }, "provider" },
        { new() { NameForm = NameForm.Honorific, Kind = "x" }, "honorific" },
        { new() { Sensitivity = "cancer", Issuer = "us", Kind = "k" }, "cancer" },
        { new() { Issuer = "us", Kind = "k" }, "us" },
    };

    [Theory]
    [MemberData(nameof(Written))]
    public void FindingsJsonlWritesOneQualifierAsTheCategory(FindingQualifiers qualifiers, string? category)
    {
        var line = FindingLine(new Finding
        {
            Element = Elements.Name,
            Value = "Jane Doe",
            Locator = "line 1",
            Confidence = 0.9,
            Evidence = new Evidence { RuleId = "name" },
            Qualifiers = qualifiers,
        });
        using var doc = JsonDocument.Parse(line);
        Assert.Equal(category, doc.RootElement.TryGetProperty("category", out var c) ? c.GetString() : null);
        Assert.False(doc.RootElement.TryGetProperty("qualifiers", out _));
    }

    [Theory]
    [InlineData("provider", PersonRole.Provider, null, null)]
    [InlineData("relative", PersonRole.Relative, null, null)]
    [InlineData("last-first", null, NameForm.LastFirst, null)]
    [InlineData("honorific", null, NameForm.Honorific, null)]
    [InlineData("employer", null, null, "employer")]
    public void ARuleFilesCategoryIsTyped(string category, PersonRole? role, NameForm? form, string? kind)
    {
        var q = FindingQualifiers.FromRuleCategory(category);
        Assert.Equal((role, form, kind), (q.Role, q.NameForm, q.Kind));
        Assert.Equal(category, q.Category);
    }

    [Fact]
    public void TheJournalKeepsQualifiers()
    {
        var finding = new Finding
        {
            Element = Elements.Name,
            Value = "Jane Doe",
            Locator = "line 1",
            Confidence = 0.9,
            Evidence = new Evidence { RuleId = "name" },
            Qualifiers = new() { Role = PersonRole.Staff, NameForm = NameForm.LastFirst },
        };
        var item = new ItemResult(new FileRecord { Path = "a.txt", Status = FileStatus.Scanned, Findings = 1 }, [finding], []);

        var back = JournalCodec.Decode(JournalCodec.Encode(item));

        Assert.Equal(finding, Assert.Single(back.Findings));
    }

    [Fact]
    public void ARoleCueThatIsNoRoleFailsAtLoad()
    {
        using var temp = new TempFolder();
        var rules = temp.Folder("rules");
        File.WriteAllText(Path.Combine(rules, "who.yaml"), """
            id: test-who
            element: name
            detector: name
            patterns:
              - {name: p, regex: '(?<value>\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+)'}
            roles:
              landlord:
                before: [landlord]
            """);

        var ex = Assert.Throws<RuleLoadException>(() => RuleSet.Load([rules], ValidatorRegistry.CreateDefault()));
        Assert.Equal("test-who", ex.RuleId);
        Assert.Contains("'landlord' is not a role", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANameAfterAProviderCueIsAProvider()
    {
        var name = Assert.Single(DetectionFixture.Engine.Test("Prescriber: Dr. Ingrid Solberg"), f => f.Element == Elements.Name);
        Assert.Equal(PersonRole.Provider, name.Qualifiers.Role);
        Assert.Null(name.Qualifiers.NameForm);
    }

    private static string FindingLine(Finding finding)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            IndexJson.WriteFinding(w, "a.txt", finding, new Masker(reveal: true));
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
