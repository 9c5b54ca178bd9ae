using PiiScanner.Resolution;
using PiiScanner.Testing;

namespace PiiScanner.Tests.EndToEnd;

/// <summary>
/// Structured documents that hold several people (a JSON bundle with dependents, a workbook of linked sheets, a Word
/// intake form with a household table), scanned through the library: each person one individual, nothing merged.
/// Synthetic people only.
/// </summary>
public sealed class MultiPersonDocumentsTests
{
    [Fact]
    public async Task JsonSubscriberAndTwoDependentsAreThreeIndividuals()
    {
        const string bundle = """
            {"resourceType": "Bundle", "subscribers": [
              {"memberId": "M-100",
               "name": [{"use": "official", "given": ["Perpetua", "Ana"], "family": "Galloway"}],
               "ssn": "518-24-3307", "birthDate": "1958-06-21",
               "address": {"line": "12 Oak St", "city": "Helena", "state": "MT", "zip": "59601"},
               "dependents": [
                 {"firstName": "Ansel", "lastName": "Galloway", "dob": "1983-09-14", "ssn": "401-62-8815"},
                 {"given_name": "Theodora", "family_name": "Galloway", "birthDate": "1990-12-02", "ssn": "372-90-1146"}
               ]}
            ]}
            """;

        var people = await ScanAsync(("bundle.json", FormatFiles.Utf8(bundle)));

        Assert.Equal(3, people.Count);
        Assert.Equal(["1958-06-21"], Values(Person(people, "518-24-3307"), "dob"));
        Assert.Equal(["1983-09-14"], Values(Person(people, "401-62-8815"), "dob"));
        Assert.Equal(["1990-12-02"], Values(Person(people, "372-90-1146"), "dob"));
        Assert.Contains("Galloway", Person(people, "518-24-3307").Name, StringComparison.Ordinal);
        Assert.Equal("Ansel Galloway", Person(people, "401-62-8815").Name);
    }

    [Fact]
    public async Task LinkedWorkbookGivesEachMemberTheHouseholdAddressAndOwnDiagnosis()
    {
        var workbook = FormatFiles.Xlsx(
            ("Households",
            [
                ["household_id", "address", "city", "state", "zip"],
                ["H1", "12 Oak St", "Helena", "MT", "59601"],
                ["H2", "48 Birch Ave", "Missoula", "MT", "59802"],
            ]),
            ("Members",
            [
                ["Member roster"],
                [],
                ["member_id", "household_id", "first", "last", "dob", "ssn"],
                ["P1", "H1", "Ansel", "Whitcombe", "1983-09-14", "518-24-3307"],
                ["P2", "H2", "Casimir", "Ellingham", "1990-12-02", "401-62-8815"],
            ]),
            ("Services",
            [
                ["member_id", "service_date", "diagnosis"],
                ["P1", "2021-02-03", "Type 2 diabetes mellitus"],
                ["P2", "2021-02-04", "Essential hypertension"],
            ]));

        var people = await ScanAsync(("members.xlsx", workbook));

        Assert.Equal(2, people.Count);
        var ansel = Person(people, "518-24-3307");
        var casimir = Person(people, "401-62-8815");
        Assert.Contains(Values(ansel, "address"), a => a.Contains("Helena", StringComparison.Ordinal));
        Assert.DoesNotContain(Values(ansel, "address"), a => a.Contains("Missoula", StringComparison.Ordinal));
        Assert.Contains(Values(casimir, "address"), a => a.Contains("Missoula", StringComparison.Ordinal));
        Assert.Equal(["diabetes"], Medical(ansel));
        Assert.Equal(["hypertension"], Medical(casimir));
    }

    [Fact]
    public async Task DocxIntakeFormIsOnePersonAndHouseholdRowsAreOthers()
    {
        var form = FormatFiles.Docx(
            "Patient Intake Form",
            new DocxTable(
            [
                ["Name", "Perpetua Galloway", "Member ID", "M-2291"],
                ["SSN", "518-24-3307", "Phone", "406-555-0134"],
                ["Address", "12 Oak St\nHelena, MT 59601", "Diagnosis", "E11.9"],
            ], Header: false),
            "Date of Birth: 06/21/1958",
            "Household members",
            new[]
            {
                new[] { "Name", "DOB", "Relationship", "SSN" },
                new[] { "Ansel Galloway", "09/14/1983", "Son", "401-62-8815" },
                new[] { "Theodora Galloway", "12/02/1990", "Daughter", "372-90-1146" },
            });

        var people = await ScanAsync(("intake.docx", form));

        var subject = Person(people, "518-24-3307");
        Assert.Equal("Perpetua Galloway", subject.Name);
        Assert.Equal(["1958-06-21"], Values(subject, "dob"));
        Assert.Contains("address", subject.Elements);
        Assert.Equal(["1983-09-14"], Values(Person(people, "401-62-8815"), "dob"));
        Assert.Equal(["1990-12-02"], Values(Person(people, "372-90-1146"), "dob"));
        Assert.Equal(3, people.Count);
    }

    private static Individual Person(IReadOnlyList<Individual> people, string ssn)
        => Assert.Single(people, p => p.Values.TryGetValue("ssn", out var v) && v.Any(x => Digits(x.Value) == Digits(ssn)));

    private static string[] Values(Individual person, string element)
        => person.Values.TryGetValue(element, out var values) ? [.. values.Select(v => v.Value)] : [];

    private static string[] Medical(Individual person)
        => [.. Values(person, "medical").Select(m => m.Contains("diabetes", StringComparison.OrdinalIgnoreCase) ? "diabetes"
            : m.Contains("hypertension", StringComparison.OrdinalIgnoreCase) ? "hypertension" : m).Distinct()];

    private static string Digits(string text) => new([.. text.Where(char.IsAsciiDigit)]);

    private static async Task<IReadOnlyList<Individual>> ScanAsync(params (string Name, byte[] Content)[] files)
    {
        using var temp = new TempFolder();
        var share = temp.Combine("share");
        Directory.CreateDirectory(share);
        foreach (var (name, content) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(share, name), content);
        }

        var result = await new ScannerBuilder().Build().ScanAsync([share], []);
        return result.Individuals;
    }
}
