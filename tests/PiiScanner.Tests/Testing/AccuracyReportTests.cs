using PiiScanner.Resolution;
using PiiScanner.Testing;

namespace PiiScanner.Tests.Testing;

/// <summary>The measuring stick measured: fabricated indexes with known faults score as they must.</summary>
public sealed class AccuracyReportTests
{
    private static readonly (string, string)[] Nicknames = [("bill", "william"), ("liz", "elizabeth")];

    private static readonly TruthPerson Ana = Person("P0001", "households", "Ana", "Ruiz", "1961-03-04", "512-44-0913", "12 Oak St", "59601", "Eligibility/Households/a.csv");
    private static readonly TruthPerson William = Person("P0002", "households", "William", "Ordóñez", "1970-07-01", "401-22-1234", "40 Elm Ave", "62701", "Eligibility/Households/a.csv");
    private static readonly TruthPerson Liz = Person("P0003", "letters", "Elizabeth", "Running Crane", "1988-12-30", null, "7 Pine Rd", "59801", "Correspondence/letter_001.docx");

    private static readonly RealisticTruth Truth = new([Ana, William, Liz], [new TruthNonPerson("staff", "Karen Whitlow", "Correspondence/letter_001.docx")], [], 0);

    [Fact]
    public void PerfectIndexScoresOneEverywhere()
    {
        var report = Evaluate(
            Row("a", "Ana Ruiz", ssn: "512440913", dob: "1961-03-04", address: "12 Oak St, Helena, MT 59601", path: "Eligibility/Households/a.csv"),
            Row("b", "ORDONEZ, BILL", ssn: "401-22-1234", dob: "1970-07-01", address: "40 Elm Ave, Springfield, IL 62701", path: "Eligibility/Households/a.csv"),
            Row("c", "Liz Running-Crane", dob: "1988-12-30", address: "7 Pine Rd, Missoula, MT 59801", path: "Correspondence/letter_001.docx"));

        Assert.Equal(1.0, report.Overall.Recall);
        Assert.Equal(1.0, report.Overall.RowPrecision);
        Assert.Equal(1.0, report.Overall.Fragmentation);
        Assert.Equal(0, report.Overall.MergeErrors);
        Assert.Equal(1.0, report.Overall.ElementRecall);
        Assert.Equal(1.0, report.Overall.FileRecall);
        Assert.Empty(report.Failures);
        Assert.Contains("| **overall** | 3 | 3 | 1.000 |", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void RowMergingTwoPeopleIsOneMergeErrorAndLowersPrecision()
    {
        var merged = Row("ab", "Ana Ruiz", ssn: "512440913", dob: "1961-03-04", address: null, path: "Eligibility/Households/a.csv") with
        {
            Values = new Dictionary<string, IReadOnlyList<ExposedValue>>(StringComparer.Ordinal)
            {
                ["ssn"] = [new("512440913"), new("401221234")],
                ["dob"] = [new("1961-03-04"), new("1970-07-01")],
            },
        };
        var report = Evaluate(merged, Row("c", "Elizabeth Running Crane", dob: "1988-12-30", path: "Correspondence/letter_001.docx"));

        Assert.Equal(1, report.Overall.MergeErrors);
        Assert.True(report.Overall.RowPrecision < 1);
        Assert.Equal(1, report.Categories.Single(c => c.Category == "households").MergeErrors);
        Assert.Contains(report.Failures, f => f.Kind == "merged");
    }

    [Fact]
    public void RowWithOnePersonsSsnIsNotAlsoTheirNamesakeAtTheSameAddress()
    {
        var senior = Person("P0010", "households", "Gordon", "Pettibone", "1950-01-01", "234-56-7802", "41 Larkspur Ln", "59601", "Eligibility/Households/a.csv");
        var junior = Person("P0011", "households", "Gordon", "Pettibone", "1980-01-01", "345-67-8903", "41 Larkspur Ln", "59601", "Eligibility/Households/a.csv");
        var truth = new RealisticTruth([senior, junior], [], [], 0);

        var sr = Row("s", "Gordon Pettibone", ssn: "234567802", address: "41 Larkspur Ln, Helena, MT 59601", path: "Eligibility/Households/a.csv");
        var report = AccuracyReport.Evaluate(truth, [sr], Nicknames);
        Assert.Equal(0, report.Overall.MergeErrors);
        Assert.Equal(1, report.Overall.Found);

        // With the junior's date of birth in it, the same row is a merge.
        var merged = sr with
        {
            Values = new Dictionary<string, IReadOnlyList<ExposedValue>>(sr.Values, StringComparer.Ordinal) { ["dob"] = [new("1980-01-01")] },
        };
        Assert.Equal(1, AccuracyReport.Evaluate(truth, [merged], Nicknames).Overall.MergeErrors);
    }

    [Fact]
    public void StaffOnlyRowLowersPrecisionOfItsFilesCategory()
    {
        var report = Evaluate(
            Row("a", "Ana Ruiz", ssn: "512440913", path: "Eligibility/Households/a.csv"),
            Row("b", "William Ordonez", ssn: "401221234", path: "Eligibility/Households/a.csv"),
            Row("c", "Elizabeth Running Crane", dob: "1988-12-30", path: "Correspondence/letter_001.docx"),
            Row("s", "Karen Whitlow", address: "PO Box 4210, Helena, MT 59604", path: "Correspondence/letter_001.docx"));

        Assert.True(report.Overall.RowPrecision < 1);
        Assert.Equal(0.5, report.Categories.Single(c => c.Category == "letters").RowPrecision);
        Assert.Equal(1.0, report.Categories.Single(c => c.Category == "households").RowPrecision);
        Assert.Contains(report.Failures, f => f.Kind == "unmatched" && f.Class == "staff" && f.Category == "letters");
    }

    [Fact]
    public void SplitPersonHasFragmentationTwo()
    {
        var report = Evaluate(
            Row("a1", "Ana Ruiz", ssn: "512440913", path: "Eligibility/Households/a.csv"),
            Row("a2", "RUIZ, ANA", dob: "1961-03-04", path: "Eligibility/Households/b.csv"),
            Row("b1", "William Ordóñez", ssn: "401221234", path: "Eligibility/Households/a.csv"),
            Row("b2", "Bill Ordonez", address: "40 Elm Ave, Springfield, IL 62701", path: "Eligibility/Households/a.csv"),
            Row("c1", "Elizabeth Running Crane", dob: "1988-12-30", path: "Correspondence/letter_001.docx"),
            Row("c2", "Liz Running Crane", dob: "1988-12-30", path: "Correspondence/letter_001.docx"));

        Assert.Equal(2.0, report.Overall.Fragmentation);
        Assert.Equal(1.0, report.Overall.RowPrecision);
        Assert.Equal(1.0, report.Overall.Recall);
        Assert.Equal(3, report.Failures.Count(f => f.Kind == "split"));
    }

    [Fact]
    public void MissingPersonLowersRecall()
    {
        var report = Evaluate(
            Row("a", "Ana Ruiz", ssn: "512440913", path: "Eligibility/Households/a.csv"),
            Row("b", "William Ordonez", ssn: "401221234", path: "Eligibility/Households/a.csv"));

        Assert.Equal(2.0 / 3, report.Overall.Recall, 6);
        Assert.Equal(0.0, report.Categories.Single(c => c.Category == "letters").Recall);
        Assert.Contains(report.Failures, f => f.Kind == "missed" && f.Detail.StartsWith("P0003", StringComparison.Ordinal));
    }

    [Fact]
    public void NameWithoutDobOrAddressOrAContradictingDobMatchesNobody()
    {
        var report = Evaluate(
            Row("a", "Ana Ruiz", path: "Eligibility/Households/a.csv"),
            Row("b", "William Ordonez", dob: "1971-07-01", address: "40 Elm Ave, Springfield, IL 62701", path: "Eligibility/Households/a.csv"),
            Row("c", "Elizabeth Running Crane Jr", dob: "1988-12-30", path: "Correspondence/letter_001.docx"));

        Assert.Equal(0, report.Overall.Found);
        Assert.Equal(0.0, report.Overall.RowPrecision);
    }

    [Fact]
    public void SurnameTypoCountsOnlyWhenDobAndAddressAgree()
    {
        var both = Evaluate(Row("a", "Ana Ruis", dob: "1961-03-04", address: "12 Oak St, Helena, MT 59601", path: "x"));
        var dobOnly = Evaluate(Row("a", "Ana Ruis", dob: "1961-03-04", path: "x"));

        Assert.Equal(1, both.Overall.Found);
        Assert.Equal(0, dobOnly.Overall.Found);
    }

    private static AccuracyReport Evaluate(params Individual[] rows) => AccuracyReport.Evaluate(Truth, rows, Nicknames);

    private static TruthPerson Person(string id, string category, string first, string last, string dob, string? ssn, string street, string zip, string path)
    {
        string[] elements = ssn is null ? ["address", "dob", "name"] : ["address", "dob", "name", "ssn"];
        return new TruthPerson(id, [category], first, null, last, null, null, true, DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture), ssn, null, null, null, null, null, street, "City", "MT", zip, [], [new TruthExposure(path, elements)]);
    }

    private static Individual Row(string id, string name, string? ssn = null, string? dob = null, string? address = null, string path = "x")
    {
        var values = new Dictionary<string, IReadOnlyList<ExposedValue>>(StringComparer.Ordinal);
        var elements = new List<string> { "name" };
        if (address is not null)
        {
            values["address"] = [new(address)];
            elements.Add("address");
        }

        if (ssn is not null)
        {
            values["ssn"] = [new(ssn)];
            elements.Add("ssn");
        }

        if (dob is not null)
        {
            values["dob"] = [new(dob)];
            elements.Add("dob");
        }

        return new Individual { Id = id, Name = name, Elements = elements, Values = values, Sources = [new SourceRef(path, "row 1", elements)] };
    }
}
