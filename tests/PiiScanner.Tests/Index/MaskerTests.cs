using PiiScanner.Index;

namespace PiiScanner.Tests.Index;

public class MaskerTests
{
    private static readonly Masker Masked = new();

    [Theory]
    [InlineData("ssn", "123456789", "***-**-6789")]
    [InlineData("itin", "912701234", "***-**-1234")]
    [InlineData("driversLicense", "D12045678901", "D120********")]
    [InlineData("driversLicense", "D120-4567-8901", "D120-****-****")]
    [InlineData("driversLicense", "1234567", "1******")]
    [InlineData("dob", "1961-03-04", "1961-**-**")]
    [InlineData("passport", "X12345678", "*****5678")]
    [InlineData("creditCard", "4111111111111111", "************1111")]
    [InlineData("bankAccount", "000123456789", "********6789")]
    [InlineData("bankAccount", "12345", "*****")]
    [InlineData("mbi", "1EG4TE5MK73", "*******MK73")]
    [InlineData("healthInsurance", "XYZ123456789", "********6789")]
    [InlineData("npi", "1234567893", "******7893")]
    [InlineData("email", "jane.doe@example.com", "j***@example.com")]
    [InlineData("phone", "(406) 555-0142", "(***) ***-0142")]
    [InlineData("name", "Jane A. Doe", "Jane A. Doe")]
    [InlineData("address", "12 Oak St, Helena, MT 59601", "12 Oak St, Helena, MT 59601")]
    [InlineData("medical", "Type 2 diabetes mellitus", "Type 2 diabetes mellitus")]
    [InlineData("somethingNew", "ABCDEFGH12", "******GH12")]
    public void MasksByElement(string element, string value, string expected) =>
        Assert.Equal(expected, Masked.Mask(element, value));

    [Theory]
    [InlineData("ssn", "123456789", "123-45-6789")]
    [InlineData("itin", "912701234", "912-70-1234")]
    [InlineData("dob", "1961-03-04", "1961-03-04")]
    [InlineData("email", "jane.doe@example.com", "jane.doe@example.com")]
    public void RevealWritesFullValues(string element, string value, string expected) =>
        Assert.Equal(expected, new Masker(reveal: true).Mask(element, value));
}
