using PiiScanner.Detection;
using PiiScanner.Detection.Identifiers;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Detection.Identifiers;

public sealed class DriversLicenseDetectorTests
{
    public static TheoryData<string, string, bool> Examples()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var s in Detectors.DlRules.States)
        {
            foreach (var m in s.MatchExamples)
            {
                data.Add(s.State, m, true);
            }

            foreach (var m in s.NoMatchExamples)
            {
                data.Add(s.State, m, false);
            }
        }

        return data;
    }

    // The state's formats themselves; each example also runs through the whole engine as rule us-dl-XX
    // (RuleExamplesTests, in a sentence naming the state).
    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryStateExampleMatchesItsFormatsOrNot(string state, string example, bool shouldMatch) =>
        Assert.Equal(shouldMatch, Detectors.DlRules.ByCode[state].Match(DriversLicenseRules.Normalize(example)) is not null);

    [Fact]
    public void EveryStateAndDcHasRulesAndExamples()
    {
        Assert.Equal(51, Detectors.DlRules.States.Count);
        Assert.All(Detectors.DlRules.States, s =>
        {
            Assert.NotEmpty(s.MatchExamples);
            Assert.NotEmpty(s.NoMatchExamples);
        });
    }

    [Fact]
    public void UniqueFormatsMatchNoOtherStatesExamples()
    {
        foreach (var s in Detectors.DlRules.States)
        {
            foreach (var f in s.Formats.Where(f => f.Unique))
            {
                foreach (var other in Detectors.DlRules.States.Where(o => o.State != s.State))
                {
                    foreach (var ex in other.MatchExamples)
                    {
                        Assert.False(f.Regex.For(0).IsMatch(DriversLicenseRules.Normalize(ex)), $"{s.State} {f.Name} is marked unique but matches {other.State} example {ex}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("Reference 123456789 was processed on Tuesday.")]
    [InlineData("Call 555-123-4567 about order 987654321.")]
    [InlineData("Business license number 1234567 renewed.")]
    [InlineData("The DL field was left blank.")]
    public void NumbersWithoutLicenceContextYieldNothing(string text) =>
        Assert.Empty(Detectors.Run(Detectors.Dl, text));

    [Fact]
    public void StateCodeBeforeKeywordGivesTheState()
    {
        var f = Assert.Single(Detectors.Run(Detectors.Dl, "IL DL: D000-4418-0634"));
        Assert.Equal("IL", f.State);
        Assert.Equal("D00044180634", f.Value);
        Assert.Equal("DL", f.Evidence.ContextWord);
        Assert.Equal("letter-11", f.Evidence.Pattern);
        Assert.Equal(Elements.DriversLicense, f.Element);
        Assert.Equal(7, f.Start);
        Assert.Equal(14, f.Length);
    }

    [Fact]
    public void StateNameBeforeKeywordGivesTheState()
    {
        var f = Assert.Single(Detectors.Run(Detectors.Dl, "Illinois driver's license D00044180634, exp 2027"));
        Assert.Equal("IL", f.State);
    }

    [Fact]
    public void AmbiguousFormatWithoutStateKeepsStateUnknown()
    {
        var f = Assert.Single(Detectors.Run(Detectors.Dl, "DL# A1234567"));
        Assert.Null(f.State);
        Assert.Equal("us-dl", f.Evidence.RuleId);
        Assert.Equal("A1234567", f.Value);
    }

    [Fact]
    public void FormatUniqueToOneStateNamesIt()
    {
        var f = Assert.Single(Detectors.Run(Detectors.Dl, "Driver's license: 02DEJ80031"));
        Assert.Equal("NH", f.State);
    }

    [Fact]
    public void LicenceColumnHeaderWorksWithStateColumn()
    {
        var segment = new Segment("row 2", string.Empty)
        {
            Fields = [new Field("Name", "Jane A Doe"), new Field("DL Number", "D000-4418-0634"), new Field("DL State", "IL")],
            Group = 2,
            GroupKind = GroupKind.Record,
        };
        var f = Assert.Single(Detectors.Run(Detectors.Dl, segment));
        Assert.Equal("IL", f.State);
        Assert.Equal("DL Number", f.Evidence.Header);
        Assert.Equal(2, f.Group);
        Assert.Equal(GroupKind.Record, f.GroupKind);
    }

    [Fact]
    public void CamelCaseKeyPathHeaderWorks()
    {
        var segment = new Segment("$.applicants[0]", string.Empty)
        {
            Fields = [new Field("applicant.driversLicenseNumber", "123456789"), new Field("applicant.state", "New York")],
        };
        var f = Assert.Single(Detectors.Run(Detectors.Dl, segment));
        Assert.Equal("NY", f.State);
        Assert.Equal("123456789", f.Value);
    }

    [Theory]
    [InlineData("Driver license / state ID #")]
    [InlineData("Driver's License / State ID")]
    public void ALabelNamingLicenceOrStateIdIsALicenceNumber(string label)
    {
        // "state" belongs to "state ID" here, and "license / state" is no "license state" column.
        var segment = new Segment("table 1", string.Empty) { Fields = [new Field(label, "PA 52070720", "table 1 row 7")] };
        var f = Assert.Single(Detectors.Run(Detectors.Dl, segment));
        Assert.Equal("52070720", f.Value);
        Assert.Equal("PA", f.State);
    }

    [Fact]
    public void StateColumnIsNotALicenceNumber()
    {
        var segment = new Segment("row 3", string.Empty)
        {
            Fields = [new Field("DL State", "IL"), new Field("DL Exp Date", "20270101")],
        };
        Assert.Empty(Detectors.Run(Detectors.Dl, segment));
    }

    [Fact]
    public void StateIdCardIsMarked()
    {
        var f = Assert.Single(Detectors.Run(Detectors.Dl, "Texas state ID card 12345678"));
        Assert.Equal("TX", f.State);
        Assert.Equal("id-card", f.Qualifiers.Kind);
    }

    [Fact]
    public void ValueNumberIsNotTakenFromFarAway()
    {
        Assert.Empty(Detectors.Run(Detectors.Dl, "DL holders must renew every eight years; please see the office at the corner of Main Street, suite 123456789."));
    }
}
