using PiiScanner.Detection;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Detection;

public sealed class NameAndAddressDetectionTests
{
    private static List<Finding> DetectRow(params (string Name, string Value)[] fields)
    {
        var segment = new Segment("row 5", string.Empty)
        {
            Fields = [.. fields.Select(f => new Field(f.Name, f.Value))],
            Group = 3,
            GroupKind = GroupKind.Record,
        };
        var findings = new List<Finding>();
        DetectionFixture.Engine.Detect(segment, 4, findings);
        return findings;
    }

    [Fact]
    public void FirstMiddleLastColumnsComposeOneName()
    {
        var findings = DetectRow(("First Name", "Rosalind"), ("MI", "T"), ("Last Name", "Abernathy-Cole"), ("City", "Helena"));
        var name = Assert.Single(findings, f => f.Element == Elements.Name);
        Assert.Equal("Rosalind T Abernathy-Cole", name.Value);
        Assert.Equal("compose", name.Evidence.Pattern);
        Assert.Equal("First Name+MI+Last Name", name.Evidence.Header);
        Assert.Equal("row 5", name.Locator);
        Assert.Equal(3, name.Group);
    }

    [Theory]
    [InlineData("name.given", "name.family", "Ana Lucía", "Ruiz", "Ana Lucía Ruiz")]
    [InlineData("given_name", "family_name", "Eva", "Ruiz", "Eva Ruiz")]
    [InlineData("first", "last", "Tomas", "Ruiz", "Tomas Ruiz")]
    public void StructuredNamePartsComposeAName(string given, string family, string givenValue, string familyValue, string expected)
    {
        var findings = DetectRow((given, givenValue), (family, familyValue), ("name.suffix", "Jr"));
        Assert.Equal(expected, Assert.Single(findings, f => f.Element == Elements.Name).Value);
    }

    [Fact]
    public void JsonKeyPathsComposeAName()
    {
        var findings = DetectRow(("patient.firstName", "OSWIN"), ("patient.lastName", "PELLETIER"));
        Assert.Equal("Oswin Pelletier", Assert.Single(findings, f => f.Element == Elements.Name).Value);
    }

    [Fact]
    public void LastFirstUnderANameHeaderIsReorderedAndMarked()
    {
        var finding = Assert.Single(DetectRow(("Name", "DOE-RAMSEY, JUNO P")), f => f.Element == Elements.Name);
        Assert.Equal("Juno P Doe-Ramsey", finding.Value);
        Assert.Equal(NameForm.LastFirst, finding.Qualifiers.NameForm);
        Assert.Equal("Name", finding.Evidence.Header);
    }

    [Theory]
    [InlineData("File Name", "Quarterly Report")]
    [InlineData("Street Name", "Oak Street")]
    [InlineData("Name", "unknown")]
    [InlineData("Name", "Total Due")]
    [InlineData("Name", "12 Main")]
    [InlineData("Name", "N/A")]
    public void NonNamesInNameLikeColumnsAreRejected(string header, string value) =>
        Assert.DoesNotContain(DetectRow((header, value)), f => f.Element == Elements.Name);

    [Theory]
    [InlineData("Patient: Wendeline Arbuthnot", "Wendeline Arbuthnot", null)]
    [InlineData("Employee: HOLLIS, GRETA", "Greta Hollis", NameForm.LastFirst)]
    [InlineData("Dear Mr. Ferreira-Lund,", "Ferreira-Lund", NameForm.Honorific)]
    [InlineData("Member Name: Tobiah R. Quist SSN: 123-45-6701", "Tobiah R. Quist", null)]
    public void LabelsAndHonorificsGiveNames(string text, string expected, NameForm? form)
    {
        var name = Assert.Single(DetectionFixture.Engine.Test(text), f => f.Element == Elements.Name);
        Assert.Equal(expected, name.Value);
        Assert.Equal(form, name.Qualifiers.NameForm);
    }

    [Fact]
    public void HonorificAloneScoresLowerThanALabel()
    {
        var honorific = Assert.Single(DetectionFixture.Engine.Test("Dear Ms. Vantongeren"), f => f.Element == Elements.Name);
        var label = Assert.Single(DetectionFixture.Engine.Test("Patient: Ilse Vantongeren"), f => f.Element == Elements.Name);
        Assert.True(honorific.Confidence < label.Confidence);
    }

    [Fact]
    public void AddressColumnsComposeOneAddress()
    {
        var findings = DetectRow(("Address", "4821 North Willow Creek Road"), ("Address2", "Apartment 3B"), ("City", "MISSOULA"), ("State", "mt"), ("Zip", "59802-4410"));
        var address = Assert.Single(findings, f => f.Element == Elements.Address);
        Assert.Equal("4821 North Willow Creek Rd Apt 3B, Missoula, MT 59802-4410", address.Value);
        Assert.Equal("MT", address.State);
        Assert.Equal("compose", address.Evidence.Pattern);
        Assert.Equal("Address+Address2+City+State+Zip", address.Evidence.Header);
    }

