using PiiScanner.Detection.Validators;

namespace PiiScanner.Tests.Detection.Validators;

public sealed class ItinValidatorTests
{
    private readonly ItinValidator _validator = new();

    [Theory]
    [InlineData("900-50-0001")]
    [InlineData("912-65-1234")]
    [InlineData("912-70-1234")]
    [InlineData("999-88-1234")]
    [InlineData("912-90-1234")]
    [InlineData("912-92-1234")]
    [InlineData("912-94-1234")]
    [InlineData("912 99 1234")]
    [InlineData("912781234")]
    public void AcceptsItinGroupRanges(string candidate)
    {
        var result = _validator.Validate(candidate);
        Assert.True(result.IsValid, result.Outcome);
        Assert.Equal(9, result.Normalized!.Length);
    }

    [Theory]
    [InlineData("123-70-1234", "area-not-9xx")]
    [InlineData("812-70-1234", "area-not-9xx")]
    [InlineData("912-49-1234", "group-range")]
    [InlineData("912-66-1234", "group-range")]
    [InlineData("912-69-1234", "group-range")]
    [InlineData("912-89-1234", "group-range")]
    [InlineData("912-93-1234", "group-range")]
    [InlineData("912-00-1234", "group-range")]
    [InlineData("912-70-0000", "serial-0000")]
    [InlineData("912-70 1234", "mixed-separators")]
    [InlineData("91270123", "length")]
    public void RejectsOtherNumbers(string candidate, string outcome)
    {
        var result = _validator.Validate(candidate);
        Assert.False(result.IsValid);
        Assert.Equal(outcome, result.Outcome);
    }

    [Fact]
    public void RegistryListsBothValidators()
    {
        var registry = ValidatorRegistry.CreateDefault();
        Assert.True(registry.TryGet("ssn", out _));
        Assert.True(registry.TryGet("itin", out _));
    }
}
