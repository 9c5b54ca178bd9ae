using PiiScanner.Detection;
using PiiScanner.Detection.Identifiers;
using PiiScanner.Extraction;

namespace PiiScanner.Tests.Detection.Identifiers;

public sealed class IdentifierDetectorTests
{
    private static readonly IdentifierDetector Detector = new(DetectionFixture.Rules);

    [Theory]
    [InlineData("Card: 4111 1111 1111 1111 exp 12/27", "4111111111111111", "visa")]
    [InlineData("5500-0000-0000-0004", "5500000000000004", "mastercard")]
    [InlineData("2221000000000009", "2221000000000009", "mastercard")]
    [InlineData("amex 3782 822463 10005", "378282246310005", "amex")]
    [InlineData("6011111111111117", "6011111111111117", "discover")]
    [InlineData("3530111333300000", "3530111333300000", "jcb")]
    [InlineData("30569309025904", "30569309025904", "diners")]
    public void Cards(string text, string value, string issuer)
    {
        var f = Assert.Single(Detectors.Run(Detector, text), f => f.Element == Elements.CreditCard);
        Assert.Equal(value, f.Value);
        Assert.Equal(issuer, f.Qualifiers.Issuer);
        Assert.Equal("luhn:valid", f.Evidence.Validator);
    }

    [Theory]
    [InlineData("4111 1111 1111 1112")] // Luhn fails
    [InlineData("1234 5678 9012 3452")] // Luhn passes, no issuer
    [InlineData("0000 0000 0000 0000")]
    [InlineData("4111-1111 1111-1111")] // mixed separators
    public void CardNegatives(string text) => Assert.DoesNotContain(Detectors.Run(Detector, text), f => f.Element == Elements.CreditCard);

    [Fact]
    public void RoutingAndAccountPair()
    {
        var f = Assert.Single(Detectors.Run(Detector, "Direct deposit: routing number 021000021, checking account 123456789012"), f => f.Element == Elements.BankAccount);
        Assert.Equal("021000021/123456789012", f.Value);
        Assert.Equal("aba-routing:valid", f.Evidence.Validator);
    }

    [Fact]
    public void RoutingAndAccountColumns()
    {
        var segment = new Segment("row 5", string.Empty)
        {
            Fields = [new Field("Routing Number", "011000015"), new Field("Account Number", "0047-1234-55")],
        };
        var f = Assert.Single(Detectors.Run(Detector, segment), f => f.Element == Elements.BankAccount);
        Assert.Equal("011000015/0047123455", f.Value);
        Assert.Equal("Account Number", f.Evidence.Header);
    }

    [Fact]
    public void AccountWithoutBankingContextIsNotABankAccount()
    {
        Assert.DoesNotContain(Detectors.Run(Detector, "Your account number is 88231 for the newsletter."), f => f.Element == Elements.BankAccount);
        Assert.DoesNotContain(Detectors.Run(Detector, "routing 021000021 only"), f => f.Element == Elements.BankAccount);
    }

    [Fact]
    public void Email()
    {
        var f = Assert.Single(Detectors.Run(Detector, "Contact Jane.Doe+intake@Example.org today."), f => f.Element == Elements.Email);
        Assert.Equal("jane.doe+intake@example.org", f.Value);
        Assert.Empty(Detectors.Run(Detector, "user@localhost and @handle and a@b"));
    }

    [Theory]
    [InlineData("Phone: (406) 555-0142", "+14065550142")]
    [InlineData("call 406.444.5622 after 5", "+14064445622")]
    [InlineData("cell +1 217-782-2720", "+12177822720")]
    [InlineData("2024-03-01T00:01:50Z INFO lookup phone=4065550142 trace=30fb5136799512c0", "+14065550142")]
    [InlineData("2024-03-01T00:01:50Z INFO lookup phone=(406) 555-0142 span=ab4065550143cd", "+14065550142")]
    [InlineData("Reach her at 406-555-0142x12 or by mail.", "+14065550142")]
    [InlineData("Callback number 4065550142; ask for the desk.", "+14065550142")]
    public void Phones(string text, string e164)
    {
        var f = Assert.Single(Detectors.Run(Detector, text), f => f.Element == Elements.Phone);
        Assert.Equal(e164, f.Value);
    }

    [Theory]
    [InlineData("Order 123456 shipped")]
    [InlineData("SSN 123-45-6789")]
    [InlineData("Invoice 000-000-0000")]
    [InlineData("2024-03-01T00:01:50Z INFO req done trace=ab4065550142cd")]
    [InlineData("TRACE 4065550142ABCDEF00 SPAN 00FE4065550142")]
    [InlineData("span_id=7f4065550142 parent=4065550142e")]
    public void NotPhones(string text) => Assert.DoesNotContain(Detectors.Run(Detector, text), f => f.Element == Elements.Phone);

    [Fact]
    public void PassportNeedsContext()
    {
        var f = Assert.Single(Detectors.Run(Detector, "US passport number: A12345678"), f => f.Element == Elements.Passport);
        Assert.Equal("A12345678", f.Value);
        Assert.Equal("passport number", f.Evidence.ContextWord);
        Assert.Single(Detectors.Run(Detector, new Segment("row 1", string.Empty) { Fields = [new Field("Passport No", "123456789")] }), f => f.Element == Elements.Passport);
        Assert.DoesNotContain(Detectors.Run(Detector, "Tracking A12345678"), f => f.Element == Elements.Passport);
    }

    [Fact]
    public void CreateDefaultLoadsEveryDetector()
    {
        Assert.Collection(
            Detectors.All,
            d => Assert.IsType<DriversLicenseDetector>(d),
            d => Assert.IsType<PiiScanner.Detection.Medical.MedicalTermDetector>(d),
            d => Assert.IsType<PiiScanner.Detection.Medical.MedicalCodeDetector>(d),
            d => Assert.IsType<IdentifierDetector>(d));
    }

    [Fact]
    public void PatientRecordYieldsEachElement()
    {
        var segment = new Segment("row 9", string.Empty)
        {
            Fields =
            [
                new Field("Name", "Jane A Doe"), new Field("DL #", "D000-4418-0634"), new Field("DL State", "IL"),
                new Field("Diagnosis", "F33.1"), new Field("Medications", "sertraline; lithium"), new Field("Email", "jane@example.com"),
                new Field("Phone", "217-555-0187"), new Field("Medicare ID", "1EG4TE5MK73"),
            ],
            Group = 9,
            GroupKind = GroupKind.Record,
        };
        var elements = Detectors.RunAll(segment).Select(f => f.Element).ToHashSet();
        // The MBI column is the mbi pattern rule's (rules/medical/mbi.yaml), not a code detector's.
        Assert.Superset(new HashSet<string> { Elements.DriversLicense, Elements.Medical, Elements.Email, Elements.Phone }, elements);
    }
}
