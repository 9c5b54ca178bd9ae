using PiiScanner.Detection.Validators;

namespace PiiScanner.Tests.Detection.Identifiers;

public sealed class ValidatorTests
{
    [Theory]
    [InlineData("4111 1111 1111 1111", true, "4111111111111111")]
    [InlineData("4111-1111-1111-1111", true, "4111111111111111")]
    [InlineData("79927398713", true, "79927398713")]
    [InlineData("378282246310005", true, "378282246310005")]
    [InlineData("4111111111111112", false, null)]
    [InlineData("0000000000000000", false, null)]
    [InlineData("4111x1111", false, null)]
    [InlineData("1234567", false, null)]
    public void Luhn(string input, bool valid, string? normalized) => Check(new LuhnValidator(), input, valid, normalized);

    [Theory]
    // 3·(0+0+0) + 7·(1+0+1) + (1+0+5) = 20
    [InlineData("011000015", true, "011000015")]
    // 3·(0+0+0) + 7·(2+0+2) + (1+0+1) = 30
    [InlineData("021000021", true, "021000021")]
    [InlineData("111000025", true, "111000025")]
    [InlineData("011000016", false, null)]
    [InlineData("131000015", false, null)] // prefix 13 is not a Federal Reserve district
    [InlineData("000000000", false, null)]
    [InlineData("01100001", false, null)]
    public void AbaRouting(string input, bool valid, string? normalized) => Check(new AbaRoutingValidator(), input, valid, normalized);

    [Theory]
    [InlineData("1234567893", true)] // the CMS example: Luhn over 80840123456789 gives 3
    [InlineData("1234567890", false)]
    [InlineData("3234567893", false)] // must start with 1 or 2
    [InlineData("123456789", false)]
    public void Npi(string input, bool valid) => Check(new NpiValidator(), input, valid, valid ? input : null);

    [Theory]
    // 1+3+5 = 9; 2·(2+4+6) = 24; 33 → check digit 3
    [InlineData("AB1234563", true, "AB1234563")]
    [InlineData("ab1234563", true, "AB1234563")]
    [InlineData("A91234563", true, "A91234563")]
    [InlineData("AB1234564", false, null)]
    [InlineData("IB1234563", false, null)] // I is not a registrant type
    [InlineData("A11234563", false, null)]
    [InlineData("AB123456", false, null)]
    public void Dea(string input, bool valid, string? normalized) => Check(new DeaValidator(), input, valid, normalized);

    [Theory]
    [InlineData("1EG4-TE5-MK73", true, "1EG4TE5MK73")] // the CMS example
    [InlineData("1eg4te5mk73", true, "1EG4TE5MK73")]
    [InlineData("1SG4TE5MK73", false, null)] // S is excluded
    [InlineData("0EG4TE5MK73", false, null)] // position 1 is 1–9
    [InlineData("1EG4TE5MK7", false, null)]
    [InlineData("1E94TE5MK73", true, "1E94TE5MK73")] // position 3 may be a digit
    [InlineData("1EGATE5MK73", false, null)] // position 4 is a digit
    public void Mbi(string input, bool valid, string? normalized) => Check(new MbiValidator(), input, valid, normalized);

    [Theory]
    [InlineData("E11.9", true, "E11.9")]
    [InlineData("e119", true, "E11.9")]
    [InlineData("F32.A", true, "F32.A")]
    [InlineData("S72.001A", true, "S72.001A")]
    [InlineData("Z3A.01", true, "Z3A.01")]
    [InlineData("F20", true, "F20")]
    [InlineData("11.9", false, null)]
    [InlineData("E1.9", false, null)]
    [InlineData("E11.12345", false, null)]
    [InlineData("E11.", false, null)]
    [InlineData("EE1.9", false, null)]
    public void Icd10(string input, bool valid, string? normalized) => Check(new Icd10Validator(), input, valid, normalized);

    [Theory]
    [InlineData("0002-3227-30", true, "00002-3227-30")] // 4-4-2
    [InlineData("50242-040-62", true, "50242-0040-62")] // 5-3-2
    [InlineData("60575-4112-1", true, "60575-4112-01")] // 5-4-1
    [InlineData("00002-3227-30", true, "00002-3227-30")] // 5-4-2 billing form
    [InlineData("1234-56-78", false, null)]
    [InlineData("00023227301", false, null)] // dashes required
    [InlineData("0000-0000-00", false, null)]
    public void Ndc(string input, bool valid, string? normalized) => Check(new NdcValidator(), input, valid, normalized);

    [Fact]
    public void RegistryListsEveryValidator()
    {
        var registry = ValidatorRegistry.CreateDefault();
        foreach (var name in new[] { "luhn", "aba-routing", "npi", "dea", "mbi", "icd10", "ndc" })
        {
            Assert.True(registry.TryGet(name, out _), name);
        }
    }

    private static void Check(IValidator validator, string input, bool valid, string? normalized)
    {
        var result = validator.Validate(input);
        Assert.Equal(valid, result.IsValid);
        Assert.Equal(normalized, result.Normalized);
        if (!valid)
        {
            Assert.NotEqual("valid", result.Outcome);
        }
    }
}
