using PiiScanner.Detection.Validators;

namespace PiiScanner.Tests.Detection.Validators;

public sealed class SsnValidatorTests
{
    private readonly SsnValidator _validator = new();

    [Theory]
    [InlineData("123-45-6701", "123456701")]
    [InlineData("123 45 6701", "123456701")]
    [InlineData("123456701", "123456701")]
    [InlineData("001-01-0001", "001010001")]
    [InlineData("665-99-9999", "665999999")]
    [InlineData("667-01-0001", "667010001")]
    [InlineData("899-99-9999", "899999999")]
    public void AcceptsIssuableNumbers(string candidate, string normalized)
    {
        var result = _validator.Validate(candidate);
        Assert.True(result.IsValid, result.Outcome);
        Assert.Equal(normalized, result.Normalized);
    }

    [Theory]
    [InlineData("000-12-3456", "area-000")]
    [InlineData("666-12-3456", "area-666")]
    [InlineData("900-12-3456", "area-9xx")]
    [InlineData("999-99-9999", "area-9xx")]
    [InlineData("912-70-1234", "area-9xx")]
    [InlineData("123-00-4567", "group-00")]
    [InlineData("123-45-0000", "serial-0000")]
    [InlineData("078-05-1120", "publicised")]
    [InlineData("219-09-9999", "publicised")]
    [InlineData("123-45-6789", "publicised")]
    // 987-65-4320…4329 (advertising) fall under area 9xx before the publicised list is consulted.
    [InlineData("987-65-4320", "area-9xx")]
    [InlineData("987-65-4329", "area-9xx")]
    [InlineData("111-11-1111", "repeated-digit")]
    [InlineData("123-45 6701", "mixed-separators")]
    [InlineData("123 45-6701", "mixed-separators")]
    [InlineData("123.45.6701", "separator")]
    [InlineData("12345670", "length")]
    [InlineData("1234567012", "length")]
    [InlineData("12345670A", "not-digits")]
    [InlineData("", "length")]
    public void RejectsNumbersNeverIssued(string candidate, string outcome)
    {
        var result = _validator.Validate(candidate);
        Assert.False(result.IsValid);
        Assert.Null(result.Normalized);
        Assert.Equal(outcome, result.Outcome);
    }
}