    [Fact]
    public void AddressColumnHoldingAWholeAddressIsNotComposedTwice()
    {
        var findings = DetectRow(("Address", "12 Oak St, Helena, MT 59601"), ("City", "Helena"), ("State", "MT"), ("Zip", "59601"));
        var address = Assert.Single(findings, f => f.Element == Elements.Address);
        Assert.Equal("12 Oak St, Helena, MT 59601", address.Value);
        Assert.Equal("Address", address.Evidence.Header);
    }

    [Fact]
    public void AddressColumnsWithAnInvalidStateComposeNothing() =>
        Assert.DoesNotContain(DetectRow(("Street", "12 Oak St"), ("City", "Helena"), ("State", "XX"), ("Zip", "59601")), f => f.Element == Elements.Address);

    [Fact]
    public void OneLineAddressKeepsStateAndEvidence()
    {
        var address = Assert.Single(DetectionFixture.Engine.Test("Mailing address: 3 Pine Ave Suite 200, Great Falls, MT 59401"), f => f.Element == Elements.Address);
        Assert.Equal("3 Pine Ave Ste 200, Great Falls, MT 59401", address.Value);
        Assert.Equal("MT", address.State);
        Assert.Equal("address", address.Evidence.ContextWord);
        Assert.Equal(0.95, address.Confidence);
    }

    [Fact]
    public void StreetAndACityStateZipColumnComposeOneAddress()
    {
        var segment = new Segment("row 3", string.Empty)
        {
            Fields = [new Field("Name", "Quillon Barstead"), new Field("Street", "4821 Willow Creek Rd"), new Field("City/State/Zip", "Missoula, MT 59802")],
            GroupKind = GroupKind.Record,
        };
        var findings = new List<Finding>();
        DetectionFixture.Engine.Detect(segment, 0, findings);

        var address = Assert.Single(findings, f => f.Element == Elements.Address);
        Assert.Equal("4821 Willow Creek Rd, Missoula, MT 59802", address.Value);
        Assert.Equal("Street+City/State/Zip", address.Evidence.Header);
    }

    [Fact]
    public void AnAddressOverTwoLabelledFormLinesAParagraphApartIsOneAddress()
    {
        var scope = DetectionFixture.FullEngine.BeginItem();
        var findings = new List<Finding>();
        scope.Detect(new Segment("page 1 line 6", "Home Address:    4782 Tamarack Rd") { Label = "Home Address", Group = 5, GroupKind = GroupKind.Block }, findings);
        scope.Detect(new Segment("page 1 line 7", "City, State ZIP:    Flagstaff, AZ 86001") { Label = "City, State ZIP", Group = 6, GroupKind = GroupKind.Block }, findings);

        var f = Assert.Single(findings, f => f.Element == Elements.Address);
        Assert.Equal("4782 Tamarack Rd, Flagstaff, AZ 86001", f.Value);
        Assert.Equal("page 1 line 6", f.Locator);
        Assert.Equal("4782 Tamarack Rd", "Home Address:    4782 Tamarack Rd".Substring(f.Start, f.Length));
    }

    [Fact]
    public void UnlabelledLinesOfTwoParagraphsAreNotJoined()
    {
        var scope = DetectionFixture.FullEngine.BeginItem();
        var findings = new List<Finding>();
        scope.Detect(new Segment("line 1", "4782 Tamarack Rd") { Group = 1, GroupKind = GroupKind.Block }, findings);
        scope.Detect(new Segment("line 2", "Flagstaff, AZ 86001") { Group = 2, GroupKind = GroupKind.Block }, findings);

        Assert.DoesNotContain(findings, f => f.Element == Elements.Address);
    }

    [Fact]
    public void AddressColumnsWithAQualifierWordCompose()
    {
        // A mainframe household export: RES_ADDR, RES_CITY, RES_ST, RES_ZIP.
        var findings = new List<Finding>();
        DetectionFixture.Engine.Detect(
            new Segment("row 2", string.Empty)
            {
                Fields = [new Field("RES_ADDR", "4688 LARKSPUR LN"), new Field("RES_CITY", "CAMDEN"), new Field("RES_ST", "NJ"), new Field("RES_ZIP", "08102")],
                Group = 2,
                GroupKind = GroupKind.Record,
            },
            0,
            findings);

        var f = Assert.Single(findings, f => f.Element == Elements.Address);
        Assert.Contains("LARKSPUR", f.Value, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("NJ 08102", f.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void AQualifierBeforeAnotherWordIsNoAddressPart()
    {
        var findings = new List<Finding>();
        DetectionFixture.Engine.Detect(
            new Segment("row 2", string.Empty)
            {
                Fields = [new Field("EMPLOYER_ADDR", "4688 LARKSPUR LN"), new Field("EMPLOYER_CITY", "CAMDEN"), new Field("EMPLOYER_ST", "NJ"), new Field("EMPLOYER_ZIP", "08102")],
                Group = 2,
                GroupKind = GroupKind.Record,
            },
            0,
            findings);

        Assert.DoesNotContain(findings, f => f.Element == Elements.Address);
    }
}
