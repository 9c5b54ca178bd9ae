using PiiScanner.Detection;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Detection.Identifiers;

/// <summary>
/// Cases the issue-4 accuracy corpus (<c>IdentifierAccuracyTests</c>) found: a licence's state written after the
/// number, phone numbers and software licence numbers in a licence's place, and <c>Label: value</c> lines whose
/// label names the value (passport, diagnosis codes, member ID, MBI, bank account).
/// </summary>
public sealed class AccuracyRegressionTests
{
    [Theory]
    [InlineData("Verified identity with DL# 44273907, issued by Pennsylvania.", "PA", "44273907")]
    [InlineData("Verified identity with driver license number S03989979 (MA).", "MA", "S03989979")]
    [InlineData("DL 12345678 (state of TX) on file", "TX", "12345678")]
    [InlineData("Driver's license 123 456 789 - New York", "NY", "123456789")]
    public void StateAfterTheNumberGivesTheState(string text, string state, string number)
    {
        var f = Assert.Single(Detectors.Run(Detectors.Dl, text));
        Assert.Equal(state, f.State);
        Assert.Equal(number, f.Value);
    }

    [Fact]
    public void StateCodeAfterTheNumberIsNotPartOfIt()
    {
        // 12345678TX would be a (unique) Missouri shape.
        var f = Assert.Single(Detectors.Run(Detectors.Dl, "DL 12345678 TX"));
        Assert.Equal("TX", f.State);
        Assert.Equal("12345678", f.Value);
    }

    [Theory]
    [InlineData("Renewals by phone — DL: 217-555-0188, ID cards: 217-555-0189.")]
    [InlineData("DL 1 312 555 0166")]
    [InlineData("Office 365 license no. 561028374 renews 2025-01-31")]
    [InlineData("AutoCAD license number D12345678 (network)")]
    public void PhoneAndSoftwareLicenceNumbersAreNoDriversLicence(string text) =>
        Assert.Empty(Detectors.Run(Detectors.Dl, text));

    [Fact]
    public void WeakKeywordStillCountsWhenTheFormatNamesTheState()
    {
        var f = Assert.Single(Detectors.Run(Detectors.Dl, "License No: D120-4408-0034"));
        Assert.Equal("IL", f.State);
    }

    [Fact]
    public void PhoneColumnNamedAfterLicencesIsNoLicence()
    {
        var segment = new Segment("row 2", string.Empty)
        {
            Fields = [new Field("Branch", "Branch 1"), new Field("DL Phone", "2175550150"), new Field("State", "IN")],
        };
        Assert.Empty(Detectors.Run(Detectors.Dl, segment));
    }

    [Fact]
    public void LabelledLinesGiveTheirValues()
    {
        static List<Finding> Labelled(string label, string value) =>
            Detectors.RunAll(new Segment("line 1", $"{label}: {value}") { Label = label });

        Assert.Contains(Labelled("Passport Number", "562423376"), f => f.Element == Elements.Passport && f.Value == "562423376");
        Assert.Contains(Labelled("Member ID", "XQB482913375"), f => f.Element == Elements.HealthInsurance && f.Value == "XQB482913375");
        var dx = Labelled("Dx", "E11.9, F32.9").Where(f => f.Element == Elements.Medical).Select(f => f.Code).ToList();
        Assert.Contains("E11.9", dx);
        Assert.Contains("F32.9", dx);
        Assert.Contains(Labelled("Bank Account", "12345678"), f => f.Element == Elements.BankAccount && f.Value == "12345678");
    }
}

public sealed class PhonePrefilterTests
{
    [Theory]
    [InlineData("Phone: (406) 555-0142", true)]
    [InlineData("cell +1 217-782-2720", true)]
    [InlineData("call 406.444.5622 after 5", true)]
    [InlineData("+44 20 7946 0958", true)]
    [InlineData("2024-03-01T10:01:00.123Z INFO request id=1a2b3c4d-1f2e took 532 ms status=200 bytes=12345", false)]
    [InlineData("Order 123456 shipped", false)]
    [InlineData("555-0142", false)]
    public void PhoneRunPrefilter(string text, bool expected) =>
        Assert.Equal(expected, PiiScanner.Detection.Matching.DigitRuns.Measure(text, PiiScanner.Detection.Matching.DigitShapeSet.Empty).PhoneChain >= 10);
}
