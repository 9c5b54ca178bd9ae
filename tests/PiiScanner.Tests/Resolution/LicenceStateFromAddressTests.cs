using PiiScanner.Detection;
using PiiScanner.Detection.Identifiers;
using PiiScanner.Resolution;
using static PiiScanner.Tests.Resolution.TestFindings;

namespace PiiScanner.Tests.Resolution;

public class LicenceStateFromAddressTests
{
    private static readonly DriversLicenseRules Rules = DriversLicenseRules.Load(Path.Combine(RepoPaths.Rules, "us", "drivers-licenses.yaml"));

    private static PersonRecord Record(string licence, params string[] addressStates) => new(
        "roster.csv",
        "row 2",
        [
            F(Elements.Name, "Marisol Quintero"),
            F(Elements.DriversLicense, licence),
            .. addressStates.Select(s => F(Elements.Address, $"12 Oak St, Springfield, {s} 90001", state: s)),
        ]);

    [Fact]
    public void StatelessLicenceTakesTheAddressStateWhenTheFormatFits()
    {
        var result = LicenceStateFromAddress.Apply(Record("A1234567", "CA"), Rules);

        var dl = Assert.Single(result.Findings, f => f.Element == Elements.DriversLicense);
        Assert.Equal("CA", dl.State);
        Assert.Equal(LicenceStateFromAddress.ContextWord, dl.Evidence.ContextWord);
    }

    [Theory]
    [InlineData("123456789", new[] { "CA" })]          // California never issued nine digits
    [InlineData("A1234567", new[] { "CA", "NV" })]     // two states: nothing to conclude
    [InlineData("A1234567", new string[0])]            // no address
    public void OtherwiseTheLicenceKeepsNoState(string licence, string[] states)
    {
        var record = Record(licence, states);

        Assert.Same(record, LicenceStateFromAddress.Apply(record, Rules));
    }
}
