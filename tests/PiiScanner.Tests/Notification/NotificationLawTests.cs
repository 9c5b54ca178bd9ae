using PiiScanner.Detection;
using PiiScanner.Notification;
using PiiScanner.Resolution;

namespace PiiScanner.Tests.Notification;

public sealed class NotificationLawTests
{
    private static readonly string[] Jurisdictions =
    [
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
        "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
        "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
    ];

    internal static NotificationLaws Laws { get; } = NotificationLaws.Load(Path.Combine(RepoPaths.Rules, "notification"));

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var law in Laws.All)
        {
            for (var i = 0; i < law.Examples.Count; i++)
            {
                data.Add(law.Jurisdiction, i);
            }
        }

        return data;
    }

    /// <summary>A resident of <paramref name="state"/> (by address) with exactly <paramref name="elements"/> exposed.</summary>
    internal static Individual Resident(string state, params string[] elements) => new()
    {
        Id = "test-" + state,
        Name = elements.Contains(Elements.Name) ? "Testa Person" : null,
        Elements = ElementOrder.Sort(elements),
        Values = new Dictionary<string, IReadOnlyList<ExposedValue>>
        {
            [Elements.Address] = [new ExposedValue("1 Test Rd, Testville, " + state + " 00001")],
        },
        Sources = [new SourceRef("test.csv", "row 2", elements)],
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryLawExampleDecidesAsItSays(string jurisdiction, int index)
    {
        var law = Laws.All.Single(l => l.Jurisdiction == jurisdiction);
        var example = law.Examples[index];
        var where = $"{law.SourceFile}: example [{string.Join(", ", example.Elements)}] ({example.Why})";
        if (law.Overlay)
        {
            Assert.True(example.Notifiable == law.Triggered(example.Elements.ToHashSet()).Count > 0, where);
            return;
        }

        var decision = new NotificationDecider(Laws).Decide(Resident(jurisdiction, [.. example.Elements]));
        Assert.Equal(jurisdiction, decision.State);
        Assert.True(example.Notifiable == decision.Notifiable, $"{where}: expected notifiable={example.Notifiable}");
        if (example.Notifiable)
        {
            Assert.All(decision.Triggered, e => Assert.Contains(e, example.Elements));
        }
    }

    [Fact]
    public void EveryStateDistrictAndTerritoryHasAFileAndHipaaIsAnOverlay()
    {
        Assert.Equal(Jurisdictions.Order(StringComparer.Ordinal), Laws.States.Select(l => l.Jurisdiction));
        var hipaa = Assert.Single(Laws.Overlays);
        Assert.Equal("HIPAA", hipaa.Jurisdiction);
        Assert.Contains(hipaa.Regulators, r => r.MinResidents == 500 && r.Scope == RegulatorScope.Total);
    }

    [Fact]
    public void EveryLawHasExamplesBothWaysAndNoLawSaysItIsUncertain()
    {
        Assert.All(Laws.All, law =>
        {
            if (law.Citation is null)
            {
                Assert.Empty(law.Triggers);
                Assert.NotEmpty(law.Uncertain);
                Assert.All(law.Examples, e => Assert.False(e.Notifiable));
            }
            else
            {
                Assert.Contains(law.Examples, e => e.Notifiable);
                Assert.Contains(law.Examples, e => !e.Notifiable);
                Assert.False(string.IsNullOrWhiteSpace(law.Deadline));
            }
        });
    }

    [Theory]
    [InlineData("triggers:\n  - [name, shoeSize]\n", "unknown element 'shoeSize'")]
    [InlineData("triggers:\n  - [name, ssn]\nexamples:\n  - {elements: [name, ssn], notifiable: true}\n", "'examples[].why' is required")]
    [InlineData("colour: blue\n", "invalid YAML")]
    public void ABadLawFileFailsNamingTheFile(string tail, string problem)
    {
        var dir = Directory.CreateTempSubdirectory("laws-");
        try
        {
            var text = "jurisdiction: ZZ\nname: Test\nlaw: 'Test Code § 1'\ndeadline: 'soon'\n" + tail;
            if (!tail.Contains("examples:", StringComparison.Ordinal))
            {
                text += (tail.Contains("triggers:", StringComparison.Ordinal) ? string.Empty : "triggers:\n  - [name, ssn]\n")
                    + "examples:\n  - {elements: [name, ssn], notifiable: true, why: 'test'}\n";
            }

            File.WriteAllText(Path.Combine(dir.FullName, "zz.yaml"), text);
            var ex = Assert.Throws<NotificationLawException>(() => NotificationLaws.Load(dir.FullName));
            Assert.Contains("zz.yaml", ex.Message, StringComparison.Ordinal);
            Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void TwoFilesForOneJurisdictionFail()
    {
        var dir = Directory.CreateTempSubdirectory("laws-");
        try
        {
            const string text = "jurisdiction: ZZ\nname: Test\nlaw: 'Test Code § 1'\ndeadline: 'soon'\ntriggers:\n  - [name, ssn]\nexamples:\n  - {elements: [name, ssn], notifiable: true, why: 'test'}\n";
            File.WriteAllText(Path.Combine(dir.FullName, "a.yaml"), text);
            File.WriteAllText(Path.Combine(dir.FullName, "b.yaml"), text);
            var ex = Assert.Throws<NotificationLawException>(() => NotificationLaws.Load(dir.FullName));
            Assert.Contains("b.yaml", ex.Message, StringComparison.Ordinal);
            Assert.Contains("already defined in a.yaml", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
